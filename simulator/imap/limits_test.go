package imap_test

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

func nested(n int) string { return strings.Repeat("(", n) + "ALL" + strings.Repeat(")", n) }

// rest reads what the server still sends until it closes the connection.
func (r *raw) rest() []string {
	r.t.Helper()
	var lines []string
	for {
		s, err := r.r.ReadString('\n')
		if s != "" {
			lines = append(lines, strings.TrimRight(s, "\r\n"))
		}
		if err != nil {
			assert.ErrorIs(r.t, err, io.EOF, "the server closes the connection")
			return lines
		}
	}
}

// TestLiteralLimits: literals are refused before any of their data is
// read, with the response code of RFC 9051/7888/5530, and never with "+"
// when the user has not logged in; other client mistakes that go-imap
// would answer NO [SERVERBUG] get BAD [CLIENTBUG] or [LIMIT]. After a refused synchronising literal
// the session goes on; after a non-synchronising one over 4096 octets,
// whose data is on its way, the server says BYE and closes.
func TestLiteralLimits(t *testing.T) {
	e := start(t, imap.Options{AppendLimit: 1 << 20}, nil)
	e.deliver(t, "one")
	cases := []struct {
		name  string
		login bool
		send  []string
		want  string
		bye   bool
	}{
		{"APPEND before login", false, []string{"a APPEND INBOX {94371840}"}, "a BAD [CLIENTBUG] Log in first: APPEND", false},
		{"APPEND literal+ before login", false, []string{"a APPEND INBOX {5+}", "hello"}, "a BAD [CLIENTBUG] Log in first", false},
		{"SELECT literal before login", false, []string{"a SELECT {5}"}, "a BAD [CLIENTBUG] Log in first: SELECT", false},
		{"huge LOGIN literal", false, []string{"a LOGIN {94371840}"}, "a BAD [TOOBIG] Literal too large before login", false},
		{"literal+ over 4096 before login", false, []string{"a LOGIN {5000+}"}, "a BAD [TOOBIG] Literal too large before login (the limit is 4096", true},
		{"APPEND over the limit", true, []string{"a APPEND INBOX {94371840}"}, "a NO [TOOBIG] Message too large (the limit is 1048576 octets", false},
		{"APPEND with flags over the limit", true, []string{`a APPEND Sent (\Seen) {1048577}`}, "a NO [TOOBIG] Message too large", false},
		{"APPEND literal+ over the limit", true, []string{"a APPEND INBOX {1048577+}"}, "a NO [TOOBIG] Message too large", true},
		{"later literal+ over 4096", true, []string{"s SELECT INBOX", "a SEARCH SUBJECT {3}", "one SUBJECT {5000+}"}, "a BAD [TOOBIG] Literal too large (the limit is 4096", true},
		{"LIST literal over 4096", true, []string{`a LIST "" {100000}`}, "a NO [TOOBIG] Literal too large for LIST (the limit is 4096", false},
		{"second literal over 4096", true, []string{"a RENAME {3}", "foo {5000}"}, "a BAD [CLIENTBUG] Syntax error", false},
		{"nested SEARCH", true, []string{"s SELECT INBOX", "a SEARCH " + nested(1000)}, "a BAD [LIMIT] Too many nested parentheses (the limit is 100)", false},
		{"nested SEARCH with literal+", true, []string{"s SELECT INBOX", "a SEARCH " + nested(200) + " SUBJECT {3+}", "one"}, "a BAD [LIMIT] Too many nested", false},
		{"nesting after a literal", true, []string{"s SELECT INBOX", "a SEARCH SUBJECT {3}", "one " + nested(200)}, "a BAD [CLIENTBUG] Syntax error", false},
		{"nesting at the limit", true, []string{"s SELECT INBOX", "a SEARCH " + nested(100)}, "a OK", false},
		{"sequence number over 32 bits", true, []string{"s SELECT INBOX", "a FETCH 1:4294967296 FLAGS"}, "a BAD [CLIENTBUG] Invalid sequence set 1:4294967296", false},
		{"UID over 32 bits in SEARCH", true, []string{"s SELECT INBOX", "a UID SEARCH UID 1:99999999999999999999"}, "a BAD [CLIENTBUG] Invalid sequence set", false},
		{"digits as a search string", true, []string{"s SELECT INBOX", "a SEARCH SUBJECT 99999999999"}, "a OK", false},
		{"largest sequence number", true, []string{"s SELECT INBOX", "a UID FETCH 1:4294967295 FLAGS"}, "a OK", false},
		{"bad search date", true, []string{"s SELECT INBOX", "a SEARCH SINCE 99-Foo-2020"}, "a BAD [CLIENTBUG] Invalid date 99-Foo-2020: write it as d-Mon-yyyy", false},
		{"good search dates", true, []string{"s SELECT INBOX", `a SEARCH SINCE 1-mar-2025 BEFORE "01-Apr-2025"`}, "a OK", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.raw(t)
			r.line()
			if tc.login {
				r.send("x LOGIN bob@example.net builder")
				r.until("x OK")
			}
			var got []string
			for _, line := range tc.send {
				r.send(line)
				if strings.HasSuffix(line, "}") && !strings.HasSuffix(line, "+}") {
					// a synchronising literal: the client waits for "+" or,
					// if the literal is refused, the tagged reply (checked below)
					got = append(got, r.line())
					if strings.HasPrefix(got[len(got)-1], "+") {
						continue
					}
					break
				}
				if strings.HasPrefix(line, "s ") {
					r.until("s OK")
				}
			}
			if len(got) == 0 || strings.HasPrefix(got[len(got)-1], "+") {
				got = append(got, r.until("a ")...)
			}
			last := got[len(got)-1]
			assert.True(t, strings.HasPrefix(last, tc.want), "got %q, want prefix %q", short(last), tc.want)
			if tc.bye {
				assert.Equal(t, []string{"* BYE Literal too large, closing the connection"}, r.rest())
				return
			}
			r.send("b NOOP")
			lines := r.until("b ")
			assert.Equal(t, "b OK NOOP completed", lines[len(lines)-1], "the session goes on")
		})
	}
}

// TestTruncatedAppend: a client that hangs up in the middle of APPEND's
// literal leaves the mailbox as it was.
func TestTruncatedAppend(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.raw(t)
	r.line()
	r.send("a LOGIN bob@example.net builder")
	r.until("a OK")
	r.send("b APPEND INBOX {1000}")
	require.Equal(t, "+ Ready for literal data", r.line())
	_, err := io.WriteString(r.conn, strings.Repeat("x", 500))
	require.NoError(t, err)
	require.NoError(t, r.conn.(*net.TCPConn).CloseWrite(), "the client hangs up mid-literal")
	// The server answers nothing more and closes once the session (and
	// with it Append) has ended: only then is the store checked.
	assert.Empty(t, r.rest())
	msgs, err := e.st.Messages(bob, "INBOX")
	require.NoError(t, err)
	assert.Empty(t, msgs, "no message from half a literal")
	u, err := e.st.Usage(bob)
	require.NoError(t, err)
	assert.Zero(t, u.Used)
}

// TestTooManyBadCommands: before login the tenth BAD ends the connection
// with Dovecot's words; after login mistakes are not counted.
func TestTooManyBadCommands(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.raw(t)
	r.line()
	for i := range 9 {
		r.send("x" + strconv.Itoa(i) + " BOGUS")
		assert.Equal(t, "x"+strconv.Itoa(i)+" BAD Unknown command BOGUS", r.line())
	}
	r.send("n NOOP")
	assert.Equal(t, "n OK NOOP completed", r.line(), "nine are forgiven")
	r.send("a5 FETCH 1 FLAGS") // BAD from go-imap counts as well
	assert.True(t, strings.HasPrefix(r.line(), "a5 BAD"))
	assert.Equal(t, []string{"* BYE Too many invalid IMAP commands."}, r.rest())

	r = e.raw(t)
	r.line()
	r.send("a LOGIN bob@example.net builder")
	r.until("a OK")
	for i := range 2 * 10 {
		r.send("x" + strconv.Itoa(i) + " BOGUS")
		r.line()
	}
	r.send("n NOOP")
	assert.Equal(t, "n OK NOOP completed", r.line(), "after login the session goes on")
}

// TestAppendQuota: APPEND and COPY over the quota get NO [OVERQUOTA] (RFC
// 9208 §4.3); a synchronising literal that cannot fit is refused before
// "+", and the mailbox is unchanged.
func TestAppendQuota(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "first")
	size := len(mail("first"))
	e.st.SetQuota(int64(size) + 100)
	r := e.raw(t)
	r.line()
	r.send("a LOGIN bob@example.net builder")
	r.until("a OK")

	r.send("b APPEND INBOX {101}")
	assert.Equal(t, "b NO [OVERQUOTA] Mailbox full: the message needs 101 octets, 100 are left", r.line())

	// The mailbox name as a literal: the guard does not see the message's
	// literal, go-imap's APPEND (Maillab patch 21) refuses it before "+".
	r.send("c APPEND {5}")
	require.Equal(t, "+ Ready for literal data", r.line())
	r.send("INBOX {101}")
	assert.Equal(t, "c NO [OVERQUOTA] Mailbox full: the message needs 101 octets, 100 are left", r.line())

	r.send("d SELECT INBOX")
	r.until("d OK")
	r.send("e COPY 1 Sent")
	assert.True(t, strings.HasPrefix(r.line(), "e NO [OVERQUOTA] "))

	r.send("f APPEND Sent {100}")
	require.Equal(t, "+ Ready for literal data", r.line())
	r.send(strings.Repeat("z", 100))
	assert.True(t, strings.HasPrefix(r.line(), "f OK [APPENDUID "), "what fits is stored")

	msgs, err := e.st.Messages(bob, "INBOX")
	require.NoError(t, err)
	assert.Len(t, msgs, 1)
	u, err := e.st.Usage(bob)
	require.NoError(t, err)
	assert.Equal(t, store.Usage{Used: int64(size) + 100, Quota: int64(size) + 100}, u)
}

// TestAppendAfterStartTLS: inside STARTTLS the guard checks commands as
// before it (go-imap patch 3): an APPEND before login gets no "+", and
// ID is answered.
func TestAppendAfterStartTLS(t *testing.T) {
	ca, cfg := newCA(t)
	e := start(t, imap.Options{TLSConfig: cfg, RequireTLS: true}, nil)
	r := e.raw(t)
	r.line()
	r.send("a STARTTLS")
	require.Equal(t, "a OK Begin TLS negotiation now", r.line())
	tc := tls.Client(r.conn, ca.ClientConfig(host))
	require.NoError(t, tc.Handshake())
	r.conn, r.r = tc, bufio.NewReader(tc)
	r.send("b APPEND INBOX {94371840}")
	assert.Equal(t, "b BAD [CLIENTBUG] Log in first: APPEND is only valid in the authenticated state", r.line())
	r.send("c NOOP")
	assert.Equal(t, "c OK NOOP completed", r.line())
	r.send(`d ID ("name" "test")`)
	assert.Equal(t, `* ID ("name" "Maillab" "version" "1")`, r.line())
	assert.Equal(t, "d OK ID completed", r.line())
	r.send("e LOGIN bob@example.net builder")
	assert.Regexp(t, `^e OK \[CAPABILITY .* LITERAL\+ .*\] Logged in$`, r.line())
	r.send("f APPEND INBOX {5+}")
	r.send("hello")
	assert.Regexp(t, `^f OK \[APPENDUID `, r.line())
}

// TestSessionsPerUserAddr: one user's logged-in sessions from one address
// are capped as Dovecot's mail_max_userip_connections caps them; the
// refused LOGIN leaves the connection open, and a session that ends
// makes room.
func TestSessionsPerUserAddr(t *testing.T) {
	e := start(t, imap.Options{MaxSessionsPerUserAddr: 2}, nil)
	login := func(tag string) (*raw, string) {
		r := e.raw(t)
		r.line()
		r.send(tag + " LOGIN bob@example.net builder")
		lines := r.until(tag + " ")
		return r, lines[len(lines)-1]
	}
	first, ok1 := login("a")
	_, ok2 := login("b")
	require.True(t, strings.HasPrefix(ok1, "a OK "), ok1)
	require.True(t, strings.HasPrefix(ok2, "b OK "), ok2)
	third, no := login("c")
	assert.Equal(t, "c NO [LIMIT] Maximum number of connections from user+IP exceeded (mail_max_userip_connections=2)", no)
	third.send("d NOOP")
	lines := third.until("d ")
	assert.Equal(t, "d OK NOOP completed", lines[len(lines)-1], "the connection stays open")

	first.send("z LOGOUT")
	first.until("z ")
	require.Eventually(t, func() bool {
		third.send("e LOGIN bob@example.net builder")
		lines := third.until("e ")
		return strings.HasPrefix(lines[len(lines)-1], "e OK ")
	}, 5*time.Second, 50*time.Millisecond, "the logged-out session's slot is free again")
}

// TestRemovedAccount: an account removed while its session is logged in
// gets NO [NONEXISTENT] for what it asks, never a server bug.
func TestRemovedAccount(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.raw(t)
	r.line()
	r.send("a LOGIN bob@example.net builder")
	r.until("a ")
	require.NoError(t, e.st.RemoveUser(bob))
	for _, cmd := range []string{`b LIST "" "*"`, "c SELECT INBOX", "d STATUS INBOX (MESSAGES)"} {
		r.send(cmd)
		lines := r.until(cmd[:1] + " ")
		assert.Equal(t, cmd[:1]+" NO [NONEXISTENT] This account was removed: log out", lines[len(lines)-1], cmd)
	}
	r.send("z LOGOUT")
	assert.Equal(t, "z OK LOGOUT completed", r.until("z ")[1])
}
