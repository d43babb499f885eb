// Package terminal is the client side of "Type it yourself": a plain TCP
// session to one of the world's mail servers where every line is typed by
// the user. It dials from the external node, so the servers' tap logs,
// holds and explains the traffic like any other client's, and it reports
// what its own socket really sent and received. A typed STARTTLS (SMTP),
// STLS (POP3) or "<tag> STARTTLS" (IMAP) that the server accepts really
// upgrades the connection; the implicit-TLS ports start with TLS.
//
// No read deadline is ever set: in step mode the server's lines arrive
// only when the viewer releases them, and the terminal simply waits.
package terminal

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"maillab/simulator/netmap"
	"maillab/simulator/wire"
	"maillab/simulator/world"
)

// Errors of Send.
var (
	ErrClosed    = errors.New("the terminal is closed")
	ErrLineBreak = errors.New("a line may not contain CR or LF: the terminal ends each line with CRLF itself")
	ErrTooLong   = fmt.Errorf("a line may be at most %d bytes long", MaxSend)
)

// MaxSend caps a typed line; RFC 5321 §4.5.3.1.6 allows 1000 octets for
// SMTP text lines, the cap leaves room for long IMAP commands.
const MaxSend = 4096

// MaxReceived is where an over-long received line is cut for display; the
// rest of it is read and dropped, and the session goes on.
const MaxReceived = wire.MaxLineDisplay

// Session is one terminal connection. Its methods are safe for concurrent
// use.
type Session struct {
	Host       string
	Service    netmap.Service
	LocalAddr  string // where the terminal's socket is, "127.0.0.1:51234"
	RemoteAddr string // where the server really listens in this run

	raw     net.Conn // the TCP socket; closing it ends everything
	tlsCfg  *tls.Config
	onEntry func(Entry)

	emu sync.Mutex // orders the entries and their delivery to onEntry

	mu        sync.Mutex
	conn      net.Conn // raw, or the TLS connection above it
	encrypted bool
	log       []Entry
	creds     wire.CredentialTracker
	replies   replies
	upgrading chan struct{} // set from a STARTTLS request until its answer was handled
	closing   bool          // Close was called
	failed    bool          // an error ended the session
	over      bool          // the "closed" entry is logged
	ended     bool          // the reader has stopped

	wmu       sync.Mutex // one writer at a time
	done      chan struct{}
	closeOnce sync.Once
}

// Open connects to host's well-known port (25, 587, 465, 110, 995, 143,
// 993) as the external client and starts reading. For an implicit-TLS port
// the handshake is done before Open returns, verified against the world's
// CA. ctx bounds only the connecting; onEntry (may be nil) is called for
// every entry, in order, and must not block or call back into the session.
func Open(ctx context.Context, w *world.World, host string, port int, onEntry func(Entry)) (*Session, error) {
	svc, ok := ServiceFor(port)
	if !ok {
		return nil, fmt.Errorf("terminal: no mail service has the well-known port %d", port)
	}
	raw, err := w.DialService(ctx, netmap.External, host, port)
	if err != nil {
		return nil, fmt.Errorf("terminal: connect to %s port %d: %w", host, port, err)
	}
	s := &Session{Host: host, Service: svc, LocalAddr: raw.LocalAddr().String(),
		RemoteAddr: raw.RemoteAddr().String(), raw: raw, conn: raw, tlsCfg: w.ClientTLS(host),
		onEntry: onEntry, replies: newReplies(svc.Proto), done: make(chan struct{})}
	br := bufio.NewReader(raw)
	var state *tls.ConnectionState
	if svc.Implicit {
		tc := tls.Client(raw, s.tlsCfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, fmt.Errorf("terminal: TLS with %s port %d: %w", host, port, err)
		}
		cs := tc.ConnectionState()
		s.conn, s.encrypted, state, br = tc, true, &cs, bufio.NewReader(tc)
	}
	s.emit(note(KindInfo, "terminal.info.connected", map[string]string{"host": host,
		"port": strconv.Itoa(port), "addr": s.RemoteAddr, "local": s.LocalAddr}))
	if state != nil {
		s.emit(tlsEntry(host, *state))
	}
	go s.read(br)
	return s, nil
}

// ServiceFor returns the mail service of a well-known port.
func ServiceFor(port int) (netmap.Service, bool) {
	for _, svc := range []netmap.Service{netmap.SMTP, netmap.Submission, netmap.Submissions,
		netmap.POP3, netmap.POP3S, netmap.IMAP, netmap.IMAPS} {
		if svc.Port == port {
			return svc, true
		}
	}
	return netmap.Service{}, false
}

// Log returns a copy of the entries so far.
func (s *Session) Log() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Entry(nil), s.log...)
}

// Closed reports whether the session has ended.
func (s *Session) Closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Done is closed once the session has ended and its "closed" entry is in
// the log.
func (s *Session) Done() <-chan struct{} { return s.done }

// Close ends the session and waits for the reader. It closes the socket
// without a TLS close_notify: that write could block behind a stuck Send,
// and Close must never hang. Calling it again is a no-op.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closing = true
		s.mu.Unlock()
		s.raw.Close()
	})
	<-s.done
	return nil
}

// emit numbers e, stamps it, logs it and hands it on. Nothing follows the
// "closed" entry: a Send racing the end loses its entries.
func (s *Session) emit(e Entry) {
	s.emu.Lock()
	defer s.emu.Unlock()
	s.mu.Lock()
	if s.over {
		s.mu.Unlock()
		return
	}
	s.over = e.Kind == KindClosed
	e.N, e.Time = len(s.log), time.Now()
	s.log = append(s.log, e)
	s.mu.Unlock()
	if s.onEntry != nil {
		s.onEntry(e)
	}
}
