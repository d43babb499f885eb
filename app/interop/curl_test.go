package interop_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

// curlPath finds curl; the Makefile installs it, so its absence fails.
func curlPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("curl")
	require.NoError(t, err, "curl is missing: run `make deps` (apt-get install curl)")
	return p
}

// curl runs curl with a bounded time and returns its stdout; a non-zero
// exit fails the test with curl's stderr.
func curl(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, curlPath(t), append([]string{"--silent", "--show-error",
		"--max-time", "15"}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "curl %s: %s", strings.Join(args, " "), stderr.String())
	return string(out)
}

// curlSend submits one message from Alice to Bob at url.
func (e *env) curlSend(t *testing.T, url, subject string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "mail.txt")
	require.NoError(t, os.WriteFile(file, []byte(message(subject)), 0o600))
	curl(t, "--url", url, "--ssl-reqd", "--cacert", e.ca, "--user", "alice@example.org:wonderland",
		"--mail-from", "alice@example.org", "--mail-rcpt", "bob@example.net", "--upload-file", file)
}

// curlBob fetches url as Bob over TLS (STARTTLS for pop3:// and imap://).
func (e *env) curlBob(t *testing.T, url string) string {
	t.Helper()
	return curl(t, "--url", url, "--ssl-reqd", "--cacert", e.ca, "--user", "bob@example.net:builder")
}

// TestCurl: curl submits on 587 (STARTTLS) and 465 (implicit TLS); the
// queue delivers through DNS, MX and LMTP; curl reads both messages back
// with POP3 (STLS and 995) and IMAP (STARTTLS and 993).
func TestCurl(t *testing.T) {
	e := startWorld(t)
	e.curlSend(t, "smtp://127.0.0.1:"+e.orgPort(portSubmission), "curl over STARTTLS")
	e.waitInbox(t, 1)
	e.curlSend(t, "smtps://127.0.0.1:"+e.orgPort(portSubmissions), "curl over implicit TLS")
	msgs := e.waitInbox(t, 2)
	assert.Equal(t, 1, countSubject(msgs, "curl over STARTTLS"))
	assert.Equal(t, 1, countSubject(msgs, "curl over implicit TLS"))

	pop3 := "pop3://127.0.0.1:" + e.netPort(portPOP3)
	pop3s := "pop3s://127.0.0.1:" + e.netPort(portPOP3S)
	imap := "imap://127.0.0.1:" + e.netPort(portIMAP)
	imaps := "imaps://127.0.0.1:" + e.netPort(portIMAPS)
	cases := []struct {
		name, url, want string
	}{
		{"pop3 STLS list", pop3 + "/", "1 "},
		{"pop3 STLS retrieve", pop3 + "/1", "Subject: curl over STARTTLS"},
		{"pop3s list", pop3s + "/", "2 "},
		{"pop3s retrieve", pop3s + "/2", "Subject: curl over implicit TLS"},
		{"imap STARTTLS fetch", imap + "/INBOX;UID=1", "Subject: curl over STARTTLS"},
		{"imaps fetch", imaps + "/INBOX;UID=2", "Subject: curl over implicit TLS"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, e.curlBob(t, tc.url), tc.want)
		})
	}
	// POP3 only reads: both messages are still there for IMAP and later.
	assert.Len(t, e.inbox(t), 2, "Bob's INBOX after reading")

	ext := e.externalLines()
	seen := map[string]bool{}
	for _, ev := range ext {
		seen[ev.Proto] = true
	}
	for _, proto := range []string{"submission", "pop3", "imap"} {
		assert.True(t, seen[proto], "no external %s line in the event log", proto)
	}
	assert.True(t, hasLine(ext, "submission", "C", "EHLO"), "curl's EHLO is logged")
	assert.True(t, hasLine(ext, "pop3", "C", "STLS"), "curl's STLS is logged")
	assert.True(t, hasLine(ext, "imap", "C", "STARTTLS"), "curl's STARTTLS is logged")
	assert.True(t, hasEncrypted(ext), "lines after STARTTLS are logged decrypted")
	e.assertTrip(t)
}

// assertTrip checks the log for each hop after the MSA: the queue asks
// DNS for the MX, hands the message to mx.example.net, which passes it to
// the MDA over LMTP.
func (e *env) assertTrip(t *testing.T) {
	t.Helper()
	hops := map[string]bool{}
	for _, ev := range e.w.Conductor.Log() {
		switch {
		case ev.Kind == event.KindPacket && ev.Client == "smtp.example.org" && strings.Contains(ev.Text, "MX example.net"):
			hops["dns"] = true
		case ev.Kind == event.KindLine && ev.Client == "smtp.example.org" && ev.Server == "mx.example.net" &&
			strings.HasPrefix(ev.Text, "RCPT TO:<bob@example.net>"):
			hops["mx"] = true
		case ev.Kind == event.KindLine && ev.Server == "mda.example.net" && ev.Proto == "lmtp" &&
			strings.HasPrefix(ev.Text, "250 "):
			hops["lmtp"] = true
		}
	}
	for _, hop := range []string{"dns", "mx", "lmtp"} {
		assert.True(t, hops[hop], "no %s hop in the event log", hop)
	}
}

func hasEncrypted(evs []event.Event) bool {
	for _, ev := range evs {
		if ev.Encrypted {
			return true
		}
	}
	return false
}

func hasLine(evs []event.Event, proto, dir, substr string) bool {
	for _, ev := range evs {
		if ev.Proto == proto && string(ev.Dir) == dir && strings.Contains(ev.Text, substr) {
			return true
		}
	}
	return false
}
