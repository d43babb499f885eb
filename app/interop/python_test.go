package interop_test

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// python runs testdata/script with args and returns its output and
// whether it exited 0. python3 is installed by the Makefile, so its
// absence fails the test.
func python(t *testing.T, script string, args ...string) (string, bool) {
	t.Helper()
	py, err := exec.LookPath("python3")
	require.NoError(t, err, "python3 is missing: run `make deps` (apt-get install python3)")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, append([]string{filepath.Join("testdata", script)}, args...)...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		require.NoError(t, err, "run %s", script)
	}
	return string(out), err == nil
}

// TestPython: smtplib, poplib and imaplib with only the standard library
// and the run's CA, over STARTTLS/STLS and implicit TLS, plus the
// refusals a real client must understand.
func TestPython(t *testing.T) {
	e := startWorld(t)
	host := "127.0.0.1"
	out, ok := python(t, "smtp_client.py", "starttls", host, e.orgPort(portSubmission), e.ca, "smtplib STARTTLS")
	require.True(t, ok, "smtplib starttls: %s", out)
	assert.Contains(t, out, "sent refused=0")
	out, ok = python(t, "smtp_client.py", "ssl", host, e.orgPort(portSubmissions), e.ca, "smtplib SMTP_SSL")
	require.True(t, ok, "smtplib SMTP_SSL: %s", out)
	msgs := e.waitInbox(t, 2)
	assert.Equal(t, 1, countSubject(msgs, "smtplib STARTTLS"))
	assert.Equal(t, 1, countSubject(msgs, "smtplib SMTP_SSL"))

	cases := []struct {
		name, script, mode, port string
		want                     []string
	}{
		{"poplib stls", "pop3_client.py", "stls", e.netPort(portPOP3),
			[]string{"stat 2 ", "Subject: smtplib STARTTLS", "Subject: smtplib SMTP_SSL", "+OK"}},
		{"poplib POP3_SSL", "pop3_client.py", "ssl", e.netPort(portPOP3S),
			[]string{"stat 2 ", "Subject: smtplib STARTTLS", "Subject: smtplib SMTP_SSL"}},
		{"imaplib starttls", "imap_client.py", "starttls", e.netPort(portIMAP),
			[]string{"select OK 2", "uid 1 OK", "uid 2 OK", "Subject: smtplib STARTTLS", "Subject: smtplib SMTP_SSL"}},
		{"imaplib IMAP4_SSL", "imap_client.py", "ssl", e.netPort(portIMAPS),
			[]string{"select OK 2", "Subject: smtplib SMTP_SSL"}},
		{"smtplib wrong password", "smtp_client.py", "wrong-password", e.orgPort(portSubmission),
			[]string{"auth-error 535"}},
		{"smtplib AUTH before STARTTLS", "smtp_client.py", "auth-before-starttls", e.orgPort(portSubmission),
			[]string{"auth 530 5.7.0"}},
		{"poplib USER/PASS before STLS", "pop3_client.py", "plain", e.netPort(portPOP3),
			[]string{"capa ", "STLS", "error -ERR [AUTH] Plaintext authentication disallowed"}},
		{"imaplib LOGIN before STARTTLS", "imap_client.py", "plain", e.netPort(portIMAP),
			[]string{"LOGINDISABLED", "login-refused", "PRIVACYREQUIRED"}},
		{"poplib wrong password", "pop3_client.py", "wrong-password", e.netPort(portPOP3),
			[]string{"error -ERR"}},
		{"imaplib wrong password", "imap_client.py", "wrong-password", e.netPort(portIMAP),
			[]string{"login-refused", "AUTHENTICATIONFAILED"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{tc.mode, host, tc.port, e.ca}
			if tc.script == "smtp_client.py" {
				args = append(args, "unused")
			}
			out, ok := python(t, tc.script, args...)
			assert.True(t, ok, "exit status; output:\n%s", out)
			for _, w := range tc.want {
				assert.Contains(t, out, w)
			}
		})
	}
	// Reading and refusals changed nothing: still exactly the two messages.
	assert.Len(t, e.inbox(t), 2, "Bob's INBOX at the end")
	assert.True(t, hasLine(e.externalLines(), "imap", "C", "LOGIN"), "imaplib's LOGIN is logged")
	for _, ev := range e.externalLines() {
		if strings.Contains(ev.Text, "builder") || strings.Contains(ev.Text, "wonderland") {
			assert.True(t, ev.Credential, "a password line not marked as credential: %q", ev.Text)
		}
	}
}
