package interop_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHostilePOP3: over-long lines, garbage, commands before login and
// wrong passwords get -ERR (RFC 1939, RFC 2449 §4), and the server keeps
// serving.
func TestHostilePOP3(t *testing.T) {
	e := startWorld(t)
	addr := e.net(portPOP3)
	cases := []struct {
		name, line, want string
	}{
		{"line over 255 octets", "USER " + strings.Repeat("x", 300), "-ERR"},
		{"STAT before login", "STAT", "-ERR"},
		{"RETR before login", "RETR 1", "-ERR"},
		{"DELE before login", "DELE 1", "-ERR"},
		{"PASS before USER", "PASS builder", "-ERR"},
		{"unknown command", "HELO pop3", "-ERR"},
		{"NUL in a command", "US\x00ER bob", "-ERR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := dialRaw(t, addr)
			require.True(t, strings.HasPrefix(r.line(), "+OK "), "greeting")
			r.send(tc.line + "\r\n")
			assert.True(t, strings.HasPrefix(r.line(), tc.want), "reply to %.40q", tc.line)
			r.send("CAPA\r\n")
			assert.True(t, strings.HasPrefix(r.line(), "+OK"), "the session goes on")
		})
	}
	t.Run("binary garbage", func(t *testing.T) {
		r := dialRaw(t, addr)
		require.True(t, strings.HasPrefix(r.line(), "+OK "), "greeting")
		g := garbage(3, 320)
		require.Less(t, strings.Count(g, "\n"), 10, "under the limit of 10 bad lines before login")
		r.send(g + "QUIT\r\n")
		var replies []string
		for {
			l := r.line()
			if strings.HasPrefix(l, "+OK") {
				break // QUIT
			}
			replies = append(replies, l)
		}
		require.NotEmpty(t, replies)
		for _, l := range replies {
			assert.True(t, strings.HasPrefix(l, "-ERR"), "garbage answered %q", l)
		}
	})
	t.Run("too much garbage before login", func(t *testing.T) {
		r := dialRaw(t, addr)
		require.True(t, strings.HasPrefix(r.line(), "+OK "), "greeting")
		r.send(garbage(3, 2048) + "QUIT\r\n")
		for i := 1; ; i++ {
			l := r.line()
			require.False(t, strings.HasPrefix(l, "+OK"), "QUIT is never read: the server hung up before it")
			if i == 10 {
				assert.Equal(t, "-ERR Too many invalid commands.", l, "the tenth bad line ends it")
				break
			}
			assert.True(t, strings.HasPrefix(l, "-ERR"), "garbage answered %q", l)
		}
		assert.True(t, r.closedByServer(), "and the connection is closed")
	})
	t.Run("pop3s wrong passwords", func(t *testing.T) {
		r := e.dialRawTLS(t, e.net(portPOP3S), "mail.example.net")
		require.True(t, strings.HasPrefix(r.line(), "+OK "), "greeting")
		for i := range 3 {
			r.send("USER bob@example.net\r\n")
			require.True(t, strings.HasPrefix(r.line(), "+OK"), "USER")
			r.send("PASS not-builder\r\n")
			assert.True(t, strings.HasPrefix(r.line(), "-ERR"), "wrong PASS %d", i+1)
		}
		assert.True(t, r.closedByServer(), "the third failure closes the connection")
		r = e.dialRawTLS(t, e.net(portPOP3S), "mail.example.net")
		r.line()
		r.send("USER bob@example.net\r\nPASS builder\r\n")
		r.line()
		assert.True(t, strings.HasPrefix(r.line(), "+OK"), "the right password still works")
		r.send("QUIT\r\n")
	})
	assertPOP3Greets(t, addr)
}

func assertPOP3Greets(t *testing.T, addr string) {
	t.Helper()
	r := dialRaw(t, addr)
	assert.True(t, strings.HasPrefix(r.line(), "+OK "), "a new connection after the abuse")
	r.send("QUIT\r\n")
}
