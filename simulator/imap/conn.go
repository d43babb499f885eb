package imap

import (
	"crypto/tls"
	"net"
	"sync"
	"time"
)

// minTimeout is the shortest write deadline the server allows on a
// connection. go-imap uses 30 s for a response, but a paused wire tap may
// hold a line for minutes while a teacher explains it. Read deadlines are
// the guard's (Options.Timeouts).
const minTimeout = 30 * time.Minute

// trackedConn stretches write deadlines to minTimeout and reports its first
// Close, which imapserver makes as the very last step of a connection's
// goroutine; Server.Close waits for these reports.
type trackedConn struct {
	net.Conn
	once    sync.Once
	release func(*trackedConn)
	free    func() // the connection's slot in the server's counts
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.release(c) })
	return err
}

// abort closes the socket without reporting, so the connection's goroutine
// fails, winds down and then reports through Close. Under TLS it closes
// the TCP connection itself: tls.Conn.Close would first try to send an
// alert to a peer that may not be reading.
func (c *trackedConn) abort() {
	if tc, ok := c.Conn.(*tls.Conn); ok {
		tc.NetConn().Close()
		return
	}
	c.Conn.Close()
}

func (c *trackedConn) SetDeadline(t time.Time) error {
	if err := c.Conn.SetReadDeadline(t); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(stretch(t))
}
func (c *trackedConn) SetWriteDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(stretch(t)) }

func stretch(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	if min := time.Now().Add(minTimeout); t.Before(min) {
		return min
	}
	return t
}

// chanListener feeds connections we accepted to an imapserver.Server.
type chanListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newChanListener() *chanListener {
	return &chanListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// deliver hands c to Accept; false once the listener is closed.
func (l *chanListener) deliver(c net.Conn) bool {
	select {
	case l.conns <- c:
		return true
	case <-l.done:
		return false
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return chanAddr{} }

type chanAddr struct{}

func (chanAddr) Network() string { return "imap" }
func (chanAddr) String() string  { return "internal" }

type discard struct{}

func (discard) Printf(string, ...any) {}
