package msa

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"maillab/simulator/mail"
)

// complete adds what the MSA owes the message: its Received: trace field
// (RFC 5321 §4.4) and, when missing, Message-ID and Date (RFC 6409 §8.2,
// §8.3). The client's bytes stay untouched below the new fields.
func (s *session) complete(raw []byte) []byte {
	now := s.srv.opts.Now()
	fields := []string{s.received(now)}
	h := mail.Header(raw)
	if !h.Has("Message-Id") {
		fields = append(fields, "Message-ID: "+messageID(now.UnixNano(), s.srv.opts.Hostname))
	}
	if !h.Has("Date") {
		fields = append(fields, mail.DateField(now))
	}
	return mail.Prepend(raw, fields...)
}

func (s *session) received(now time.Time) string {
	r := mail.Received{
		Helo: s.conn.Hostname(),
		Addr: mail.RemoteIP(s.conn.Conn()),
		By:   s.srv.opts.Hostname,
		With: mail.Protocol(false, s.tls, s.user != ""),
		For:  mail.OneRecipient(s.env.To),
		Date: now,
	}
	if st, ok := mail.TLSState(s.conn.Conn()); ok {
		r.TLS = mail.TLSNote(st)
	}
	return r.Field()
}

// messageID makes a unique id (RFC 5322 §3.6.4): time and randomness on the
// left, the MSA's host name on the right.
func messageID(nanos int64, host string) string {
	var b [6]byte
	rand.Read(b[:])
	return fmt.Sprintf("<%s.%x@%s>", strings.ToUpper(fmt.Sprintf("%x", nanos)), b, host)
}
