package pop3

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"maillab/simulator/limits"
)

// ErrServerClosed is returned by Serve after Close.
var ErrServerClosed = errors.New("pop3: server closed")

// Defaults for Options.
const (
	DefaultMaxConns = limits.DefaultMaxConns
	// DefaultIdleTimeout is the autologout timer after login; RFC 1939 §3
	// asks for at least 10 minutes.
	DefaultIdleTimeout = 10 * time.Minute
)

// Options configures a Server.
type Options struct {
	// Hostname appears in the greeting and the APOP timestamp.
	Hostname string
	Backend  Backend
	// TLSConfig enables STLS (RFC 2595 §4); nil means not offered.
	TLSConfig *tls.Config
	// RequireTLSForAuth refuses USER/PASS and AUTH PLAIN before TLS.
	// APOP stays allowed: it never sends the password.
	RequireTLSForAuth bool
	// AuthFailureDelay pauses before a wrong password is answered (0: none).
	AuthFailureDelay time.Duration
	// Penalty remembers wrong passwords per client address across
	// connections (and servers sharing it); nil: the server's own, with
	// AuthFailureDelay.
	Penalty *limits.Penalty
	// MaxConns caps concurrent sessions (default DefaultMaxConns).
	MaxConns int
	// MaxConnsPerAddr caps one client address's sessions (default
	// limits.DefaultPerAddr).
	MaxConnsPerAddr int
	// Timeouts close a silent session with "-ERR Disconnected for
	// inactivity.": Login before login (limits.DefaultLoginTimeout),
	// Stress before login under load, Session after (DefaultIdleTimeout).
	Timeouts limits.Timeouts
	// Now is the clock for APOP timestamps (default time.Now).
	Now func() time.Time
}

// Server is a POP3 server. One Server may serve several listeners, for
// example port 110 and an implicit-TLS listener for port 995.
type Server struct {
	opts  Options
	locks lockTable
	seq   atomic.Uint64
	limit *limits.Conns

	mu        sync.Mutex
	closed    bool
	listeners map[net.Listener]struct{}
	conns     map[net.Conn]struct{}
	wg        sync.WaitGroup
}

// New returns a Server; zero Options fields get their defaults.
func New(opts Options) *Server {
	if opts.Hostname == "" {
		opts.Hostname = "localhost"
	}
	opts.Timeouts = opts.Timeouts.WithDefaults(DefaultIdleTimeout)
	if opts.Penalty == nil {
		opts.Penalty = limits.NewPenalty(opts.AuthFailureDelay)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Server{opts: opts, locks: lockTable{held: map[string]bool{}},
		limit:     limits.NewConns(opts.MaxConns, opts.MaxConnsPerAddr),
		listeners: map[net.Listener]struct{}{}, conns: map[net.Conn]struct{}{}}
}

// Serve accepts connections on l until Close; it then returns
// ErrServerClosed. Any other accept error ends Serve and is returned.
func (s *Server) Serve(l net.Listener) error {
	if !s.track(l) {
		l.Close()
		return ErrServerClosed
	}
	defer s.wg.Done()
	defer s.untrack(l)
	for {
		c, err := l.Accept()
		if err != nil {
			if s.isClosed() {
				return ErrServerClosed
			}
			return err
		}
		if !s.addConn(c) {
			c.Close()
			return ErrServerClosed
		}
		go s.handle(c)
	}
}

// Close closes all listeners and connections and waits until every
// goroutine of the server has returned. Sessions end without the UPDATE
// state: nothing is deleted (RFC 1939 §6).
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	var closers []io.Closer
	for l := range s.listeners {
		closers = append(closers, l)
	}
	for c := range s.conns {
		closers = append(closers, c)
	}
	s.mu.Unlock()
	// Closed outside the lock: a wrapped connection may take its time.
	for _, c := range closers {
		c.Close()
	}
	s.wg.Wait()
	return nil
}

// timestamp makes the APOP banner timestamp, unique per connection
// (RFC 1939 §7): <pid.clock.sequence@hostname>.
func (s *Server) timestamp() string {
	return fmt.Sprintf("<%d.%d.%d@%s>", os.Getpid(), s.opts.Now().UnixNano(),
		s.seq.Add(1), s.opts.Hostname)
}
