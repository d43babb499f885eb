package pop3

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/limits"
)

func TestDotStuffingOnTheWire(t *testing.T) {
	ts := start(t, Options{})
	r := ts.login(t, alice, alicePass)
	r.cmd("RETR 1", fmt.Sprintf("+OK %d octets", WireSize([]byte(msg1))))
	assert.Equal(t, []string{"From: bob@example.net", "To: alice@example.org", "Subject: one", "",
		"Hello Alice", "..hidden", "..", "line 4", "line 5"}, r.data())
	// Bare LF in the store goes out as CRLF (r.line checks every ending).
	r.cmd("RETR 2", "+OK")
	assert.Equal(t, []string{"Subject: two", "", "bare LF a", "bare LF b"}, r.data())
}

func TestTop(t *testing.T) {
	ts := start(t, Options{})
	r := ts.login(t, alice, alicePass)
	head := []string{"From: bob@example.net", "To: alice@example.org", "Subject: one", ""}
	tests := []struct {
		cmd  string
		want []string
	}{
		{"TOP 1 0", head},
		{"TOP 1 2", append(head[:4:4], "Hello Alice", "..hidden")},
		{"TOP 1 3", append(head[:4:4], "Hello Alice", "..hidden", "..")},
		{"TOP 1 100", append(head[:4:4], "Hello Alice", "..hidden", "..", "line 4", "line 5")},
		{"TOP 1 99999999999999999999", append(head[:4:4], "Hello Alice", "..hidden", "..", "line 4", "line 5")},
		{"TOP 2 1", []string{"Subject: two", "", "bare LF a"}},
	}
	for _, tc := range tests {
		t.Run(tc.cmd, func(t *testing.T) {
			r.cmd(tc.cmd, "+OK")
			assert.Equal(t, tc.want, r.data())
		})
	}
}

func TestUIDLStableAcrossSessions(t *testing.T) {
	ts := start(t, Options{})
	r := ts.login(t, alice, alicePass)
	r.cmd("UIDL", "+OK")
	assert.Equal(t, []string{"1 mem-1", "2 mem-2", "3 mem-3"}, r.data())
	r.cmd("DELE 1", "+OK")
	r.cmd("QUIT", "+OK")
	_, err := ts.be.Deliver(alice, []byte("Subject: four\r\n\r\nnew\r\n"))
	require.NoError(t, err)

	// Numbers start again at 1; the unique-ids stay with their messages.
	r = ts.login(t, alice, alicePass)
	r.cmd("UIDL", "+OK")
	assert.Equal(t, []string{"1 mem-2", "2 mem-3", "3 mem-4"}, r.data())
	r.cmd("UIDL 2", "+OK 2 mem-3")
}

func TestDeleQuitApplies(t *testing.T) {
	ts := start(t, Options{})
	r := ts.login(t, alice, alicePass)
	r.cmd("DELE 1", "+OK message 1 deleted")
	r.cmd("DELE 3", "+OK message 3 deleted")
	r.cmd("QUIT", "+OK "+host+" POP3 server signing off (1 messages left)")
	r.eof()
	assert.Equal(t, []string{"mem-2"}, ts.be.Stored(alice))

	r = ts.login(t, alice, alicePass)
	r.cmd("DELE 1", "+OK")
	r.cmd("QUIT", "+OK "+host+" POP3 server signing off (maildrop empty)")
	assert.Empty(t, ts.be.Stored(alice))
}

func TestDeleDropAppliesNothing(t *testing.T) {
	ts := start(t, Options{})
	r := ts.login(t, alice, alicePass)
	r.cmd("DELE 1", "+OK")
	r.cmd("DELE 2", "+OK")
	r.c.Close()
	ts.srv.Close() // waits until the session has ended
	assert.Equal(t, []string{"mem-1", "mem-2", "mem-3"}, ts.be.Stored(alice))
}

func TestMaildropLock(t *testing.T) {
	ts := start(t, Options{})
	first := ts.login(t, alice, alicePass)

	second := ts.connect(t)
	second.cmd("USER "+strings.ToUpper(alice), "+OK")
	second.cmd("PASS "+alicePass, "-ERR [IN-USE] maildrop already locked")
	// Still in AUTHORIZATION; another user's maildrop is not locked.
	second.cmd("STAT", "-ERR")
	other := ts.login(t, bob, bobPass)
	other.cmd("STAT", "+OK 0 0")

	first.cmd("QUIT", "+OK")
	second.cmd("USER "+alice, "+OK")
	second.cmd("PASS "+alicePass, "+OK")
}

func TestLineLength(t *testing.T) {
	ts := start(t, Options{})
	r := ts.connect(t)
	// 255 octets with CRLF is the limit (RFC 2449 §4).
	r.cmd("USER "+strings.Repeat("a", 255-2-5), "+OK")
	r.cmd("USER "+strings.Repeat("a", 255-2-5+1), "-ERR line too long")
	r.cmd(strings.Repeat("A", 1<<20), "-ERR line too long")
	r.write(strings.Repeat("B", 300) + "\n") // a bare LF ends a line too
	r.expect("-ERR line too long")
	r.cmd("QUIT", "+OK")
}

func TestWrongPasswordThreeTimes(t *testing.T) {
	tests := []struct {
		name     string
		attempts []string
	}{
		{"PASS", []string{"USER " + alice, "PASS a", "USER " + alice, "PASS b", "USER " + alice, "PASS c"}},
		{"mixed", []string{"APOP " + alice + " 00", "AUTH PLAIN " + plain("", alice, "x"), "USER " + alice, "PASS c"}},
	}
	ts := start(t, Options{})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ts.connect(t)
			for _, a := range tc.attempts {
				want := "-ERR [AUTH] invalid user name or password"
				if strings.HasPrefix(a, "USER") {
					want = "+OK"
				}
				r.cmd(a, want)
			}
			r.eof()
		})
	}
}

func TestConnectionCap(t *testing.T) {
	ts := start(t, Options{MaxConns: 2})
	a := ts.connect(t)
	ts.connect(t)
	third := ts.dial(t)
	third.expect("-ERR [SYS/TEMP] too many connections")
	third.eof()

	a.cmd("QUIT", "+OK")
	a.eof() // the slot is free once the server has closed the connection
	ts.connect(t).cmd("NOOP", "-ERR")
}

func TestIdleTimeoutAfterLogin(t *testing.T) {
	ts := start(t, Options{Timeouts: limits.Timeouts{Session: 50 * time.Millisecond}})
	r := ts.dial(t)
	// One write, so the short timer cannot fire between the commands.
	r.write("USER " + alice + "\r\nPASS " + alicePass + "\r\nDELE 1\r\n")
	for _, want := range []string{"+OK " + host, "+OK", "+OK", "+OK message 1 deleted"} {
		r.expect(want)
	}
	r.expect("-ERR Disconnected for inactivity.")
	r.eof() // RFC 1939 §3: no UPDATE
	ts.srv.Close()
	assert.Len(t, ts.be.Stored(alice), 3)
}

func TestCloseEndsSessions(t *testing.T) {
	ts := start(t, Options{})
	r := ts.login(t, alice, alicePass)
	require.NoError(t, ts.srv.Close())
	r.eof()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	assert.ErrorIs(t, ts.srv.Serve(l), ErrServerClosed, "Serve() after Close()")
}

func TestAPOPTimestampsAreUnique(t *testing.T) {
	ts := start(t, Options{})
	g1 := ts.dial(t).expect("+OK")
	g2 := ts.dial(t).expect("+OK")
	t1, t2 := apopTimestamp(g1), apopTimestamp(g2)
	assert.NotEmpty(t, t1)
	assert.NotEqual(t, t1, t2)
	assert.Contains(t, t1, "@"+host+">")
}

// TestTooManyInvalidCommands: before login the tenth invalid line ends
// the connection, as Dovecot's pop3-login does; after login nothing is
// counted.
func TestTooManyInvalidCommands(t *testing.T) {
	ts := start(t, Options{})
	r := ts.connect(t)
	bad := []string{"GET / HTTP/1.1", "", "STAT", "XYZZY", strings.Repeat("A", 300), "LIST", "RETR 1", "HELO x", "\x01"}
	for _, line := range bad {
		r.cmd(line, "-ERR")
	}
	r.cmd("USER "+alice, "+OK") // nine are forgiven
	r.cmd("DELE 1", "-ERR Too many invalid commands.")
	r.eof()

	r = ts.connect(t)
	r.cmd("USER "+alice, "+OK")
	r.cmd("PASS "+alicePass, "+OK")
	for range 2 * 10 {
		r.cmd("XYZZY", "-ERR unknown command")
	}
	r.cmd("STAT", "+OK")
}
