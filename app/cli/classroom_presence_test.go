package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"maillab/lessons/i18n"
	"maillab/simulator/classroom"
)

// The host's output says when a provider stops answering and when it
// answers again, in the user's language.
func TestDescribePresence(t *testing.T) {
	p := &classroom.Provider{Name: "anna", Domain: "anna.room42.test", Address: "10.0.0.2"}
	for _, tc := range []struct{ lang, kind, want string }{
		{"en", classroom.Silent, "? anna.room42.test is not answering (no word from it for 30 s: its Maillab may be closed or off the network)"},
		{"en", classroom.Back, "+ anna.room42.test answers again"},
		{"de", classroom.Silent, "? anna.room42.test antwortet nicht (seit 30 s kein Lebenszeichen: Das Maillab dort ist vielleicht geschlossen oder nicht im Netz)"},
		{"pl", classroom.Back, "+ anna.room42.test znów odpowiada"},
	} {
		tr := func(k string, params map[string]string) string { return i18n.T(tc.lang, k, params) }
		assert.Equal(t, tc.want, describeChange(classroom.Change{Kind: tc.kind, Provider: p}, tr), tc.lang+" "+tc.kind)
	}
}
