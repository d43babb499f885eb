package wire_test

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
	"maillab/simulator/event"
	"maillab/simulator/wire"
)

var _ wire.Sink = (*conductor.Conductor)(nil)

var mx = wire.Service{Node: "mx.example.net", Proto: "smtp", Port: 25}

func newConductor(t *testing.T, mode conductor.Mode) *conductor.Conductor {
	t.Helper()
	c := conductor.New(mode, 0)
	t.Cleanup(c.Close)
	return c
}

// lineServer is a tiny line protocol: it echoes each line, answers QUIT
// with "221 bye" and upgrades on STARTTLS when it has a TLS config.
type lineServer struct {
	tls      *tls.Config
	greeting string           // written first when set
	setup    func(c net.Conn) // runs before the greeting
	got      chan string      // every line the server read
	exit     chan error       // why each connection ended
	suites   chan uint16      // negotiated suite of each handshake
	mu       sync.Mutex
	conns    []net.Conn
	wg       sync.WaitGroup
}

func newLineServer() *lineServer {
	return &lineServer{got: make(chan string, 100), exit: make(chan error, 10), suites: make(chan uint16, 10)}
}

// serve runs s behind wire.Listen on 127.0.0.1:0; wrap may add TLS on top
// of the tap (an implicit-TLS port).
func (s *lineServer) serve(t *testing.T, sink wire.Sink, secrets wire.Secrets, wrap func(net.Listener) net.Listener) string {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err, "Listen()")
	var l net.Listener = wire.Listen(raw, mx, sink, func(string) string { return "bob-phone" }, secrets)
	if wrap != nil {
		l = wrap(l)
	}
	s.wg.Add(1)
	go s.accept(l)
	t.Cleanup(func() {
		l.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return raw.Addr().String()
}

func (s *lineServer) accept(l net.Listener) {
	defer s.wg.Done()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.exit <- s.handle(c)
		}()
	}
}

func (s *lineServer) handle(c net.Conn) error {
	if s.setup != nil {
		s.setup(c)
	}
	if s.greeting != "" {
		if _, err := io.WriteString(c, s.greeting+"\r\n"); err != nil {
			return err
		}
	}
	if tc, ok := c.(*tls.Conn); ok {
		if err := s.handshake(tc); err != nil {
			return err
		}
	}
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return err
		}
		line = strings.TrimRight(line, "\r\n")
		s.got <- line
		switch {
		case line == "QUIT":
			_, err := io.WriteString(c, "221 bye\r\n")
			return err
		case line == "STARTTLS" && s.tls != nil:
			if _, err := io.WriteString(c, "220 go ahead\r\n"); err != nil {
				return err
			}
			tc := tls.Server(c, s.tls)
			defer tc.Close()
			if err := s.handshake(tc); err != nil {
				return err
			}
			c, r = tc, bufio.NewReader(tc)
		default:
			if _, err := fmt.Fprintf(c, "echo: %s\r\n", line); err != nil {
				return err
			}
		}
	}
}

func (s *lineServer) handshake(tc *tls.Conn) error {
	if err := tc.Handshake(); err != nil {
		return err
	}
	s.suites <- tc.ConnectionState().CipherSuite
	return nil
}

// client is the peer's side: lines it reads arrive on lines.
type client struct {
	t     *testing.T
	conn  net.Conn
	r     *bufio.Reader
	lines chan string
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err, "Dial()")
	t.Cleanup(func() { c.Close() })
	return &client{t: t, conn: c, r: bufio.NewReader(c)}
}

func (c *client) send(line string) {
	c.t.Helper()
	_, err := io.WriteString(c.conn, line)
	require.NoError(c.t, err, "Write(%q)", line)
}

// readLine reads one line synchronously.
func (c *client) readLine() string {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	line, err := c.r.ReadString('\n')
	require.NoError(c.t, err, "ReadString()")
	return strings.TrimRight(line, "\r\n")
}

// readAsync reads lines in a goroutine until the connection ends.
func (c *client) readAsync() {
	c.lines = make(chan string, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(c.lines)
		for {
			line, err := c.r.ReadString('\n')
			if err != nil {
				return
			}
			c.lines <- strings.TrimRight(line, "\r\n")
		}
	}()
	c.t.Cleanup(func() { c.conn.Close(); <-done })
}

func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		require.FailNow(t, "timed out waiting for "+what)
		var zero T
		return zero
	}
}

func assertNothing[T any](t *testing.T, ch <-chan T, what string) {
	t.Helper()
	select {
	case v := <-ch:
		require.FailNow(t, fmt.Sprintf("%s arrived early: %v", what, v))
	default:
	}
}

func waitWaiting(t *testing.T, c *conductor.Conductor, n int) []event.Event {
	t.Helper()
	var w []event.Event
	require.Eventually(t, func() bool { w = c.Waiting(); return len(w) == n }, 10*time.Second, time.Millisecond,
		"never %d lines waiting", n)
	return w
}

func linesOf(log []event.Event) []event.Event {
	var out []event.Event
	for _, e := range log {
		if e.Kind == event.KindLine {
			out = append(out, e)
		}
	}
	return out
}

// transcript renders line events as "C: text" / "S: text".
func transcript(evs []event.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, string(e.Dir)+": "+e.Text)
	}
	return out
}

func newReader(c net.Conn) *bufio.Reader { return bufio.NewReader(c) }
