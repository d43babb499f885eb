package imap_test

import (
	"bufio"
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	bob      = "bob@example.net"
	password = "builder"
	host     = "mail.example.net"
	// wait bounds how long a test waits for an expected event; it is not
	// a timing assertion, only a guard against hanging forever.
	wait = 10 * time.Second
)

func mail(subject string) []byte {
	return []byte("From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\nSubject: " + subject +
		"\r\nDate: Sat, 01 Mar 2025 12:00:00 +0000\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") +
		"@example.org>\r\n\r\nHello Bob, " + subject + "\r\n")
}

type env struct {
	st   *store.Store
	srv  *imap.Server
	addr string
}

// start runs a server for example.net on 127.0.0.1:0. wrap may turn the
// listener into an implicit-TLS one.
func start(t testing.TB, opts imap.Options, wrap func(net.Listener) net.Listener) *env {
	t.Helper()
	st := store.New("example.net")
	require.NoError(t, st.AddUser(bob, password), "AddUser()")
	opts.Store, opts.Hostname = st, host
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err, "Listen()")
	if wrap != nil {
		l = wrap(l)
	}
	srv := imap.New(opts)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		srv.Close() // a test may have closed it already
		require.NoError(t, <-done, "Serve()")
	})
	return &env{st: st, srv: srv, addr: l.Addr().String()}
}

func (e *env) deliver(t *testing.T, subjects ...string) {
	t.Helper()
	for _, s := range subjects {
		_, err := e.st.Deliver(bob, store.Inbox, mail(s), nil, time.Time{})
		require.NoError(t, err, "Deliver()")
	}
}

func (e *env) dialConn(t *testing.T) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", e.addr)
	require.NoError(t, err, "Dial()")
	t.Cleanup(func() { c.Close() })
	return c
}

// client connects without logging in.
func (e *env) client(t *testing.T, h *imapclient.UnilateralDataHandler) *imapclient.Client {
	t.Helper()
	c := imapclient.New(e.dialConn(t), &imapclient.Options{UnilateralDataHandler: h})
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.WaitGreeting(), "WaitGreeting()")
	return c
}

// login connects as Bob.
func (e *env) login(t *testing.T, h *imapclient.UnilateralDataHandler) *imapclient.Client {
	t.Helper()
	c := e.client(t, h)
	require.NoError(t, c.Login(bob, password).Wait(), "Login()")
	return c
}

// loginSelect connects as Bob and selects INBOX.
func (e *env) loginSelect(t *testing.T, h *imapclient.UnilateralDataHandler) *imapclient.Client {
	t.Helper()
	c := e.login(t, h)
	_, err := c.Select("INBOX", nil).Wait()
	require.NoError(t, err, "Select()")
	return c
}

// raw is a hand-typed session, like a student with telnet.
type raw struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

func (e *env) raw(t *testing.T) *raw {
	t.Helper()
	c := e.dialConn(t)
	r := &raw{t: t, conn: c, r: bufio.NewReader(c)}
	require.NoError(t, c.SetDeadline(time.Now().Add(wait)))
	return r
}

func (r *raw) send(line string) {
	r.t.Helper()
	_, err := r.conn.Write([]byte(line + "\r\n"))
	require.NoError(r.t, err, "Write(%q)", line)
}

func (r *raw) line() string {
	r.t.Helper()
	s, err := r.r.ReadString('\n')
	require.NoError(r.t, err, "ReadString()")
	return strings.TrimRight(s, "\r\n")
}

// until reads lines up to and including the first with prefix.
func (r *raw) until(prefix string) []string {
	r.t.Helper()
	var lines []string
	for {
		l := r.line()
		lines = append(lines, l)
		if strings.HasPrefix(l, prefix) {
			return lines
		}
	}
}

// tlsListener wraps l for implicit TLS with a certificate of ca.
func tlsListener(cfg *tls.Config) func(net.Listener) net.Listener {
	return func(l net.Listener) net.Listener { return tls.NewListener(l, cfg) }
}

// recv waits for a value from ch.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(wait):
		require.FailNow(t, "timed out waiting for "+what)
		var zero T
		return zero
	}
}

// rawSelected is a hand-typed session logged in as Bob with INBOX selected
// (tags a1 and a2 are used).
func (e *env) rawSelected(t *testing.T) *raw {
	t.Helper()
	r := e.raw(t)
	r.line()
	r.send("a1 LOGIN " + bob + " " + password)
	r.until("a1 OK")
	r.send("a2 SELECT INBOX")
	r.until("a2 OK")
	return r
}
