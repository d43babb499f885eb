// Package mda is the mail delivery agent behind the MX: an LMTP server
// (RFC 2033) that files each message into the recipient's INBOX and reports
// a status per recipient.
package mda

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/emersion/go-smtp"

	"maillab/simulator/mail/smtpserve"
)

// Mailstore is the part of the mail store the MDA needs. The real store's
// Deliver also returns the new message; the caller adapts it.
type Mailstore interface {
	HasUser(addr string) bool
	Users() []string // the accounts, sorted: the first takes the postmaster's mail
	Deliver(addr, mailbox string, raw []byte, flags []string, date time.Time) error
}

// Options configure the LMTP server.
type Options struct {
	Hostname string // greeting name
	Store    Mailstore
	MaxConns int // default 200
	// MaxMessageBytes limits one message (default 10 MiB plus room for the
	// MX's trace field).
	MaxMessageBytes int64
	Now             func() time.Time
}

// Server is one LMTP server.
type Server struct {
	opts   Options
	serve  *smtpserve.Server
	ctx    context.Context
	cancel context.CancelFunc
}

// New checks the options and builds the server.
func New(opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, errors.New("mda: Store is required")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = 11 << 20
	}
	s := &Server{opts: opts}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.serve = smtpserve.New(smtpserve.Config{
		New: s.newLMTP, MaxConns: opts.MaxConns,
		BusyReply: "421 4.3.2 " + opts.Hostname + " Too many connections",
	})
	return s, nil
}

func (s *Server) newLMTP() *smtp.Server {
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.LMTP = true
	srv.Domain = s.opts.Hostname
	srv.MaxMessageBytes = s.opts.MaxMessageBytes
	srv.ReadTimeout = 30 * time.Minute
	srv.WriteTimeout = 30 * time.Minute
	return srv
}

// Serve accepts LMTP connections on l.
func (s *Server) Serve(l net.Listener) error { return s.serve.Serve(l) }

// Close stops every listener and connection and waits for them.
func (s *Server) Close() error {
	s.cancel()
	return s.serve.Close()
}
