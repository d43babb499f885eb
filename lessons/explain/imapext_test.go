package explain

import (
	"strings"
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

// TestIMAPLiteralPlusAndBinary: a non-synchronising APPEND message after
// login (LITERAL+) and a literal8 in FETCH BINARY are read as literals,
// and the BYE after a refused non-synchronising literal is explained.
func TestIMAPLiteralPlusAndBinary(t *testing.T) {
	xs := explainAll("imap",
		"S: * OK ready",
		"C: a APPEND INBOX {13+}",
		"C: Subject: hi",
		"C: ",
		"S: a OK [APPENDUID 1 2] APPEND completed",
		"C: b FETCH 1 (BINARY.PEEK[2])",
		"S: * 1 FETCH (BINARY[2] ~{4}",
		"S: \x00PNG)",
		"S: b OK FETCH completed",
		`C: c LIST "" {5000+}`,
		"S: c NO [TOOBIG] Literal too large for LIST (the limit is 4096 octets)",
		"S: * BYE Literal too large, closing the connection")
	got := make([]string, len(xs))
	for i, x := range xs {
		got[i] = short(x.Key)
	}
	assert.Equal(t, "imap.cmd.append", got[1])
	assert.Equal(t, "msg.header.subject", got[2], "the message of a literal+ is read as a message, not a command")
	assert.Equal(t, "imap.literal.rest", got[3], "the command's end after the literal")
	assert.True(t, strings.HasPrefix(got[6], "imap.resp.fetch"), got[6])
	assert.False(t, strings.HasPrefix(got[7], "imap."), "the decoded part in literal8 is data: %s", got[7])
	assert.Equal(t, "imap.resp.bye.literal", got[11])
}
