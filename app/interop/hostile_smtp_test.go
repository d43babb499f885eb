package interop_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smtpService is one SMTP-speaking port and the host name TLS expects.
type smtpService struct {
	name, addr string
}

// TestHostileSMTP: over-long lines, binary garbage and commands out of
// order get 5xx replies on the MX, the MSA and the MDA's LMTP port, and
// each still greets the next client.
func TestHostileSMTP(t *testing.T) {
	e := startWorld(t, withoutAuthChecks)
	services := []smtpService{{"mx", e.net(portSMTP)}, {"msa", e.org(portSubmission)}, {"lmtp", e.net(24)}}
	for _, s := range services {
		t.Run(s.name+" line over 1000 octets", func(t *testing.T) {
			r := dialRaw(t, s.addr)
			require.True(t, strings.HasPrefix(r.reply(), "220 "), "greeting")
			r.send("EHLO " + strings.Repeat("a", 1100) + "\r\n")
			assert.True(t, strings.HasPrefix(r.reply(), "500 "), "reply to a 1106-octet line")
			assertGreets(t, s.addr)
		})
		t.Run(s.name+" binary garbage", func(t *testing.T) {
			r := dialRaw(t, s.addr)
			require.True(t, strings.HasPrefix(r.reply(), "220 "), "greeting")
			r.send(garbage(1, 2048) + "QUIT\r\n")
			out, _ := r.rest()
			assert.Regexp(t, `(?m)^5\d\d `, out, "garbage gets 5xx replies")
			assert.NotRegexp(t, `(?m)^2[0-1356789]\d `, out, "no garbage line is accepted")
			assertGreets(t, s.addr)
		})
	}
	mx := e.net(portSMTP)
	outOfOrder := []struct {
		name  string
		lines []string
		want  string // regexp of the last reply
	}{
		{"RCPT before MAIL", []string{"EHLO client.test", "RCPT TO:<bob@example.net>"}, `^503 `},
		{"DATA before RCPT", []string{"EHLO client.test", "MAIL FROM:<x@example.org>", "DATA"}, `^(503|554) `},
		{"DATA before MAIL", []string{"EHLO client.test", "DATA"}, `^(503|554) `},
		{"MAIL before EHLO", []string{"MAIL FROM:<x@example.org>"}, `^503 `},
		{"relay refused", []string{"EHLO client.test", "MAIL FROM:<x@example.org>", "RCPT TO:<carol@example.com>"}, `^55\d `},
		{"unknown user", []string{"EHLO client.test", "MAIL FROM:<x@example.org>", "RCPT TO:<nobody@example.net>"}, `^550 `},
	}
	for _, tc := range outOfOrder {
		t.Run("mx "+tc.name, func(t *testing.T) {
			got := smtpDialogue(t, mx, tc.lines)
			assert.Regexp(t, tc.want, got)
		})
	}
	msa := e.org(portSubmission)
	t.Run("msa MAIL before AUTH", func(t *testing.T) {
		assert.Regexp(t, `^530 `, smtpDialogue(t, msa, []string{"EHLO client.test", "MAIL FROM:<alice@example.org>"}))
	})
	t.Run("msa AUTH before STARTTLS", func(t *testing.T) {
		assert.Regexp(t, `^530 5\.7\.0 `, smtpDialogue(t, msa, []string{"EHLO client.test",
			"AUTH PLAIN " + plain("alice@example.org", "wonderland")}))
	})
	t.Run("submissions wrong password", func(t *testing.T) {
		r := e.dialRawTLS(t, e.org(portSubmissions), "smtp.example.org")
		require.True(t, strings.HasPrefix(r.reply(), "220 "), "greeting")
		r.send("EHLO client.test\r\n")
		r.reply()
		r.send("AUTH PLAIN " + plain("alice@example.org", "not-wonderland") + "\r\n")
		assert.Regexp(t, `^535 `, r.reply())
		r.send("AUTH PLAIN " + plain("bob@example.net", "builder") + "\r\n")
		assert.Regexp(t, `^535 `, r.reply(), "a user of the other provider")
		r.send("AUTH PLAIN " + plain("alice@example.org", "wonderland") + "\r\n")
		assert.Regexp(t, `^235 `, r.reply(), "the right password after wrong ones")
	})
	t.Run("mx DATA line of exactly 1000 octets", func(t *testing.T) {
		// The limit's edge is legal (RFC 5321 §4.5.3.1.6 counts the CRLF).
		r, _ := e.openData(t, mx, false)
		r.send(message("longest legal line") + strings.Repeat("c", 998) + "\r\n.\r\n")
		assert.Regexp(t, `^250 `, r.reply())
	})
	require.NoError(t, e.submit("after the SMTP abuse"), "a normal submission")
	msgs := e.waitInbox(t, 2)
	assert.Equal(t, 1, countSubject(msgs, "after the SMTP abuse"))
	assert.Equal(t, 1, countSubject(msgs, "longest legal line"))
}

// smtpDialogue sends lines one by one after the greeting and returns the
// last reply.
func smtpDialogue(t *testing.T, addr string, lines []string) string {
	t.Helper()
	r := dialRaw(t, addr)
	require.True(t, strings.HasPrefix(r.reply(), "220 "), "greeting")
	var last string
	for _, l := range lines {
		require.NoError(t, r.send(l+"\r\n"))
		last = r.reply()
	}
	return last
}

// assertGreets checks that a fresh connection still gets a 220.
func assertGreets(t *testing.T, addr string) {
	t.Helper()
	r := dialRaw(t, addr)
	assert.Regexp(t, `^220 `, r.reply(), "a new connection after the abuse")
	r.send("QUIT\r\n")
}
