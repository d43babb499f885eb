package smtpserve

import (
	"net"
)

// chanListener feeds go-smtp's accept loop with connections the Server
// accepted and routed itself.
type chanListener struct {
	ch   chan net.Conn
	done <-chan struct{}
}

func newChanListener(done <-chan struct{}) *chanListener {
	return &chanListener{ch: make(chan net.Conn), done: done}
}

// hand gives c to the accept loop, or closes it when the server is closing.
func (l *chanListener) hand(c net.Conn) {
	select {
	case l.ch <- c:
	case <-l.done:
		c.Close()
	}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close is a no-op: the Server's done channel ends Accept.
func (l *chanListener) Close() error { return nil }

func (l *chanListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }
