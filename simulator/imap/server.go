// Package imap is the IMAP server of a provider's mail host (143 with
// STARTTLS, 993 with implicit TLS). It speaks IMAP4rev1 and IMAP4rev2
// through go-imap's imapserver and keeps the mail in the provider's shared
// store, so what POP3, the MDA or another IMAP session changes reaches every
// session that has the mailbox selected: the "phone sees the \Seen flag set
// by the laptop" lesson.
package imap

import (
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/limits"
	"maillab/simulator/store"
)

// DefaultSessionTimeout is the autologout timer after login: RFC 9051
// §5.4 asks for at least 30 minutes, and Dovecot waits as long.
const DefaultSessionTimeout = 30 * time.Minute

// Logger receives error messages of the server.
type Logger interface {
	Printf(format string, args ...any)
}

// Options configure a Server.
type Options struct {
	// Hostname is announced in the greeting ("* OK ... mail.example.net
	// IMAP server ready").
	Hostname string
	// Store holds the mailboxes; required.
	Store *store.Store
	// TLSConfig enables STARTTLS (RFC 9051 §6.2.1); nil = not offered.
	TLSConfig *tls.Config
	// RequireTLS refuses LOGIN and AUTHENTICATE on a connection that is not
	// encrypted (LOGINDISABLED, RFC 9051 §6.2.3). Off by default: the
	// security lesson shows the plaintext password on port 143.
	RequireTLS bool
	// AuthFailureDelay pauses before a wrong password is answered (0: none).
	AuthFailureDelay time.Duration
	// Penalty remembers wrong passwords per client address across
	// connections (and servers sharing it); nil: the server's own, with
	// AuthFailureDelay.
	Penalty *limits.Penalty
	// MaxConns caps concurrent sessions (default 200); one more gets
	// "* BYE" instead of a greeting.
	MaxConns int
	// MaxConnsPerAddr caps one client address's sessions (default
	// limits.DefaultPerAddr).
	MaxConnsPerAddr int
	// MaxSessionsPerUserAddr caps one user's logged-in sessions from one
	// address (default limits.DefaultPerUserAddr, 10, Dovecot's
	// mail_max_userip_connections).
	MaxSessionsPerUserAddr int
	// Timeouts end a silent session with "* BYE Disconnected for
	// inactivity.": Login before login, Stress before login under load,
	// Session after (default DefaultSessionTimeout).
	Timeouts limits.Timeouts
	// AppendLimit is the largest message APPEND accepts, advertised as
	// APPENDLIMIT (RFC 7889); 0 means DefaultAppendLimit. A larger literal
	// is refused with NO [TOOBIG] before any of it is read.
	AppendLimit int64
	// Logger gets internal errors; nil discards them.
	Logger Logger
}

// Server is an IMAP server. Serve may be called for several listeners: a
// listener that yields *tls.Conn (implicit TLS, port 993) is served
// without STARTTLS, any other with STARTTLS when TLSConfig is set.
type Server struct {
	opts   Options
	hub    *hub
	cancel func()

	plain, secure   *imapserver.Server
	plainL, secureL *chanListener

	limit    *limits.Conns
	userAddr *limits.UserAddr

	done      chan struct{} // closed by Close
	mu        sync.Mutex
	closed    bool
	listeners map[net.Listener]struct{}
	conns     map[*trackedConn]struct{}

	loops sync.WaitGroup // accept loops and the imapserver Serve loops
	live  sync.WaitGroup // connections until imapserver has closed them
}

var errClosed = errors.New("imap: server closed")

// New returns a server; it subscribes to the store at once.
func New(opts Options) *Server {
	opts.Timeouts = opts.Timeouts.WithDefaults(DefaultSessionTimeout)
	if opts.Penalty == nil {
		opts.Penalty = limits.NewPenalty(opts.AuthFailureDelay)
	}
	if opts.Logger == nil {
		opts.Logger = discard{}
	}
	if opts.AppendLimit <= 0 {
		opts.AppendLimit = DefaultAppendLimit
	}
	s := &Server{opts: opts, hub: newHub(), done: make(chan struct{}), listeners: map[net.Listener]struct{}{},
		conns: map[*trackedConn]struct{}{}, limit: limits.NewConns(opts.MaxConns, opts.MaxConnsPerAddr),
		userAddr: limits.NewUserAddr(opts.MaxSessionsPerUserAddr)}
	s.cancel = opts.Store.Subscribe(s.hub.publish)
	// Two imapserver instances: go-imap decides "is this connection
	// encrypted?" by asserting *tls.Conn, which our connection wrappers hide.
	s.plain = imapserver.New(&imapserver.Options{NewSession: s.newSession, Caps: caps(),
		Logger: opts.Logger, TLSConfig: opts.TLSConfig, InsecureAuth: !opts.RequireTLS, WrapTLSConn: guardOverTLS})
	s.secure = imapserver.New(&imapserver.Options{NewSession: s.newSession, Caps: caps(),
		Logger: opts.Logger, InsecureAuth: true})
	s.plainL, s.secureL = newChanListener(), newChanListener()
	s.loops.Add(2)
	go s.run(s.plain, s.plainL)
	go s.run(s.secure, s.secureL)
	return s
}

// caps are the advertised capabilities. With IMAP4rev2 imapserver also
// advertises what it implies (ESEARCH, SEARCHRES, LIST-EXTENDED,
// LIST-STATUS, STATUS=SIZE, CHILDREN), and it adds IDLE, UNSELECT, ENABLE,
// SASL-IR, STARTTLS and AUTH= as the state allows. BINARY (RFC 3516:
// FETCH BINARY[], BINARY.SIZE, APPEND with literal8) is part of IMAP4rev2
// and listed for IMAP4rev1 clients after login. LITERAL+ (RFC 7888) is
// listed in every state, never beside LITERAL- (go-imap patch 2); the guard
// takes a non-synchronising literal of up to 4096 octets before login and
// an APPEND message of any allowed size after it. ID (RFC 2971) is listed
// in every state; the guard answers it (id.go).
func caps() goimap.CapSet {
	return goimap.CapSet{goimap.CapIMAP4rev1: {}, goimap.CapIMAP4rev2: {}, goimap.CapNamespace: {},
		goimap.CapUIDPlus: {}, goimap.CapMove: {}, goimap.CapSpecialUse: {}, goimap.CapBinary: {},
		goimap.CapLiteralPlus: {}, goimap.CapID: {}, goimap.CapCondStore: {}, goimap.CapQResync: {},
		goimap.CapSort: {}, goimap.CapSortDisplay: {}, goimap.CapESort: {},
		imapserver.CapContextSearch: {}, imapserver.CapContextSort: {},
		"THREAD=ORDEREDSUBJECT": {}, "THREAD=REFERENCES": {}, // thread.go
		goimap.CapMultiAppend: {}, goimap.CapCatenate: {}} // multiappend.go, catenate.go
}

// guardOverTLS is go-imap's hook after STARTTLS (go-imap patch 3): the
// connection's guard goes on checking commands inside TLS.
func guardOverTLS(cleartext net.Conn, tlsConn *tls.Conn) net.Conn {
	if g := findGuard(cleartext); g != nil {
		return g.overTLS(tlsConn)
	}
	return tlsConn
}

func (s *Server) run(srv *imapserver.Server, l *chanListener) {
	defer s.loops.Done()
	if err := srv.Serve(l); err != nil {
		s.opts.Logger.Printf("imap: serve: %v", err)
	}
}

// Serve accepts connections on l until l fails or the server is closed.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errClosed
	}
	s.listeners[l] = struct{}{}
	s.loops.Add(1)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, l)
		s.mu.Unlock()
		s.loops.Done()
	}()
	var delay time.Duration
	for {
		c, err := l.Accept()
		if err == nil {
			delay = 0
			s.admit(c)
			continue
		}
		if s.isClosed() {
			return nil
		}
		if !temporary(err) {
			return err
		}
		// Out of file descriptors under a connection flood: wait, as
		// net/http does, instead of giving up the port.
		delay = min(max(2*delay, 5*time.Millisecond), time.Second)
		s.opts.Logger.Printf("imap: accept: %v; retrying in %v", err, delay)
		select {
		case <-time.After(delay):
		case <-s.done:
			return nil
		}
	}
}

func temporary(err error) bool {
	var te interface{ Temporary() bool }
	return errors.As(err, &te) && te.Temporary()
}

// admit wraps a new connection and hands it to the matching imapserver,
// or refuses it when the server or the client's address holds its cap
// already: "* BYE" instead of a greeting (RFC 9051 §7.1.5), sent within
// limits.RefusalGrace, also on port 993 where the client may never start
// TLS.
func (s *Server) admit(c net.Conn) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.Close()
		return
	}
	free, verdict := s.limit.Admit(limits.Host(c))
	s.live.Add(1)
	if verdict != limits.Admitted {
		s.mu.Unlock()
		bye := "* BYE [UNAVAILABLE] Too many connections, try again later\r\n"
		if verdict == limits.AddrFull {
			bye = "* BYE [UNAVAILABLE] Too many connections from your address\r\n"
		}
		go func() {
			defer s.live.Done()
			limits.Refuse(c, bye)
		}()
		return
	}
	tc := &trackedConn{Conn: c, release: s.release, free: free}
	s.conns[tc] = struct{}{}
	s.mu.Unlock()

	_, isTLS := c.(*tls.Conn)
	g := newGuard(tc, !isTLS && s.opts.TLSConfig != nil, s.opts.Hostname, s.idle, literalLimits{appendLimit: s.opts.AppendLimit})
	target := s.plainL
	if isTLS {
		target = s.secureL
	}
	if !target.deliver(g) {
		g.Close()
	}
}

// idle is the wait for a client's next line.
func (s *Server) idle(loggedIn bool) time.Duration {
	return s.opts.Timeouts.Idle(loggedIn, s.limit.Stressed())
}

// release is called once per connection, when imapserver closes it.
func (s *Server) release(tc *trackedConn) {
	tc.free()
	s.mu.Lock()
	delete(s.conns, tc)
	s.mu.Unlock()
	s.live.Done()
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Close stops all listeners, drops every connection and waits until every
// goroutine of the server has returned. Closing again does nothing.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	var err error
	for l := range s.listeners {
		if cerr := l.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) && err == nil {
			err = cerr
		}
	}
	conns := make([]*trackedConn, 0, len(s.conns))
	for tc := range s.conns {
		conns = append(conns, tc)
	}
	s.mu.Unlock()

	s.plainL.Close()
	s.secureL.Close()
	for _, tc := range conns {
		tc.abort()
	}
	s.loops.Wait()
	s.live.Wait()
	s.cancel()
	return err
}
