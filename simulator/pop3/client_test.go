package pop3

import (
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (ts *testServer) client(t *testing.T) *Client {
	t.Helper()
	conn, err := net.Dial("tcp", ts.addr)
	require.NoError(t, err, "Dial()")
	t.Cleanup(func() { conn.Close() })
	c, err := NewClient(conn)
	require.NoError(t, err, "NewClient()")
	return c
}

func TestClientFullSession(t *testing.T) {
	ts := start(t, Options{})
	c := ts.client(t)
	assert.Contains(t, c.Greeting(), host+" POP3 server ready <")

	caps, err := c.Capa()
	require.NoError(t, err, "Capa()")
	assert.Contains(t, caps, "UIDL")
	require.NoError(t, c.User(alice), "User()")
	require.NoError(t, c.Pass(alicePass), "Pass()")

	s1, s2, s3 := WireSize([]byte(msg1)), WireSize([]byte(msg2)), WireSize([]byte(msg3))
	n, size, err := c.Stat()
	require.NoError(t, err, "Stat()")
	assert.Equal(t, 3, n)
	assert.Equal(t, s1+s2+s3, size)

	list, err := c.List()
	require.NoError(t, err, "List()")
	assert.Equal(t, []MessageInfo{{Number: 1, Size: s1}, {Number: 2, Size: s2}, {Number: 3, Size: s3}}, list)
	uids, err := c.Uidl()
	require.NoError(t, err, "Uidl()")
	assert.Equal(t, []MessageInfo{{Number: 1, UID: "mem-1"}, {Number: 2, UID: "mem-2"}, {Number: 3, UID: "mem-3"}}, uids)

	// Dot-stuffing round trip: ".hidden" and a line of only "." survive.
	body, err := c.Retr(1)
	require.NoError(t, err, "Retr(1)")
	assert.Equal(t, msg1, string(body))
	body, err = c.Retr(2)
	require.NoError(t, err, "Retr(2)")
	assert.Equal(t, strings.ReplaceAll(msg2, "\n", "\r\n"), string(body))
	assert.Equal(t, len(body), s2, "LIST size is the size RETR delivers")
	top, err := c.Top(1, 1)
	require.NoError(t, err, "Top()")
	assert.Equal(t, "From: bob@example.net\r\nTo: alice@example.org\r\nSubject: one\r\n\r\nHello Alice\r\n", string(top))

	require.NoError(t, c.Dele(1), "Dele(1)")
	require.NoError(t, c.Rset(), "Rset()")
	require.NoError(t, c.Dele(2), "Dele(2)")
	require.NoError(t, c.Noop(), "Noop()")
	var perr *Error
	_, err = c.Retr(2)
	require.ErrorAs(t, err, &perr)
	assert.Equal(t, "message 2 already deleted", perr.Text)
	require.NoError(t, c.Quit(), "Quit()")
	assert.Equal(t, []string{"mem-1", "mem-3"}, ts.be.Stored(alice))
}

func TestClientLogins(t *testing.T) {
	serverTLS, clientTLS := newTLS(t)
	longPass := strings.Repeat("p", 300) // too long for an initial response
	be := newBackend(t)
	be.AddUser("carol@example.org", longPass)
	ts := start(t, Options{TLSConfig: serverTLS, Backend: be})
	tests := []struct {
		name  string
		login func(c *Client) error
	}{
		{"USER PASS", func(c *Client) error {
			if err := c.User(alice); err != nil {
				return err
			}
			return c.Pass(alicePass)
		}},
		{"APOP", func(c *Client) error { return c.APOP(alice, alicePass) }},
		{"AUTH PLAIN", func(c *Client) error { return c.Auth(alice, alicePass) }},
		{"AUTH PLAIN continued", func(c *Client) error { return c.Auth("carol@example.org", longPass) }},
		{"STLS then AUTH", func(c *Client) error {
			if err := c.StartTLS(clientTLS); err != nil {
				return err
			}
			caps, err := c.Capa()
			if err != nil {
				return err
			}
			assert.NotContains(t, caps, "STLS")
			return c.Auth(alice, alicePass)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ts.client(t)
			require.NoError(t, tc.login(c), "login")
			_, _, err := c.Stat()
			assert.NoError(t, err, "Stat()")
			assert.NoError(t, c.Quit(), "Quit()")
		})
	}
}

func TestClientErrors(t *testing.T) {
	ts := start(t, Options{})
	c := ts.client(t)
	var perr *Error
	err := c.Auth(alice, "wrong")
	require.ErrorAs(t, err, &perr, "Auth()")
	assert.Equal(t, &Error{Code: "AUTH", Text: "invalid user name or password"}, perr)
	assert.Equal(t, "pop3: -ERR [AUTH] invalid user name or password", err.Error())

	_, _, err = c.Stat()
	require.ErrorAs(t, err, &perr, "Stat() before login")
	assert.Empty(t, perr.Code)
	assert.ErrorIs(t, c.User("x\r\nPASS y"), ErrLineBreak)

	first := ts.client(t)
	require.NoError(t, first.Auth(alice, alicePass))
	err = c.Auth(alice, alicePass)
	require.ErrorAs(t, err, &perr, "second login")
	assert.Equal(t, "IN-USE", perr.Code)
	require.NoError(t, c.Close())
}

func TestClientWithoutAPOPTimestamp(t *testing.T) {
	server, client := net.Pipe()
	defer server.Close()
	go server.Write([]byte("+OK hello\r\n"))
	c, err := NewClient(client)
	require.NoError(t, err)
	defer c.Close()
	assert.True(t, errors.Is(c.APOP(alice, alicePass), ErrNoAPOP))
}

func TestParseErrorLine(t *testing.T) {
	tests := []struct {
		text string
		want *Error
	}{
		{" [IN-USE] maildrop already locked", &Error{Code: "IN-USE", Text: "maildrop already locked"}},
		{" [SYS/TEMP] x", &Error{Code: "SYS/TEMP", Text: "x"}},
		{" no such message", &Error{Text: "no such message"}},
		{"", &Error{}},
		{" [broken", &Error{Text: "[broken"}},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, parseError(tc.text), "parseError(%q)", tc.text)
	}
}
