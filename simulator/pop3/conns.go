package pop3

import (
	"net"

	"maillab/simulator/limits"
)

// handle runs one connection: a session, or the refusal when the server
// or the client's address holds its cap already (RFC 3206: SYS/TEMP, try
// again later), sent within limits.RefusalGrace, also on port 995 where
// the client may never start TLS.
func (s *Server) handle(c net.Conn) {
	defer s.wg.Done()
	defer s.removeConn(c)
	defer c.Close()
	release, verdict := s.limit.Admit(limits.Host(c))
	switch verdict {
	case limits.ServerFull:
		limits.Refuse(c, "-ERR [SYS/TEMP] too many connections\r\n")
		return
	case limits.AddrFull:
		limits.Refuse(c, "-ERR [SYS/TEMP] too many connections from your address\r\n")
		return
	}
	defer release()
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

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}
