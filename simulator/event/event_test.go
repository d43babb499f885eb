package event

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedactedHidesThePasswordWhole(t *testing.T) {
	tests := []struct {
		proto, text, want string
	}{
		{"pop3", "PASS wonderland", "PASS ********"},
		{"pop3", "PASS my secret pw", "PASS ********"},
		{"pop3", "APOP alice@example.org c4c9334bac560ecc979e58001b3e22fb", "APOP alice@example.org ********"},
		{"pop3", "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", "AUTH PLAIN ********"},
		{"submission", "AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", "AUTH PLAIN ********"},
		{"submission", "AUTH LOGIN YWxpY2U=", "AUTH LOGIN ********"},
		{"submission", "d29uZGVybGFuZA==", "********"},
		{"imap", "a1 LOGIN alice@example.org wonderland", "a1 LOGIN alice@example.org ********"},
		{"imap", `a1 LOGIN alice@example.org "my secret pw"`, "a1 LOGIN alice@example.org ********"},
		{"imap", "a1 LOGIN alice@example.org {12}", "a1 LOGIN alice@example.org ********"},
		{"imap", "my secret pw", "********"},
		{"imap", "a2 AUTHENTICATE PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", "a2 AUTHENTICATE PLAIN ********"},
		{"imap", "a1 LOGIN {5}", "a1 LOGIN ********"},
		{"pop3", "PASS", "********"},
	}
	for _, tc := range tests {
		ev := Event{Proto: tc.proto, Text: tc.text, Credential: true, Raw: []byte(tc.text)}
		got := ev.Redacted()
		assert.Equal(t, tc.want, got.Text, "%s %q", tc.proto, tc.text)
		assert.Nil(t, got.Raw)
	}
	plain := Event{Proto: "pop3", Text: "USER alice"}
	assert.Equal(t, plain, plain.Redacted(), "a line without a credential stays")
}
