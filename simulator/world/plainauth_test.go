package world

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/netmap"
)

// rawLine is a hand-typed session, as telnet or nc would be.
type rawLine struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func dialRaw(t *testing.T, w *World, host string, svc netmap.Service) *rawLine {
	addr, ok := w.Dir.Addr(host, svc.Port)
	require.True(t, ok, host)
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	r := &rawLine{t: t, c: c, r: bufio.NewReader(c)}
	r.read() // greeting
	return r
}

func (r *rawLine) read() string {
	l, err := r.r.ReadString('\n')
	require.NoError(r.t, err)
	return strings.TrimRight(l, "\r\n")
}

// send writes one line and returns the reply lines up to the one that
// ends it: a POP3 "+OK"/"-ERR" or "." after a list, an IMAP tagged reply.
func (r *rawLine) send(line string, done func(string) bool) []string {
	_, err := r.c.Write([]byte(line + "\r\n"))
	require.NoError(r.t, err)
	var out []string
	for {
		l := r.read()
		out = append(out, l)
		if done(l) {
			return out
		}
	}
}

func pop3One(l string) bool  { return strings.HasPrefix(l, "+OK") || strings.HasPrefix(l, "-ERR") }
func pop3List(l string) bool { return l == "." || strings.HasPrefix(l, "-ERR") }
func tagged(l string) bool   { return strings.HasPrefix(l, "a ") }

// A provider set up like Dovecot's defaults takes no password before TLS
// (RFC 2595 §4, RFC 8314, RFC 9051 §6.2.3 and RFC 5530 PRIVACYREQUIRED).
func TestNoPasswordBeforeTLSByDefault(t *testing.T) {
	w := start(t, Options{})
	pop := dialRaw(t, w, "mail.example.net", netmap.POP3)
	caps := pop.send("CAPA", pop3List)
	assert.NotContains(t, caps, "USER")
	assert.Contains(t, caps, "STLS")
	got := pop.send("USER bob@example.net", pop3One)
	assert.Equal(t, "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections: use STLS first, or port 995", got[0])
	got = pop.send("AUTH PLAIN AGJvYkBleGFtcGxlLm5ldABidWlsZGVy", pop3One)
	assert.True(t, strings.HasPrefix(got[0], "-ERR [AUTH] "), got[0])

	im := dialRaw(t, w, "mail.example.net", netmap.IMAP)
	caps = im.send("a CAPABILITY", tagged)
	assert.Contains(t, caps[0], " LOGINDISABLED")
	assert.NotContains(t, caps[0], "AUTH=")
	got = im.send(`a LOGIN bob@example.net builder`, tagged)
	assert.Equal(t, "a NO [PRIVACYREQUIRED] TLS is required to authenticate", got[len(got)-1])
}

// The careless provider of the plaintext-password lesson, or every
// provider under --allow-plaintext-auth, takes the password in clear.
func TestInsecureAuthOpensPOP3AndIMAP(t *testing.T) {
	w := start(t, Options{InsecureAuth: []string{"example.net"}})
	pop := dialRaw(t, w, "mail.example.net", netmap.POP3)
	assert.Contains(t, pop.send("CAPA", pop3List), "USER")
	assert.Equal(t, "+OK", pop.send("USER bob@example.net", pop3One)[0][:3])
	assert.Equal(t, "+OK", pop.send("PASS builder", pop3One)[0][:3])

	im := dialRaw(t, w, "mail.example.net", netmap.IMAP)
	assert.NotContains(t, im.send("a CAPABILITY", tagged)[0], "LOGINDISABLED")
	got := im.send(`a LOGIN bob@example.net builder`, tagged)
	assert.True(t, strings.HasPrefix(got[len(got)-1], "a OK"), got)

	strict := dialRaw(t, w, "mail.example.org", netmap.POP3)
	assert.True(t, strings.HasPrefix(strict.send("USER alice@example.org", pop3One)[0], "-ERR [AUTH]"), "only the listed domain")
}

// RFC 9051 §9 seq-number: a sequence number beyond the mailbox, "*" on
// an empty one included, is answered BAD, as Dovecot does; UIDs that
// match nothing are not an error (§6.4.9).
func TestSequenceNumbersBeyondTheMailbox(t *testing.T) {
	w := start(t, Options{InsecureAuth: []string{"example.net"}})
	im := dialRaw(t, w, "mail.example.net", netmap.IMAP)
	im.send(`a LOGIN bob@example.net builder`, tagged)
	im.send(`a SELECT INBOX`, tagged)
	last := func(cmd string) string { got := im.send(cmd, tagged); return got[len(got)-1] }
	assert.Equal(t, "a BAD Invalid message set: the mailbox is empty", last(`a FETCH 1:* FLAGS`))
	assert.Equal(t, "a BAD Invalid message set: the mailbox is empty", last(`a FETCH 1 FLAGS`))
	assert.Equal(t, "a BAD Invalid message set: the mailbox is empty", last(`a STORE 1:* +FLAGS (\Seen)`))
	assert.Equal(t, "a BAD Invalid message set: the mailbox is empty", last(`a COPY 1 INBOX`))
	assert.Equal(t, "a OK UID FETCH completed", last(`a UID FETCH 1:* FLAGS`))
	assert.Equal(t, "a OK SEARCH completed", last(`a SEARCH ALL`))

	deliver(t, w, "one message")
	im.send(`a NOOP`, tagged)
	got := im.send(`a FETCH 1:* (FLAGS)`, tagged)
	assert.Equal(t, "a OK FETCH completed", got[len(got)-1])
	assert.Equal(t, "a BAD Invalid message set: message 2 does not exist, the mailbox has 1", last(`a FETCH 2 FLAGS`))
}

// A client that connects to an implicit-TLS port and says nothing is
// closed once the handshake deadline passes, on 465, 993 and 995 alike.
func TestSilentImplicitTLSConnectionsAreClosed(t *testing.T) {
	w := start(t, Options{HandshakeTimeout: 200 * time.Millisecond})
	for _, c := range []struct {
		host string
		svc  netmap.Service
	}{{"smtp.example.org", netmap.Submissions}, {"mail.example.net", netmap.IMAPS}, {"mail.example.net", netmap.POP3S}} {
		addr, ok := w.Dir.Addr(c.host, c.svc.Port)
		require.True(t, ok)
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		require.NoError(t, err)
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
		began := time.Now()
		_, err = conn.Read(make([]byte, 1))
		assert.Error(t, err, "port %d", c.svc.Port)
		assert.Less(t, time.Since(began), 4*time.Second, "closed by the server, not by our own deadline, port %d", c.svc.Port)
		conn.Close()
	}
}

// A browser's POST to a mail port (cross-protocol request forgery) gets a
// goodbye on its request line, and nothing after it is read as commands.
func TestHTTPRequestLineGetsAGoodbye(t *testing.T) {
	w := start(t, Options{InsecureAuth: []string{"example.net"}})
	post := "POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 60\r\n\r\na LOGIN bob@example.net builder\r\nUSER bob@example.net\r\nMAIL FROM:<x@y>\r\n"
	for _, c := range []struct {
		host string
		svc  netmap.Service
		want string
	}{
		{"mx.example.net", netmap.SMTP, "221 2.7.0 Error: I can break rules, too. Goodbye."},
		{"smtp.example.net", netmap.Submission, "221 2.7.0 Error: I can break rules, too. Goodbye."},
		{"mail.example.net", netmap.POP3, "-ERR HTTP request: this is a POP3 server, goodbye."},
		{"mail.example.net", netmap.IMAP, "* BYE HTTP request: this is an IMAP server, goodbye."},
	} {
		r := dialRaw(t, w, c.host, c.svc)
		_, err := r.c.Write([]byte(post))
		require.NoError(t, err)
		assert.Equal(t, c.want, r.read(), "port %d", c.svc.Port)
		_, err = r.r.ReadString('\n')
		assert.Error(t, err, "closed after the goodbye, port %d", c.svc.Port)
	}
	// And a real client on the same port still works.
	im := dialRaw(t, w, "mail.example.net", netmap.IMAP)
	got := im.send(`a LOGIN bob@example.net builder`, tagged)
	assert.True(t, strings.HasPrefix(got[len(got)-1], "a OK"), got)
}

// Guessing passwords is slow and short: each wrong one waits, the third
// ends the connection, on submission, POP3 and IMAP alike. The failures of
// one address add up over all servers: from the fourth the pause doubles
// (so the delay here is small: the ninth waits 2^6 times as long).
func TestPasswordGuessingIsThrottled(t *testing.T) {
	const delay = 20 * time.Millisecond
	w := start(t, Options{InsecureAuth: []string{"example.net"}, AuthFailureDelay: delay})
	smtpOne := func(l string) bool { return len(l) >= 4 && l[3] == ' ' }
	wrong := "AUTH PLAIN AGJvYkBleGFtcGxlLm5ldAB3cm9uZw==" // \0bob@example.net\0wrong
	sub := dialRaw(t, w, "smtp.example.net", netmap.Submission)
	sub.send("EHLO guesser", smtpOne)
	began := time.Now()
	assert.Equal(t, "535 5.7.8 Authentication failed", sub.send(wrong, smtpOne)[0])
	assert.GreaterOrEqual(t, time.Since(began), delay, "the answer waits")
	sub.send(wrong, smtpOne)
	assert.Equal(t, "421 4.7.0 Too many authentication failures, closing connection", sub.send(wrong, smtpOne)[0])
	_, err := sub.r.ReadString('\n')
	assert.Error(t, err, "closed after 421")

	pop := dialRaw(t, w, "mail.example.net", netmap.POP3)
	for range 3 {
		pop.send("USER bob@example.net", pop3One)
		assert.True(t, strings.HasPrefix(pop.send("PASS wrong", pop3One)[0], "-ERR [AUTH]"))
	}
	_, err = pop.r.ReadString('\n')
	assert.Error(t, err, "POP3 closed after the third")

	im := dialRaw(t, w, "mail.example.net", netmap.IMAP)
	im.send(`a LOGIN bob@example.net wrong`, tagged)
	im.send(`a LOGIN bob@example.net wrong`, tagged)
	_, err = im.c.Write([]byte("a LOGIN bob@example.net wrong\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "* BYE Too many authentication failures", im.read())
}

// Mail for a domain outside the world bounces at once, as the internet
// would answer it: no such domain (NXDOMAIN), a DSN with 5.1.2.
func TestMailOutsideTheWorldBounces(t *testing.T) {
	w := start(t, Options{})
	d := mua.Draft{From: "alice@example.org", To: []string{"victim@gmail.com"}, Subject: "out there",
		Body: "Hi\r\n", Date: w.Now()}
	require.NoError(t, w.Device("alice-laptop").Submit(ctx(t), d, mua.SubmitOptions{}))
	require.NoError(t, w.Provider("example.org").Queue.Flush(ctx(t)))
	q := w.Provider("example.org").Queue.Snapshot()
	require.Len(t, q, 1)
	assert.Equal(t, mta.StateBounced, q[0].State)
	msgs, err := w.Provider("example.org").Store.Messages("alice@example.org", "INBOX")
	require.NoError(t, err)
	require.Len(t, msgs, 1, "the DSN is in Alice's INBOX")
	body := string(msgs[0].Raw)
	assert.Contains(t, body, "Status: 5.1.2")
	assert.Contains(t, body, "<victim@gmail.com>: Host or domain name not found. Name service error")
	assert.Contains(t, body, "for name=gmail.com type=MX: Host not found")
	var nx bool
	for _, ev := range w.Conductor.Log() {
		nx = nx || (ev.Kind == event.KindPacket && strings.Contains(ev.Text, "NXDOMAIN"))
	}
	assert.True(t, nx, "the DNS answer on the wire says NXDOMAIN")
}
