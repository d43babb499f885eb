// Package mx is the receiving MTA mx.<domain> on port 25 (RFC 5321): it
// accepts mail for its own domain only, checks recipients, and hands each
// message to the MDA over LMTP before it says 250.
package mx

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"maillab/simulator/limits"
	"maillab/simulator/mail"
	"maillab/simulator/mail/smtpserve"
)

// DefaultMaxMessageBytes is the SIZE limit when Options leave it 0.
const DefaultMaxMessageBytes = 10 << 20

// Users says which mailboxes exist.
type Users interface {
	HasUser(addr string) bool
}

// Deliverer passes a message on to the MDA. perRecipient has an entry for
// every recipient, nil when it was delivered; err means nothing was.
type Deliverer interface {
	Deliver(ctx context.Context, env mail.Envelope, raw []byte) (perRecipient map[string]error, err error)
}

// DialFunc opens a connection; the caller binds and taps it.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Options configure a receiving MTA.
type Options struct {
	Hostname string // mx.example.net
	Domain   string // example.net: the only domain accepted
	Users    Users
	// Deliver hands accepted mail on; nil means LMTP to LMTPAddr over Dial.
	Deliver  Deliverer
	LMTPAddr string
	Dial     DialFunc
	// TLSConfig makes STARTTLS available (RFC 3207); nil = not offered.
	TLSConfig       *tls.Config
	MaxMessageBytes int64 // advertised as SIZE (RFC 1870); default 10 MiB
	MaxConns        int   // default 200
	MaxConnsPerAddr int   // one client address's share (default limits.DefaultPerAddr)
	// Timeouts: nobody logs in on port 25, so Session (default
	// smtpserve.DefaultSessionTimeout, Postfix's smtpd_timeout) holds for
	// the whole session, and Stress replaces it while the server is
	// under stress (Postfix's smtpd_timeout of 10 s then); Login is unused.
	Timeouts limits.Timeouts
	Now      func() time.Time
	// AuthChecks turns on SPF, DKIM and DMARC checks after DATA (RFC 7208,
	// RFC 6376, RFC 7489); SetAuthChecks changes it at run time. They need
	// LookupTXT, which must ask the world's DNS server.
	AuthChecks bool
	// PublicSuffixes are zones whose children are organisations of their
	// own for DMARC's relaxed alignment (a classroom's room zone); the
	// last label is always one.
	PublicSuffixes []string
	LookupTXT      LookupTXTFunc
	// LookupMX and LookupA, when set, answer the queries of SPF's a and mx
	// mechanisms from the world's DNS too (nil: those terms match nothing).
	LookupMX func(ctx context.Context, name string) ([]*net.MX, error)
	LookupA  func(ctx context.Context, host string) ([]net.IP, error)
	// Policy: STARTTLS required, greylisting, relay networks (policy.go);
	// the zero value is an MX that takes mail for its own users only.
	Policy Policy
	// Relay takes mail the MX relays for Policy.RelayNets (nil: relayed
	// mail is deferred with 451).
	Relay Enqueuer
}

// Server is one receiving MTA.
type Server struct {
	opts   Options
	serve  *smtpserve.Server
	ctx    context.Context
	cancel context.CancelFunc
	checks atomic.Bool
	policy atomic.Pointer[Policy]
}

// SetAuthChecks switches the sender checks on or off for messages whose
// DATA ends from now on.
func (s *Server) SetAuthChecks(on bool) { s.checks.Store(on) }

// AuthChecks reports whether the sender checks are on.
func (s *Server) AuthChecks() bool { return s.checks.Load() }

// New checks the options and builds the server.
func New(opts Options) (*Server, error) {
	if opts.Users == nil || opts.Domain == "" {
		return nil, errors.New("mx: Users and Domain are required")
	}
	if opts.Deliver == nil {
		if opts.Dial == nil || opts.LMTPAddr == "" {
			return nil, errors.New("mx: Deliver, or LMTPAddr and Dial, are required")
		}
		opts.Deliver = &LMTP{Hostname: opts.Hostname, Addr: opts.LMTPAddr, Dial: opts.Dial}
	}
	opts.Domain = strings.ToLower(opts.Domain)
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts}
	s.checks.Store(opts.AuthChecks)
	s.SetPolicy(opts.Policy)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.serve = smtpserve.New(smtpserve.Config{
		New: s.newSMTP, StartTLS: opts.TLSConfig, MaxConns: opts.MaxConns,
		MaxPerAddr: opts.MaxConnsPerAddr, Timeouts: opts.Timeouts.MX(smtpserve.DefaultSessionTimeout),
		BusyReply: "421 4.7.0 " + opts.Hostname + " Error: too many connections",
	})
	return s, nil
}

func (s *Server) newSMTP() *smtp.Server {
	return smtpserve.NewSMTP(smtp.BackendFunc(s.newSession), s.opts.Hostname, s.opts.MaxMessageBytes)
}

// Serve accepts connections on l (port 25).
func (s *Server) Serve(l net.Listener) error { return s.serve.Serve(l) }

// Close stops every listener, connection and LMTP hand-over and waits.
func (s *Server) Close() error {
	s.cancel()
	return s.serve.Close()
}
