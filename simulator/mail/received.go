package mail

import (
	"strings"
	"time"
)

// Received describes one Received: trace field (RFC 5321 §4.4).
type Received struct {
	Helo string    // the name the client gave in EHLO/HELO/LHLO
	Addr string    // the client's IP address, written as an address literal
	By   string    // the host adding the field
	With string    // protocol (RFC 3848): ESMTP, ESMTPS, ESMTPSA, LMTP, ...
	TLS  string    // e.g. "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256", "" without TLS
	ID   string    // the receiver's id for the message, optional
	For  string    // the recipient when there is exactly one, else ""
	Date time.Time // when the message was received
}

// Field formats the trace field, folded one clause per line. Callers leave
// For empty when a message has several recipients: naming them would reveal
// Bcc recipients to every other recipient (RFC 5321 §7.2).
func (r Received) Field() string {
	var b strings.Builder
	b.WriteString("Received: from " + r.Helo)
	if r.Addr != "" {
		b.WriteString(" ([" + r.Addr + "])")
	}
	if r.TLS != "" {
		b.WriteString("\r\n\t(using " + r.TLS + ")")
	}
	b.WriteString("\r\n\tby " + r.By + " (Maillab) with " + r.With)
	if r.ID != "" {
		b.WriteString(" id " + r.ID)
	}
	if r.For != "" {
		b.WriteString("\r\n\tfor <" + r.For + ">")
	}
	b.WriteString("; " + r.Date.Format(DateLayout))
	return b.String()
}

// Protocol returns the "with" keyword of RFC 3848 §2 (and RFC 2033 §4.3 for
// LMTP): ESMTP, then S when TLS protected the session, then A when the client
// authenticated.
func Protocol(lmtp, tls, auth bool) string {
	p := "ESMTP"
	if lmtp {
		p = "LMTP"
	}
	if tls {
		p += "S"
	}
	if auth {
		p += "A"
	}
	return p
}

// OneRecipient returns the single recipient of to, or "" when there are
// several: the value of Received.For.
func OneRecipient(to []string) string {
	if len(to) == 1 {
		return to[0]
	}
	return ""
}
