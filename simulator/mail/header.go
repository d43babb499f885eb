package mail

import (
	"bufio"
	"bytes"
	"time"

	"github.com/emersion/go-message/textproto"
)

// DateLayout is the RFC 5322 §3.3 date-time format used in Date: and trace
// fields.
const DateLayout = "Mon, 02 Jan 2006 15:04:05 -0700"

// Prepend puts header fields (each "Name: value", without CRLF) in front of
// raw. Trace fields go on top (RFC 5321 §4.4), and prepending leaves every
// byte of the original message unchanged (what DKIM signatures need).
func Prepend(raw []byte, fields ...string) []byte {
	n := len(raw)
	for _, f := range fields {
		n += len(f) + 2
	}
	out := make([]byte, 0, n)
	for _, f := range fields {
		out = append(out, f...)
		out = append(out, '\r', '\n')
	}
	return append(out, raw...)
}

// Header parses the header section of raw. A malformed header still yields
// the fields read before the error: the agents only look fields up.
func Header(raw []byte) textproto.Header {
	h, _ := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	return h
}

// HeaderSection returns the header section of raw including the empty line
// that ends it (all of raw when there is no body).
func HeaderSection(raw []byte) []byte {
	for _, sep := range [][]byte{[]byte("\r\n\r\n"), []byte("\n\n")} {
		if i := bytes.Index(raw, sep); i >= 0 {
			return raw[:i+len(sep)]
		}
	}
	return raw
}

// DateField formats a Date: header field (RFC 5322 §3.6.1).
func DateField(t time.Time) string { return "Date: " + t.Format(DateLayout) }
