package imap_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
)

// TestID: ID (RFC 2971) is advertised and answered in every state, with
// the server's name and version; bad arguments get BAD and the session
// goes on.
func TestID(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	const answer = `* ID ("name" "Maillab" "version" "1")`
	cases := []struct{ name, send, want string }{
		{"list", `a ID ("name" "mutt" "version" "2.2")`, "a OK ID completed"},
		{"NIL", "a ID NIL", "a OK ID completed"},
		{"nil lower case", "a id nil", "a OK ID completed"},
		{"NIL value", `a ID ("name" NIL)`, "a OK ID completed"},
		{"empty list", "a ID ()", "a OK ID completed"},
		{"escaped quote", `a ID ("name" "say \"hi\"")`, "a OK ID completed"},
		{"30 pairs", "a ID (" + pairs(30) + ")", "a OK ID completed"},
		{"no argument", "a ID", "a BAD Syntax error"},
		{"atom", "a ID name", "a BAD Syntax error"},
		{"odd count", `a ID ("name")`, "a BAD Syntax error"},
		{"NIL field", `a ID (NIL "x")`, "a BAD Syntax error"},
		{"unclosed list", `a ID ("name" "x"`, "a BAD Syntax error"},
		{"unclosed string", `a ID ("name" "x)`, "a BAD Syntax error"},
		{"no space", `a ID ("name""x")`, "a BAD Syntax error"},
		{"31 pairs", "a ID (" + pairs(31) + ")", "a BAD [LIMIT] ID takes at most 30"},
		{"long field", `a ID ("` + strings.Repeat("f", 31) + `" "x")`, "a BAD [LIMIT] An ID field name"},
		{"long value", `a ID ("name" "` + strings.Repeat("v", 1025) + `")`, "a BAD [LIMIT] An ID value"},
		{"literal", "a ID ({4}", "a BAD Syntax error: write the ID values as quoted strings"},
		{"non-sync literal", "a ID ({4+}\r\nname \"x\")", "a BAD Syntax error: write the ID values as quoted strings"},
	}
	check := func(t *testing.T, r *raw, send, want string) {
		r.send(send)
		got := r.line()
		if strings.HasPrefix(want, "a OK") {
			assert.Equal(t, answer, got)
			got = r.line()
		}
		assert.True(t, strings.HasPrefix(got, want), "got %q, want prefix %q", short(got), want)
		r.send("b0 NOOP")
		assert.Equal(t, "b0 OK NOOP completed", r.line(), "the session goes on")
	}
	for _, tc := range cases {
		t.Run("before login/"+tc.name, func(t *testing.T) {
			r := e.raw(t)
			r.line()
			check(t, r, tc.send, tc.want)
		})
	}
	r := e.raw(t)
	r.line()
	r.send("b1 LOGIN bob@example.net builder")
	require.Contains(t, r.until("b1 ")[0], "b1 OK")
	r.send("b2 SELECT INBOX")
	require.Contains(t, r.until("b2 "), "b2 OK [READ-WRITE] SELECT completed")
	for _, tc := range cases {
		t.Run("selected/"+tc.name, func(t *testing.T) { check(t, r, tc.send, tc.want) })
	}
}

func pairs(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"f` + strings.Repeat("x", i%20) + `" "v"`)
	}
	return b.String()
}

// TestIDAdvertised: ID is in every capability list the server sends.
func TestIDAdvertised(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.raw(t)
	g := r.line()
	assert.Contains(t, g, " ID ", "greeting")
	assert.True(t, strings.HasSuffix(g, "] mail.example.net IMAP server ready"), g)
	r.send("a CAPABILITY")
	assert.Regexp(t, `^\* CAPABILITY IMAP4rev2 .* ID( |$)`, r.line())
	assert.Equal(t, "a OK CAPABILITY completed", r.line())
	r.send("b LOGIN bob@example.net builder")
	assert.Regexp(t, `^b OK \[CAPABILITY IMAP4rev2 .* ID[ \]]`, r.line())
	r.send("c CAPABILITY")
	assert.Regexp(t, `^\* CAPABILITY IMAP4rev2 .* ID( |$)`, r.line())

	c := e.login(t, nil)
	assert.True(t, c.Caps().Has("ID"), "go-imap's client sees ID")
}
