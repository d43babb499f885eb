package mx

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"maillab/simulator/mail"
)

// Policy is what the MX demands of a client beyond RFC 5321, each part off
// when left zero (Options.Policy; SetPolicy changes it at run time).
type Policy struct {
	// RequireTLS refuses MAIL before STARTTLS with "530 5.7.0 Must issue
	// a STARTTLS command first", as Postfix with
	// smtpd_tls_security_level=encrypt (RFC 3207 §4). STARTTLS must be
	// offered (Options.TLSConfig).
	RequireTLS bool
	// Greylist defers the first try of every (client IP, sender,
	// recipient) triple (RFC 6647).
	Greylist *Greylist
	// RelayNets are the client networks the MX relays for (Postfix's
	// mynetworks): their mail to other domains is accepted and handed to
	// Options.Relay. Mail from them is not greylisted. 0.0.0.0/0 makes
	// an open relay.
	RelayNets []netip.Prefix
}

// Enqueuer takes relayed mail; the provider's outgoing queue implements it.
type Enqueuer interface {
	Enqueue(env mail.Envelope, raw []byte) (id string, err error)
}

// SetPolicy replaces the policy for commands from now on.
func (s *Server) SetPolicy(p Policy) { s.policy.Store(&p) }

// Policy returns the policy in force.
func (s *Server) Policy() Policy { return *s.policy.Load() }

var errNeedTLS = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0},
	Message: "Must issue a STARTTLS command first"}

// mayRelay reports whether the client's address is in a relay network.
func (p Policy) mayRelay(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, n := range p.RelayNets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// maxTriples bounds a greylist's memory; when full, the oldest triple is
// forgotten (its sender is greylisted once more, nothing worse).
const maxTriples = 10000

// Greylist remembers when each (client IP, sender, recipient) triple was
// first seen, as postgrey does (RFC 6647 §2.1). A triple passes once Delay
// has gone by since its first try, and from then on at once.
type Greylist struct {
	delay time.Duration
	now   func() time.Time

	mu      sync.Mutex
	first   map[triple]time.Time
	passed  map[triple]bool
	ordered []triple // in the order first seen, for eviction
}

type triple struct{ ip, from, rcpt string }

// NewGreylist makes a greylist with the given minimum delay; now is its
// clock (nil: time.Now), the world's fake clock in the retry lesson.
func NewGreylist(delay time.Duration, now func() time.Time) *Greylist {
	if now == nil {
		now = time.Now
	}
	return &Greylist{delay: delay, now: now, first: map[triple]time.Time{}, passed: map[triple]bool{}}
}

// Delay is the minimum wait before a retry is accepted.
func (g *Greylist) Delay() time.Duration { return g.delay }

// Check reports whether a try of the triple passes, and remembers it.
func (g *Greylist) Check(ip, from, rcpt string) bool {
	t := triple{ip, strings.ToLower(from), strings.ToLower(rcpt)}
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.passed[t] {
		return true
	}
	first, ok := g.first[t]
	if !ok {
		if len(g.ordered) >= maxTriples {
			old := g.ordered[0]
			g.ordered = g.ordered[1:]
			delete(g.first, old)
			delete(g.passed, old)
		}
		g.first[t] = now
		g.ordered = append(g.ordered, t)
		return g.delay <= 0
	}
	if now.Sub(first) >= g.delay {
		g.passed[t] = true
		return true
	}
	return false
}

// greylisted is postgrey's reply through Postfix's check_policy_service.
func greylisted(rcpt string) error {
	return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 0},
		Message: fmt.Sprintf("<%s>: Recipient address rejected: Greylisted, see RFC 6647", rcpt)}
}

// relayTo hands the relayed recipients' copy to the outgoing queue; the
// error, if any, is each of their statuses.
func (s *session) relayTo(raw []byte) (string, error) {
	if s.srv.opts.Relay == nil {
		return "", errHandOver
	}
	env := s.env.Clone()
	env.To = s.relayed
	env.Size = len(raw)
	id, err := s.srv.opts.Relay.Enqueue(env, raw)
	if err != nil {
		return "", errHandOver
	}
	return id, nil
}

func queuedAs(id string) error {
	return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0}, Message: "Ok: queued as " + id}
}
