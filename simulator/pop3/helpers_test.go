package pop3

import (
	"bufio"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	alice     = "alice@example.org"
	alicePass = "wonderland"
	bob       = "bob@example.net"
	bobPass   = "builder"
	host      = "mail.example.org"
)

// The messages in Alice's maildrop at the start of every test.
var (
	msg1 = "From: bob@example.net\r\nTo: alice@example.org\r\nSubject: one\r\n\r\n" +
		"Hello Alice\r\n.hidden\r\n.\r\nline 4\r\nline 5\r\n"
	msg2 = "Subject: two\n\nbare LF a\nbare LF b\n" // stored with bare LF
	msg3 = "Subject: three\r\n\r\n..double\r\n"
)

// testServer is a running server with Alice's and Bob's maildrops.
type testServer struct {
	srv  *Server
	be   *MemoryBackend
	addr string
	// dialer connects to the server (TCP unless started with startOn).
	dialer func() (net.Conn, error)
}

func newBackend(t testing.TB) *MemoryBackend {
	t.Helper()
	be := NewMemoryBackend()
	be.AddUser(alice, alicePass)
	be.AddUser(bob, bobPass)
	for _, m := range []string{msg1, msg2, msg3} {
		_, err := be.Deliver(alice, []byte(m))
		require.NoError(t, err, "Deliver()")
	}
	return be
}

// start runs a server on 127.0.0.1:0; opts.Backend defaults to newBackend.
func start(t testing.TB, opts Options) *testServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err, "Listen()")
	ts := startOn(t, opts, l)
	ts.dialer = func() (net.Conn, error) { return net.Dial("tcp", ts.addr) }
	return ts
}

// startOn runs a server on l.
func startOn(t testing.TB, opts Options, l net.Listener) *testServer {
	t.Helper()
	be, _ := opts.Backend.(*MemoryBackend)
	if opts.Backend == nil {
		be = newBackend(t)
		opts.Backend = be
	}
	if opts.Hostname == "" {
		opts.Hostname = host
	}
	srv := New(opts)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		srv.Close()
		assert.ErrorIs(t, <-done, ErrServerClosed, "Serve()")
	})
	return &testServer{srv: srv, be: be, addr: l.Addr().String()}
}

// raw is a tiny line-level POP3 peer for exact transcripts.
type raw struct {
	t testing.TB
	c net.Conn
	r *bufio.Reader
}

// dial connects without reading the greeting.
func (ts *testServer) dial(t testing.TB) *raw {
	t.Helper()
	c, err := ts.dialer()
	require.NoError(t, err, "Dial()")
	t.Cleanup(func() { c.Close() })
	return &raw{t: t, c: c, r: bufio.NewReader(c)}
}

// connect dials and checks the greeting.
func (ts *testServer) connect(t testing.TB) *raw {
	t.Helper()
	r := ts.dial(t)
	r.expect("+OK " + host + " POP3 server ready <")
	return r
}

// login connects and logs in with USER/PASS.
func (ts *testServer) login(t testing.TB, user, pass string) *raw {
	t.Helper()
	r := ts.connect(t)
	r.cmd("USER "+user, "+OK")
	r.cmd("PASS "+pass, "+OK ")
	return r
}

func (r *raw) send(line string) { r.write(line + "\r\n") }

func (r *raw) write(s string) {
	r.t.Helper()
	_, err := r.c.Write([]byte(s))
	require.NoError(r.t, err, "Write(%q)", s)
}

// line reads one server line; every server line must end in CRLF. The
// deadline only keeps a broken server from hanging the test.
func (r *raw) line() string {
	r.t.Helper()
	r.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	s, err := r.r.ReadString('\n')
	if errors.Is(err, io.EOF) && s == "" {
		return "<EOF>"
	}
	require.NoError(r.t, err, "read line")
	assert.True(r.t, strings.HasSuffix(s, "\r\n"), "line %q must end in CRLF", s)
	return strings.TrimSuffix(s, "\r\n")
}

// expect reads a line and checks its prefix.
func (r *raw) expect(prefix string) string {
	r.t.Helper()
	l := r.line()
	assert.True(r.t, strings.HasPrefix(l, prefix), "got %q, want prefix %q", l, prefix)
	return l
}

// cmd sends a line and checks the reply's prefix.
func (r *raw) cmd(line, prefix string) string {
	r.t.Helper()
	r.send(line)
	return r.expect(prefix)
}

// data reads the lines of a multi-line response, as on the wire
// (still dot-stuffed), without the final ".".
func (r *raw) data() []string {
	r.t.Helper()
	var lines []string
	for {
		l := r.line()
		if l == "." || l == "<EOF>" {
			return lines
		}
		lines = append(lines, l)
	}
}

// eof checks that the server closed the connection.
func (r *raw) eof() {
	r.t.Helper()
	assert.Equal(r.t, "<EOF>", r.line(), "connection should be closed")
}
