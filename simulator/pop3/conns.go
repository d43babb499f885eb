package pop3

import (
	"net"
	"time"
)

// handle runs one connection: a session, or the refusal when the server
// is full (RFC 3206: SYS/TEMP, try again later).
func (s *Server) handle(c net.Conn) {
	defer s.wg.Done()
	defer s.removeConn(c)
	defer c.Close()
	if !s.admit() {
		c.SetWriteDeadline(time.Now().Add(s.opts.IdleTimeout))
		c.Write([]byte("-ERR [SYS/TEMP] too many connections\r\n"))
		return
	}
	defer s.leave()
	newSession(s, c).serve()
}

// track registers a listener and counts its Serve loop; false after Close.
func (s *Server) track(l net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.listeners[l] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(l net.Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.listeners, l)
}

// addConn registers a connection and counts its goroutine; false after Close.
func (s *Server) addConn(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) removeConn(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

// admit takes a session slot if one is free.
func (s *Server) admit() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions >= s.opts.MaxConns {
		return false
	}
	s.sessions++
	return true
}

func (s *Server) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions--
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}
