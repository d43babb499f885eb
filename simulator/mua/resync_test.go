package mua

import (
	"bufio"
	"context"
	"crypto/tls"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A scripted IMAP server: each step waits for a client line matching
// want (the tag left out) and answers with lines in which TAG stands for
// the client's tag. It records what the client sent.
type scriptStep struct {
	want  string
	reply []string
}

type scriptNet struct{ addr string }

func (n scriptNet) DialService(ctx context.Context, _, _ string, _ int) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", n.addr)
}

func (scriptNet) NodeTLS(string, string) *tls.Config { return nil }

const greeting = "* OK [CAPABILITY IMAP4rev1 ENABLE IDLE UIDPLUS CONDSTORE QRESYNC LOGIN-REFERRALS] ready"

// serveScript runs one connection through steps and returns the client's
// lines once the client hung up.
func serveScript(t *testing.T, steps []scriptStep) (addr string, sent <-chan []string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err, "Listen()")
	t.Cleanup(func() { l.Close() })
	out := make(chan []string, 1)
	go func() {
		var lines []string
		defer func() { out <- lines }()
		conn, err := l.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		r := bufio.NewReader(conn)
		lastTag := ""
		conn.Write([]byte(greeting + "\r\n"))
		for _, st := range steps {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			lines = append(lines, line)
			tag, cmd, _ := strings.Cut(line, " ")
			if line == "DONE" { // ends IDLE, whose tag answers it
				tag, cmd = lastTag, "DONE"
			}
			lastTag = tag
			if !regexp.MustCompile("^" + st.want + "$").MatchString(cmd) {
				t.Errorf("client sent %q, want %q", line, st.want)
				return
			}
			for _, rep := range st.reply {
				conn.Write([]byte(strings.ReplaceAll(rep, "TAG", tag) + "\r\n"))
			}
		}
		// Read whatever else comes until the client closes.
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			lines = append(lines, strings.TrimRight(line, "\r\n"))
		}
	}()
	return l.Addr().String(), out
}

var loginSteps = []scriptStep{
	{`LOGIN "bob@example.net" "builder"`, []string{"TAG OK [CAPABILITY IMAP4rev1 ENABLE IDLE UIDPLUS CONDSTORE QRESYNC] Logged in"}},
	{`ENABLE QRESYNC`, []string{"* ENABLED QRESYNC", "TAG OK Enabled."}},
}

func steps(parts ...[]scriptStep) []scriptStep {
	var out []scriptStep
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func phone(addr string) *Device {
	return NewDevice("bob-phone", Account{Address: "bob@example.net", Password: "builder",
		MailHost: "mail.example.net"}, scriptNet{addr})
}

// The first session has no cache: a plain SELECT (whose HIGHESTMODSEQ the
// device keeps) and a full sync.
func TestOpenIMAPResyncFirstTime(t *testing.T) {
	addr, sent := serveScript(t, steps(loginSteps, []scriptStep{
		{`SELECT INBOX`, []string{
			"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
			"* 3 EXISTS",
			"* OK [UIDVALIDITY 1700000000] UIDs valid",
			"* OK [UIDNEXT 4] Predicted next UID",
			"* OK [HIGHESTMODSEQ 4] Highest",
			"TAG OK [READ-WRITE] Select completed."}},
		{`UID FETCH 1:\* \(.*\)`, []string{
			`* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 100 ENVELOPE (NIL "One" NIL NIL NIL NIL NIL NIL NIL NIL))`,
			`* 2 FETCH (UID 2 FLAGS () RFC822.SIZE 200 ENVELOPE (NIL "Two" NIL NIL NIL NIL NIL NIL NIL NIL))`,
			`* 3 FETCH (UID 3 FLAGS (\Seen) RFC822.SIZE 300 ENVELOPE (NIL "Three" NIL NIL NIL NIL NIL NIL NIL NIL))`,
			"TAG OK Fetch completed."}},
		{`LOGOUT`, []string{"* BYE Logging out", "TAG OK Logout completed."}},
	}))
	d := phone(addr)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := d.OpenIMAPResync(ctx, Plain)
	require.NoError(t, err, "OpenIMAPResync()")
	require.NoError(t, s.Logout(), "Logout()")
	<-sent

	cache, ok := d.IMAPCache("INBOX")
	require.True(t, ok, "IMAPCache(INBOX)")
	assert.Equal(t, MailboxCache{UIDValidity: 1700000000, HighestModSeq: 4, UIDs: []imap.UID{1, 2, 3}}, cache)
	assert.Equal(t, []string{"imap:1", "imap:2", "imap:3"}, keys(d.Messages()))
}

// The RFC 7162 §3.2.5.2 exchange on a small mailbox: the phone knew UIDs
// 1:3 at mod-sequence 4; since then 1 got \Seen, 2 \Flagged and 3 was
// expunged. It sends its cache with SELECT and gets exactly that back.
func TestOpenIMAPResyncGetsOnlyChanges(t *testing.T) {
	addr, sent := serveScript(t, steps(loginSteps, []scriptStep{
		{`SELECT INBOX \(QRESYNC \(1700000000 4 1:3\)\)`, []string{
			"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
			"* 2 EXISTS",
			"* OK [UIDVALIDITY 1700000000] UIDs valid",
			"* OK [UIDNEXT 4] Predicted next UID",
			"* OK [HIGHESTMODSEQ 8] Highest",
			"* VANISHED (EARLIER) 3",
			`* 1 FETCH (UID 1 FLAGS (\Seen) MODSEQ (5))`,
			`* 2 FETCH (UID 2 FLAGS (\Flagged) MODSEQ (6))`,
			"TAG OK [READ-WRITE] Select completed."}},
		{`IDLE`, []string{"+ idling", "* VANISHED 2"}},
		{`DONE`, []string{"TAG OK Idle completed."}},
		{`LOGOUT`, []string{"* BYE Logging out", "TAG OK Logout completed."}},
	}))
	d := phone(addr)
	for _, l := range []Local{{Key: "imap:1", Subject: "One"}, {Key: "imap:2", Subject: "Two"}, {Key: "imap:3", Subject: "Three", Seen: true}} {
		l.Via, l.OnServer = "imap", true
		d.remember(l)
	}
	d.setCache("INBOX", MailboxCache{UIDValidity: 1700000000, HighestModSeq: 4, UIDs: []imap.UID{1, 2, 3}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	s, err := d.OpenIMAPResync(ctx, Plain)
	require.NoError(t, err, "OpenIMAPResync()")
	msgs := d.Messages()
	require.Equal(t, []string{"imap:1", "imap:2"}, keys(msgs), "UID 3 vanished")
	assert.True(t, msgs[0].Seen, "UID 1 \\Seen")
	assert.Equal(t, "One", msgs[0].Subject, "list data kept")
	assert.True(t, msgs[1].Flagged, "UID 2 \\Flagged")
	assert.False(t, msgs[1].Seen)
	cache, _ := d.IMAPCache("INBOX")
	assert.Equal(t, MailboxCache{UIDValidity: 1700000000, HighestModSeq: 8, UIDs: []imap.UID{1, 2}}, cache)

	// In IDLE, an expunge elsewhere arrives as "* VANISHED 2" (RFC 7162
	// §3.2.10) and is applied without another FETCH.
	idle, err := s.StartIdle()
	require.NoError(t, err, "StartIdle()")
	require.NoError(t, idle.WaitChange(ctx), "WaitChange()")
	assert.Equal(t, []string{"imap:1"}, keys(d.Messages()))
	require.NoError(t, s.Logout(), "Logout()")
	lines := <-sent
	assert.NotContains(t, strings.Join(lines, "\n"), "FETCH", "no FETCH: the changes came with SELECT")
	cache, _ = d.IMAPCache("INBOX")
	assert.Equal(t, []imap.UID{1}, cache.UIDs)
}

// A changed UIDVALIDITY voids the cache: the device syncs everything.
func TestOpenIMAPResyncNewUIDValidity(t *testing.T) {
	addr, sent := serveScript(t, steps(loginSteps, []scriptStep{
		{`SELECT INBOX \(QRESYNC \(1700000000 4 1:3\)\)`, []string{
			"* 1 EXISTS",
			"* OK [UIDVALIDITY 1800000000] UIDs valid",
			"* OK [UIDNEXT 2] Predicted next UID",
			"* OK [HIGHESTMODSEQ 1] Highest",
			"TAG OK [READ-WRITE] Select completed."}},
		{`UID FETCH 1:\* \(.*\)`, []string{
			`* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 100 ENVELOPE (NIL "New" NIL NIL NIL NIL NIL NIL NIL NIL))`,
			"TAG OK Fetch completed."}},
		{`LOGOUT`, []string{"* BYE Logging out", "TAG OK Logout completed."}},
	}))
	d := phone(addr)
	d.remember(Local{Key: "imap:3", Subject: "Old", Via: "imap", OnServer: true})
	d.setCache("INBOX", MailboxCache{UIDValidity: 1700000000, HighestModSeq: 4, UIDs: []imap.UID{1, 2, 3}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := d.OpenIMAPResync(ctx, Plain)
	require.NoError(t, err, "OpenIMAPResync()")
	require.NoError(t, s.Logout(), "Logout()")
	<-sent
	msgs := d.Messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, "New", msgs[0].Subject)
	cache, _ := d.IMAPCache("INBOX")
	assert.Equal(t, MailboxCache{UIDValidity: 1800000000, HighestModSeq: 1, UIDs: []imap.UID{1}}, cache)
}

// A server without QRESYNC: no ENABLE, a plain SELECT, and the session
// says so, so the caller syncs as after OpenIMAP.
func TestOpenIMAPResyncWithoutQResync(t *testing.T) {
	addr, sent := serveScript(t, []scriptStep{
		{`LOGIN "bob@example.net" "builder"`, []string{"TAG OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS] Logged in"}},
		{`SELECT INBOX`, []string{"* 0 EXISTS", "* OK [UIDVALIDITY 1700000000] UIDs valid", "TAG OK [READ-WRITE] Select completed."}},
		{`LOGOUT`, []string{"* BYE Logging out", "TAG OK Logout completed."}},
	})
	d := phone(addr)
	d.setCache("INBOX", MailboxCache{UIDValidity: 1700000000, HighestModSeq: 4, UIDs: []imap.UID{1, 2, 3}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := d.OpenIMAPResync(ctx, Plain)
	require.NoError(t, err, "OpenIMAPResync()")
	assert.False(t, s.QResync())
	require.NoError(t, s.Logout(), "Logout()")
	lines := <-sent
	require.Len(t, lines, 3)
	assert.Regexp(t, `^\S+ SELECT INBOX$`, lines[1])
}
