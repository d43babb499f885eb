package interop_test

import (
	"bytes"
	"fmt"
	"net/mail"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSMTPSmuggling: an end-of-data look-alike with a bare LF or CR
// ("\n.\r\n", "\r\n.\n", ...) followed by a second transaction must stay
// inside the first message (RFC 5321 §4.1.1.4: only CRLF.CRLF ends DATA),
// at the MX and at the MSA, whose queue relays it to the next MX.
func TestSMTPSmuggling(t *testing.T) {
	e := startWorld(t, withoutAuthChecks)
	ends := []struct{ name, end string }{
		{"LF.CRLF", "\n.\r\n"}, {"CRLF.LF", "\r\n.\n"}, {"LF.LF", "\n.\n"}, {"CR.CRLF", "\r.\r\n"},
	}
	want := 0
	for _, path := range []struct {
		name       string
		addr       string
		submission bool
	}{{"mx", e.net(portSMTP), false}, {"msa", e.org(portSubmission), true}} {
		for _, end := range ends {
			subject := fmt.Sprintf("outer %s %s", path.name, end.name)
			r, _ := e.openData(t, path.addr, path.submission)
			r.send(message(subject) + "before" + end.end +
				"MAIL FROM:<eve@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n" +
				"From: eve@example.org\r\nSubject: smuggled\r\n\r\nsmuggled\r\n.\r\n")
			require.Regexp(t, `^250 `, r.reply(), "%s %s: reply to the outer message", path.name, end.name)
			r.send("QUIT\r\n")
			assert.Regexp(t, `^221 `, r.reply(), "%s %s: no second transaction answered", path.name, end.name)
			want++
		}
	}
	msgs := e.waitInbox(t, want)
	for _, m := range msgs {
		subject := headerSubject(m.Raw)
		assert.NotEqual(t, "smuggled", subject, "a smuggled message was delivered:\n%s", m.Raw)
		assert.True(t, bytes.Contains(m.Raw, []byte("smuggled")), "%q lost the rest of its body", subject)
	}
}

// headerSubject is the top-level Subject of raw ("" when unparsable).
func headerSubject(raw []byte) string {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	return m.Header.Get("Subject")
}
