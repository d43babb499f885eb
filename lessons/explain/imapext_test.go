package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIMAPExtensions: ID (RFC 2971) in both directions, and the
// capabilities ID, BINARY and LITERAL+ in a capability list, wherever the
// list stands.
func TestIMAPExtensions(t *testing.T) {
	cases := []struct {
		name    string
		rows    []string
		key     string
		details []string
	}{
		{"ID command", []string{"S: * OK ready", `C: a ID ("name" "mutt")`}, "imap.cmd.id", nil},
		{"ID NIL", []string{"S: * OK ready", "C: a ID NIL"}, "imap.cmd.id", nil},
		{"ID response", []string{"S: * OK ready", "C: a ID NIL", `S: * ID ("name" "Maillab" "version" "1")`}, "imap.resp.id", nil},
		{"greeting", []string{"S: * OK [CAPABILITY IMAP4rev2 IMAP4rev1 SASL-IR LITERAL- AUTH=PLAIN ID] ready"},
			"imap.greeting", []string{"imap.code.capability", "imap.cap.id", "auth.offered.cleartext"}},
		{"CAPABILITY after login", []string{"S: * OK ready", "C: a CAPABILITY",
			"S: * CAPABILITY IMAP4rev2 IMAP4rev1 SASL-IR BINARY LITERAL+ APPENDLIMIT=10485760 ID"},
			"imap.resp.capability", []string{"imap.cap.appendlimit", "imap.cap.id", "imap.cap.binary", "imap.cap.literalplus"}},
		{"LOGIN reply", []string{"S: * OK ready", "C: a LOGIN bob builder", "S: a OK [CAPABILITY IMAP4rev2 BINARY LITERAL+ ID] Logged in"},
			"imap.ok.login", []string{"imap.code.capability", "imap.cap.id", "imap.cap.binary", "imap.cap.literalplus"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			x := lastKey(t, "imap", tc.rows...)
			assert.Equal(t, tc.key, short(x.Key))
			if tc.details != nil {
				assert.Equal(t, tc.details, shorts(x.Details))
			}
		})
	}
}
