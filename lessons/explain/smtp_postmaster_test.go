package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// RCPT TO the postmaster is explained as the reserved mailbox, in any
// capitalisation and without a domain (RFC 5321 §4.1.1.3, §4.5.1).
func TestRcptPostmaster(t *testing.T) {
	for text, key := range map[string]string{
		"RCPT TO:<Postmaster>":             "smtp.cmd.rcpt.postmaster",
		"RCPT TO:<POSTMASTER@example.net>": "smtp.cmd.rcpt.postmaster",
		"RCPT TO:<bob@example.net>":        "smtp.cmd.rcpt",
	} {
		_, x := smtpCommand(text, "smtp", false)
		assert.Equal(t, key, x.Key, text)
	}
}
