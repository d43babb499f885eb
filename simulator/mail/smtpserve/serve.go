// Package smtpserve runs go-smtp servers on listeners the caller gives:
// one backend behind a STARTTLS server (plain listeners) and an implicit-TLS
// server (listeners that yield *tls.Conn, port 465), a connection cap
// answered with 421, and a Close that returns only when every goroutine has.
//
// go-smtp's own Close does not wait for its connection goroutines, and its
// STARTTLS offer is per server, not per listener; both are fixed here.
package smtpserve

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"maillab/simulator/limits"
)

// DefaultMaxConns caps simultaneous connections when Config.MaxConns is 0.
const DefaultMaxConns = limits.DefaultMaxConns

// DefaultSessionTimeout is the idle limit after AUTH: Postfix's
// smtpd_timeout, and the 5 minutes RFC 5321 §4.5.3.2.7 asks a server to
// wait for a command at least.
const DefaultSessionTimeout = 5 * time.Minute

// Config describes one mail service.
type Config struct {
	// New returns a configured go-smtp server; it is called twice, and the
	// STARTTLS config is set on one of the two copies only.
	New       func() *smtp.Server
	StartTLS  *tls.Config // offered on plain connections; nil = not offered
	MaxConns  int         // simultaneous connections over all listeners
	BusyReply string      // sent before closing a connection over the cap, without CRLF
	// MaxPerAddr caps one client address's connections (0:
	// limits.DefaultPerAddr); one more is answered "421 4.7.0 <host>
	// Error: too many connections from <addr>".
	MaxPerAddr int
	// Timeouts limit the wait for a client's next line; Session (default
	// DefaultSessionTimeout) holds after AUTH, see LoggedIn.
	Timeouts limits.Timeouts
}

// Server routes accepted connections to the go-smtp servers.
type Server struct {
	plain, implicit   *smtp.Server
	plainL, implicitL *chanListener
	limit             *limits.Conns
	timeouts          limits.Timeouts
	busy              string
	done              chan struct{}

	mu        sync.Mutex
	closed    bool
	started   bool
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	loops     sync.WaitGroup // the two go-smtp accept loops
	rejects   sync.WaitGroup // goroutines answering connections over the cap
}

// New builds the pair of go-smtp servers.
func New(cfg Config) *Server {
	s := &Server{limit: limits.NewConns(cfg.MaxConns, cfg.MaxPerAddr), busy: cfg.BusyReply,
		timeouts: cfg.Timeouts.WithDefaults(DefaultSessionTimeout), done: make(chan struct{}),
		listeners: map[net.Listener]struct{}{}, conns: map[*conn]struct{}{}}
	s.plain, s.implicit = prepare(cfg.New()), prepare(cfg.New())
	s.plain.TLSConfig, s.implicit.TLSConfig = cfg.StartTLS, nil
	s.plainL, s.implicitL = newChanListener(s.done), newChanListener(s.done)
	return s
}

// NewSMTP is a go-smtp server as the MSA and the MX run it: lines of at most
// 1000 octets (RFC 5321 §4.5.3.1.4 and §4.5.3.1.6). Its ReadTimeout only
// makes go-smtp set a deadline before each line: the Server's connections
// replace it by their idle limit (Config.Timeouts).
func NewSMTP(b smtp.Backend, hostname string, maxMessageBytes int64) *smtp.Server {
	srv := smtp.NewServer(b)
	srv.Domain = hostname
	srv.MaxMessageBytes = maxMessageBytes
	srv.MaxLineLength = 1000
	srv.ReadTimeout = 30 * time.Minute
	srv.WriteTimeout = 30 * time.Minute
	return srv
}

// prepare silences go-smtp's stderr logging (a dropped connection is normal
// here) and lets sessions decide about AUTH: go-smtp would answer
// "523 5.7.10 TLS is required" itself, and cannot see TLS through wrappers.
func prepare(srv *smtp.Server) *smtp.Server {
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.AllowInsecureAuth = true
	if srv.ReadTimeout == 0 { // any value: it only makes go-smtp set deadlines
		srv.ReadTimeout = DefaultSessionTimeout
	}
	return srv
}

// Serve accepts connections on l until Close. It may be called for several
// listeners at once.
func (s *Server) Serve(l net.Listener) error {
	if !s.addListener(l) {
		l.Close()
		return smtp.ErrServerClosed
	}
	for {
		c, err := l.Accept()
		if err != nil {
			if s.isClosed() {
				return nil
			}
			return err
		}
		s.dispatch(c)
	}
}

func (s *Server) addListener(l net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.listeners[l] = struct{}{}
	if !s.started {
		s.started = true
		s.loops.Add(2)
		go s.loop(s.plain, s.plainL)
		go s.loop(s.implicit, s.implicitL)
	}
	return true
}

func (s *Server) loop(srv *smtp.Server, l net.Listener) {
	defer s.loops.Done()
	srv.Serve(l)
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close closes the listeners and every connection, and waits for all
// goroutines of the server.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	for l := range s.listeners {
		l.Close()
	}
	s.mu.Unlock()

	// Once the accept loops are gone go-smtp starts no more connections, so
	// closing the tracked ones and waiting in Shutdown covers them all.
	s.loops.Wait()
	s.closeConns()
	s.plain.Shutdown(context.Background())
	s.implicit.Shutdown(context.Background())
	s.rejects.Wait()
	return nil
}

func (s *Server) closeConns() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Conn.Close()
	}
}
