package smtpserve

import (
	"crypto/tls"
	"io"
	"net"
	"sync"
)

// conn tracks one accepted connection until it is closed.
type conn struct {
	net.Conn
	s    *Server
	once sync.Once
}

func (c *conn) Close() error {
	c.once.Do(func() { c.s.forget(c) })
	return c.Conn.Close()
}

// NetConn returns the wrapped connection.
func (c *conn) NetConn() net.Conn { return c.Conn }

// tlsConn is a tracked implicit-TLS connection: it keeps offering the TLS
// state so sessions can tell port 465 from port 587 before STARTTLS.
type tlsConn struct {
	*conn
	st interface{ ConnectionState() tls.ConnectionState }
}

func (c tlsConn) ConnectionState() tls.ConnectionState { return c.st.ConnectionState() }

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

// dispatch hands c to the STARTTLS or the implicit-TLS server, or answers it
// with the busy reply when the cap is reached.
func (s *Server) dispatch(nc net.Conn) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		nc.Close()
		return
	}
	c := &conn{Conn: nc, s: s}
	s.conns[c] = struct{}{}
	busy := len(s.conns) > s.maxConns
	if busy {
		s.rejects.Add(1)
	}
	s.mu.Unlock()

	if busy {
		go s.reject(c)
		return
	}
	if st, ok := nc.(interface{ ConnectionState() tls.ConnectionState }); ok {
		s.implicitL.hand(tlsConn{conn: c, st: st})
		return
	}
	s.plainL.hand(c)
}

// reject answers a connection over the cap (RFC 5321 §3.8: 421 and close).
// It runs on its own goroutine because a paused tap may hold the line.
func (s *Server) reject(c *conn) {
	defer s.rejects.Done()
	io.WriteString(c, s.busy+"\r\n")
	c.Close()
}
