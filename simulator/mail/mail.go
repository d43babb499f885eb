// Package mail holds the values the SMTP-side agents (MSA, MTA, MX, MDA)
// hand to each other: the envelope, addresses and the trace fields every hop
// adds to a message.
package mail

import (
	"strings"
	"time"
)

// Envelope is the SMTP envelope of one message (RFC 5321 §2.3.1): who asked
// for delivery and to whom, independent of the From:/To: header fields.
type Envelope struct {
	From    string    // reverse-path; "" is the null sender of a bounce (RFC 5321 §4.5.5)
	To      []string  // forward-paths, in RCPT order
	Size    int       // octets of the message as received, trace fields included
	Auth    string    // the authenticated submitter (RFC 4954), "" on port 25
	Arrived time.Time // when the receiving server answered 250 to DATA
}

// Clone returns a copy that shares no slice with e.
func (e Envelope) Clone() Envelope {
	e.To = append([]string(nil), e.To...)
	return e
}

// Domain returns the lower-cased domain of addr ("" when addr has none).
func Domain(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return ""
	}
	return strings.ToLower(addr[i+1:])
}

// Local returns the local part of addr (RFC 5321 §4.1.2).
func Local(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return addr
	}
	return addr[:i]
}

// SameAddress compares two mailboxes the way the simulator's accounts do:
// case-insensitively. (RFC 5321 §2.4 lets the local part be case-sensitive;
// no real provider does that, and neither do we.)
func SameAddress(a, b string) bool { return strings.EqualFold(a, b) }

// ValidAddress reports whether addr looks like local@domain: what the agents
// need to route it. go-smtp has already checked the path syntax.
// IsPostmaster reports whether addr is the reserved mailbox every mail
// domain must accept, case-insensitively (RFC 5321 §4.5.1): "Postmaster"
// alone (the receiving server's own postmaster, §4.1.1.3) or
// postmaster@<domain>.
func IsPostmaster(addr string) bool {
	local := addr
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		local = addr[:i]
	}
	return strings.EqualFold(local, "postmaster")
}

// PostmasterOf is the full address a bare "Postmaster" stands for at a
// server of domain; any other address is returned as it is.
func PostmasterOf(addr, domain string) string {
	if strings.EqualFold(addr, "postmaster") {
		return "postmaster@" + domain
	}
	return addr
}

func ValidAddress(addr string) bool {
	i := strings.LastIndexByte(addr, '@')
	return i > 0 && i < len(addr)-1
}
