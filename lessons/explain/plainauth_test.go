package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
)

// A refusal of a password before TLS is not a wrong password.
func TestPOP3AuthRefusedBeforeSTLS(t *testing.T) {
	cases := []struct {
		name string
		tls  bool
		rows []string
		want string
	}{
		{"USER before STLS", false, []string{"S: +OK ready", "C: USER bob@example.net",
			"S: -ERR [AUTH] Plaintext authentication disallowed on non-secure connections: use STLS first, or port 995"},
			"pop3.err.code.auth.plaintext"},
		{"AUTH before STLS", false, []string{"S: +OK ready", "C: AUTH PLAIN AGJvYgBidWlsZGVy",
			"S: -ERR [AUTH] Plaintext authentication disallowed"}, "pop3.err.code.auth.plaintext"},
		{"wrong password without TLS (--allow-plaintext-auth)", false, []string{"S: +OK ready", "C: USER bob@example.net", "S: +OK",
			"C: PASS nope", "S: -ERR [AUTH] Invalid credentials"}, "pop3.err.code.auth"},
		{"wrong password inside TLS", true, []string{"S: +OK ready", "C: USER bob@example.net", "S: +OK",
			"C: PASS nope", "S: -ERR [AUTH] Invalid credentials"}, "pop3.err.code.auth"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr := NewTracker()
			var x Explanation
			for _, ev := range script("pop3", c.rows...) {
				ev.Encrypted = c.tls
				x = tr.Explain(ev)
			}
			assert.Equal(t, c.want, short(x.Key))
		})
	}
}

func TestLoginDisabledIsExplained(t *testing.T) {
	x := lastKey(t, "imap", "S: * OK [CAPABILITY IMAP4rev2 IMAP4rev1 SASL-IR LITERAL- STARTTLS LOGINDISABLED] mail.example.net IMAP server ready")
	assert.Contains(t, shorts(x.Details), "imap.cap.logindisabled")
	x = lastKey(t, "imap", "S: * OK ready", "C: a CAPABILITY", "S: * CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED")
	assert.Contains(t, shorts(x.Details), "imap.cap.logindisabled")
	x = lastKey(t, "imap", "S: * OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=PLAIN] ready")
	assert.NotContains(t, shorts(x.Details), "imap.cap.logindisabled")
	x = lastKey(t, "imap", "S: * OK ready", "C: a LOGIN bob builder", "S: a NO [PRIVACYREQUIRED] TLS is required to authenticate")
	assert.Contains(t, shorts(x.Details), "imap.code.privacyrequired")
	for _, lang := range i18n.Languages {
		require.Contains(t, i18n.T(lang, prefix+"imap.code.privacyrequired", nil), "--allow-plaintext-auth", lang)
		require.Contains(t, i18n.T(lang, prefix+"pop3.err.code.auth.plaintext", nil), "--allow-plaintext-auth", lang)
	}
}
