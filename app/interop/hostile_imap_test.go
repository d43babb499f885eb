package interop_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHostileIMAP: over-long lines, garbage, commands in the wrong state
// and wrong passwords get BAD or NO (RFC 9051 §7.1), and the session goes
// on.
func TestHostileIMAP(t *testing.T) {
	e := startWorld(t)
	addr := e.net(portIMAP)
	cases := []struct {
		name, line, want string // want: regexp of the tagged reply
	}{
		{"line over 32 KiB", "a1 LOGIN " + strings.Repeat("x", 40000) + " y", `^a1 BAD `},
		{"SELECT before LOGIN", "a1 SELECT INBOX", `^a1 (BAD|NO) `},
		{"FETCH before LOGIN", "a1 FETCH 1 BODY[]", `^a1 (BAD|NO) `},
		{"unknown command", "a1 HELO imap", `^a1 BAD `},
		{"NUL in a command", "a1 NO\x00OP", `^(a1|\*) BAD `},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := dialRaw(t, addr)
			require.True(t, strings.HasPrefix(r.line(), "* OK "), "greeting")
			r.send(tc.line + "\r\n")
			assert.Regexp(t, tc.want, untaggedOrTagged(r, "a1"), "reply to %.40q", tc.line)
			r.send("a2 NOOP\r\n")
			assert.Regexp(t, `^a2 OK `, r.tagged("a2"), "the session goes on")
		})
	}
	t.Run("binary garbage", func(t *testing.T) {
		r := dialRaw(t, addr)
		require.True(t, strings.HasPrefix(r.line(), "* OK "), "greeting")
		g := garbage(2, 320)
		require.Less(t, strings.Count(g, "\n"), 10, "under the limit of 10 bad lines before login")
		r.send(g + "z LOGOUT\r\n")
		var bad int
		for {
			l := r.line()
			if strings.HasPrefix(l, "z ") {
				assert.Regexp(t, `^z OK `, l, "LOGOUT after the garbage")
				break
			}
			if strings.Contains(l, " BAD ") {
				bad++
			} else {
				assert.Regexp(t, `^\* BYE `, l, "garbage answered")
			}
		}
		assert.Positive(t, bad, "garbage gets BAD")
	})
	t.Run("too much garbage before login", func(t *testing.T) {
		r := dialRaw(t, addr)
		require.True(t, strings.HasPrefix(r.line(), "* OK "), "greeting")
		r.send(garbage(2, 2048) + "z LOGOUT\r\n")
		for {
			l := r.line()
			require.False(t, strings.HasPrefix(l, "z "), "LOGOUT is never read: the server hung up before it")
			if strings.HasPrefix(l, "* BYE ") {
				assert.Equal(t, "* BYE Too many invalid IMAP commands.", l, "Dovecot's words")
				break
			}
			assert.Contains(t, l, " BAD ", "garbage answered")
		}
		assert.True(t, r.closedByServer(), "and the connection is closed")
	})
	t.Run("imaps wrong password", func(t *testing.T) {
		r := e.dialRawTLS(t, e.net(portIMAPS), "mail.example.net")
		require.True(t, strings.HasPrefix(r.line(), "* OK "), "greeting")
		r.send("a1 LOGIN bob@example.net not-builder\r\n")
		assert.Regexp(t, `^a1 NO `, r.tagged("a1"))
		r.send("a2 LOGIN alice@example.org wonderland\r\n")
		assert.Regexp(t, `^a2 NO `, r.tagged("a2"), "a user of the other provider")
		r.send("a3 LOGIN bob@example.net builder\r\n")
		assert.Regexp(t, `^a3 OK `, r.tagged("a3"), "the right password after wrong ones")
		r.send("a4 FETCH 1 BODY[]\r\n")
		assert.Regexp(t, `^a4 (BAD|NO) `, r.tagged("a4"), "FETCH before SELECT")
		r.send("a5 LOGOUT\r\n")
		r.tagged("a5")
	})
	r := dialRaw(t, addr)
	assert.Regexp(t, `^\* OK `, r.line(), "a new connection after the abuse")
}

// untaggedOrTagged returns the tagged reply, or an untagged BAD when the
// server could not read the tag (RFC 9051 §7.1.5).
func untaggedOrTagged(r *rawConn, tag string) string {
	for {
		l := r.line()
		if strings.HasPrefix(l, tag+" ") || strings.HasPrefix(l, "* BAD ") {
			return l
		}
	}
}
