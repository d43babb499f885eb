package imap_test

import (
	"encoding/base64"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

func TestGreetingNamesHost(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.raw(t)
	g := r.line()
	assert.True(t, strings.HasPrefix(g, "* OK [CAPABILITY IMAP4rev2 IMAP4rev1 "), g)
	assert.True(t, strings.HasSuffix(g, "] mail.example.net IMAP server ready"), g)
}

// TestBadInput: what a student might type gets a BAD that explains it,
// and the session goes on, before and after LOGIN.
func TestBadInput(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	cases := []struct{ name, send, want string }{
		{"empty line", "", "* BAD Empty line"},
		{"no tag", "LOGIN bob@example.net builder", "LOGIN BAD Unknown command BOB@EXAMPLE.NET"},
		{"binary garbage", "\x00\x01\xfe\xff", "* BAD Syntax error"},
		{"HTTP request", "GET / HTTP/1.1", "GET BAD Unknown command /"},
		{"unknown command", "a1 HELO mail.example.org", "a1 BAD Unknown command HELO"},
		{"tag only", "a2", "a2 BAD Syntax error"},
		{"UID alone", "a3 UID", "a3 BAD Syntax error"},
		{"missing arguments", "a4 LOGIN", "a4 BAD"},
		{"wrong state", "a5 FETCH 1 FLAGS", "a5 BAD"},
		{"over-long line", "a6 NOOP " + strings.Repeat("x", 40*1024), "a6 BAD Line too long"},
		{"over-long garbage", strings.Repeat("\x01", 70*1024), "* BAD Line too long"},
		{"unknown command with literal+", "a7 XFOO {5+}\r\nhello", "a7 BAD Unknown command XFOO"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.raw(t) // a fresh connection: before login bad lines are counted
			r.line()
			r.send(tc.send)
			got := r.line()
			assert.True(t, strings.HasPrefix(got, tc.want), "got %q, want prefix %q", short(got), tc.want)
			r.send("b0 NOOP")
			assert.Equal(t, "b0 OK NOOP completed", r.line(), "the session goes on")
		})
	}
	r := e.raw(t)
	r.line() // greeting
	r.send("b1 LOGIN bob@example.net builder")
	assert.Contains(t, r.until("b1 ")[0], "b1 OK")
	for _, tc := range cases {
		r.send(tc.send)
		got := r.line()
		assert.True(t, strings.HasPrefix(got, tc.want), "after login: got %q, want prefix %q", short(got), tc.want)
	}
	r.send("b2 NOOP")
	assert.Equal(t, "b2 OK NOOP completed", r.line(), "the session survived")
	e.login(t, nil) // and so did the server
}

// TestLiteralLogin types LOGIN with synchronising literals (RFC 9051
// §4.3): the guard must pass the literal data untouched.
func TestLiteralLogin(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.raw(t)
	r.line()
	r.send("a1 LOGIN {15}")
	assert.True(t, strings.HasPrefix(r.line(), "+"))
	r.send("bob@example.net {7}")
	assert.True(t, strings.HasPrefix(r.line(), "+"))
	r.send("builder")
	assert.True(t, strings.HasPrefix(r.line(), "a1 OK"))

	msg := "Subject: typed\r\n\r\nhi\r\n"
	r.send("a2 APPEND Sent (\\Seen) {" + strconv.Itoa(len(msg)) + "}")
	assert.True(t, strings.HasPrefix(r.line(), "+"))
	_, err := io.WriteString(r.conn, msg+"\r\n")
	require.NoError(t, err)
	assert.Contains(t, r.until("a2 ")[0], "a2 OK [APPENDUID ")
	r.send("a3 SELECT Sent")
	assert.Contains(t, r.until("a3 "), "a3 OK [READ-WRITE] SELECT completed")
}

func TestConnectionCap(t *testing.T) {
	e := start(t, imap.Options{MaxConns: 2}, nil)
	first := e.login(t, nil)
	e.login(t, nil)

	r := e.raw(t)
	assert.Equal(t, "* BYE [UNAVAILABLE] Too many connections, try again later", r.line())
	_, err := r.r.ReadString('\n')
	assert.ErrorIs(t, err, io.EOF, "the server hangs up")

	require.NoError(t, first.Logout().Wait())
	require.Eventually(t, func() bool {
		r := e.raw(t)
		return strings.HasPrefix(r.line(), "* OK")
	}, wait, wait/100, "a slot frees up after LOGOUT")
}

// TestExchangesByHand covers the lines that are not commands: a SASL
// response, IDLE's DONE (even after an over-long line), and a refused
// STARTTLS, after which the guard keeps checking.
func TestExchangesByHand(t *testing.T) {
	_, cfg := newCA(t)
	e := start(t, imap.Options{TLSConfig: cfg}, nil)
	e.deliver(t, "hello")
	r := e.raw(t)
	r.line()
	r.send("a1 AUTHENTICATE PLAIN")
	assert.True(t, strings.HasPrefix(r.line(), "+"))
	r.send(base64.StdEncoding.EncodeToString([]byte("\x00" + bob + "\x00" + password)))
	assert.True(t, strings.HasPrefix(r.line(), "a1 OK"))

	r.send("a2 STARTTLS")
	assert.True(t, strings.HasPrefix(r.line(), "a2 BAD"), "no STARTTLS after login")
	r.send("\x01garbage")
	assert.True(t, strings.HasPrefix(r.line(), "* BAD"), "the guard still checks lines")

	r.send("a3 SELECT INBOX")
	r.until("a3 OK")
	r.send("a4 IDLE")
	assert.Equal(t, "+ idling", r.line())
	r.send(strings.Repeat("y", 40*1024))
	got := r.line()
	assert.True(t, strings.HasPrefix(got, "* BAD Line too long"), short(got))
	r.send("DONE")
	assert.Equal(t, "a4 OK IDLE completed", r.line())
}

// TestIMAP4rev2ByHand: after ENABLE IMAP4rev2 searches answer ESEARCH,
// SAVE keeps the result for "$" (RFC 5182) and LIST can return STATUS.
func TestIMAP4rev2ByHand(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "a", "b", "c")
	_, err := e.st.SetFlags(bob, "INBOX", []uint32{2}, store.FlagsAdd, []string{store.FlagSeen})
	require.NoError(t, err)
	r := e.raw(t)
	r.line()
	r.send("a1 LOGIN bob@example.net builder")
	r.until("a1 OK")
	r.send("a2 ENABLE IMAP4rev2")
	r.until("a2 OK")
	r.send("a3 SELECT INBOX")
	r.until("a3 OK")
	r.send("a4 UID SEARCH RETURN (SAVE ALL) UNSEEN")
	assert.Equal(t, []string{`* ESEARCH (TAG "a4") UID ALL 1,3`, "a4 OK UID SEARCH completed"}, r.until("a4 "))
	r.send("a5 UID FETCH $ (FLAGS)")
	assert.Equal(t, []string{"* 1 FETCH (UID 1 FLAGS ())", "* 3 FETCH (UID 3 FLAGS ())", "a5 OK UID FETCH completed"}, r.until("a5 "))
	r.send(`a6 LIST "" "INBOX" RETURN (STATUS (MESSAGES UNSEEN))`)
	lines := r.until("a6 ")
	assert.Contains(t, lines, `* STATUS INBOX (MESSAGES 3 UNSEEN 2)`)
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
