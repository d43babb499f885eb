// Package msa is the message submission agent smtp.<domain> (RFC 6409): it
// listens on 587 (STARTTLS) and 465 (implicit TLS, RFC 8314), requires AUTH,
// checks the sender, completes the message and hands it to the queue.
package msa

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"time"

	"github.com/emersion/go-smtp"

	"maillab/simulator/limits"
	"maillab/simulator/mail"
	"maillab/simulator/mail/smtpserve"
)

// DefaultMaxMessageBytes is the SIZE limit when Options leave it 0.
const DefaultMaxMessageBytes = 10 << 20

// Enqueuer takes an accepted message; the MTA queue implements it. An error
// makes the MSA answer 451, so the client keeps the message.
type Enqueuer interface {
	Enqueue(env mail.Envelope, raw []byte) (id string, err error)
}

// Options configure a submission server.
type Options struct {
	Hostname string // smtp.example.org: greeting, Received, Message-ID
	Domain   string // example.org (informational: the sender check uses the login)
	// Auth checks a login (the full address) and password.
	Auth      func(user, pass string) error
	TLSConfig *tls.Config // STARTTLS on plain listeners; nil = not offered
	Queue     Enqueuer
	// MaxMessageBytes is advertised as SIZE (RFC 1870); default 10 MiB.
	MaxMessageBytes int64
	MaxConns        int // default 200
	// MaxConnsPerAddr caps one client address (default
	// limits.DefaultPerAddr).
	MaxConnsPerAddr int
	// Timeouts limit the wait for the client's next line, before and
	// after AUTH (defaults: limits and smtpserve.DefaultSessionTimeout).
	Timeouts limits.Timeouts
	// AuthFailureDelay pauses before a wrong password is answered (0: none;
	// the world uses world.AuthFailureDelay).
	AuthFailureDelay time.Duration
	// Penalty remembers wrong passwords per client address across
	// connections (and across servers when they share it); nil: one of
	// the MSA's own with AuthFailureDelay.
	Penalty *limits.Penalty
	// AllowInsecureAuth lets AUTH run without TLS: only the lesson that shows
	// a plaintext password on the wire sets it.
	AllowInsecureAuth bool
	// DKIM, when set, signs every accepted message (RFC 6376).
	DKIM *DKIM
	Now  func() time.Time
}

// Server is one submission server; Serve it on 587 and on a TLS listener
// for 465.
type Server struct {
	opts   Options
	serve  *smtpserve.Server
	ctx    context.Context
	cancel context.CancelFunc
}

// New checks the options and builds the server.
func New(opts Options) (*Server, error) {
	if opts.Auth == nil || opts.Queue == nil {
		return nil, errors.New("msa: Auth and Queue are required")
	}
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Penalty == nil {
		opts.Penalty = limits.NewPenalty(opts.AuthFailureDelay)
	}
	s := &Server{opts: opts}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.serve = smtpserve.New(smtpserve.Config{
		New: s.newSMTP, StartTLS: opts.TLSConfig, MaxConns: opts.MaxConns,
		MaxPerAddr: opts.MaxConnsPerAddr, Timeouts: opts.Timeouts,
		BusyReply: "421 4.7.0 " + opts.Hostname + " Error: too many connections",
	})
	return s, nil
}

func (s *Server) newSMTP() *smtp.Server {
	return smtpserve.NewSMTP(smtp.BackendFunc(s.newSession), s.opts.Hostname, s.opts.MaxMessageBytes)
}

// Serve accepts submissions on l (plain: STARTTLS offered; a TLS listener:
// implicit TLS).
func (s *Server) Serve(l net.Listener) error { return s.serve.Serve(l) }

// Close stops every listener and connection and waits for them.
func (s *Server) Close() error {
	s.cancel()
	return s.serve.Close()
}
