package smtpserve

import (
	"crypto/tls"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"maillab/simulator/limits"
)

// conn tracks one accepted connection until it is closed. It also owns the
// connection's read deadline: go-smtp sets one before each command line
// with its fixed ReadTimeout, and conn replaces it by the idle limit the
// session is due (short before AUTH, shorter under stress).
type conn struct {
	net.Conn
	s        *Server
	release  func() // frees the slot in the server's counts; nil when refused
	loggedIn atomic.Bool
	once     sync.Once
}

func (c *conn) Close() error {
	c.once.Do(func() {
		c.s.forget(c)
		if c.release != nil {
			c.release()
		}
	})
	return c.Conn.Close()
}

// NetConn returns the wrapped connection.
func (c *conn) NetConn() net.Conn { return c.Conn }

func (c *conn) SetReadDeadline(t time.Time) error {
	if !t.IsZero() {
		t = time.Now().Add(c.s.timeouts.Idle(c.loggedIn.Load(), c.s.limit.Stressed()))
	}
	return c.Conn.SetReadDeadline(t)
}

func (c *conn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(t)
}

// tlsConn is a tracked implicit-TLS connection: it keeps offering the TLS
// state so sessions can tell port 465 from port 587 before STARTTLS.
type tlsConn struct {
	*conn
	st interface{ ConnectionState() tls.ConnectionState }
}

func (c tlsConn) ConnectionState() tls.ConnectionState { return c.st.ConnectionState() }

// LoggedIn tells the server that the session on c (go-smtp's Conn.Conn())
// has authenticated: its idle limit becomes the session timeout.
func LoggedIn(c net.Conn) {
	for c != nil {
		switch x := c.(type) {
		case *conn:
			x.loggedIn.Store(true)
			return
		case tlsConn:
			x.loggedIn.Store(true)
			return
		}
		u, ok := c.(interface{ NetConn() net.Conn })
		if !ok {
			return
		}
		c = u.NetConn()
	}
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

// dispatch hands c to the STARTTLS or the implicit-TLS server, or refuses
// it when the server or the client's address holds its cap already.
func (s *Server) dispatch(nc net.Conn) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		nc.Close()
		return
	}
	addr := limits.Host(nc)
	release, verdict := s.limit.Admit(addr)
	c := &conn{Conn: nc, s: s, release: release}
	s.conns[c] = struct{}{}
	if verdict != limits.Admitted {
		s.rejects.Add(1)
	}
	s.mu.Unlock()

	switch verdict {
	case limits.ServerFull:
		go s.reject(c, s.busy)
		return
	case limits.AddrFull:
		// Postfix's words (smtpd_client_connection_count_limit).
		go s.reject(c, fmt.Sprintf("421 4.7.0 %s Error: too many connections from %s", s.plain.Domain, addr))
		return
	}
	if st, ok := nc.(interface{ ConnectionState() tls.ConnectionState }); ok {
		s.implicitL.hand(tlsConn{conn: c, st: st})
		return
	}
	s.plainL.hand(c)
}

// reject answers a connection over a cap (RFC 5321 §3.8: 421 and close),
// on its own goroutine and within limits.RefusalGrace: a paused tap may
// hold the line, and on port 465 the client may never start TLS.
func (s *Server) reject(c *conn, reply string) {
	defer s.rejects.Done()
	limits.Refuse(c.Conn, reply+"\r\n")
	c.Close()
}
