// Package mta is the outgoing queue of smtp.<domain>: it takes messages from
// the MSA, finds each recipient domain's MX in DNS, relays over SMTP
// (RFC 5321), retries on 4xx and returns a DSN (RFC 3464) on 5xx. Every
// message the MSA accepted ends as sent or bounced, or waits deferred.
package mta

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"maillab/simulator/mail"
)

// Resolver looks up the route to a domain; *dns.Resolver implements it.
type Resolver interface {
	LookupMX(ctx context.Context, domain string) ([]*net.MX, error)
	LookupA(ctx context.Context, host string) ([]net.IP, error)
}

// DialFunc opens a connection; the caller binds and taps it.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Options configure the queue.
type Options struct {
	Hostname    string // smtp.example.org: EHLO name, Reporting-MTA of DSNs
	LocalDomain string // example.org: DSNs come from MAILER-DAEMON@ this
	Resolver    Resolver
	Dial        DialFunc
	// SMTPPort maps an MX host to the port it really listens on (port 25
	// is not bindable in the simulation); nil means 25.
	SMTPPort func(host string) int
	// TLSConfig returns the client config for an MX (trusting the run's CA);
	// STARTTLS is used whenever it is non-nil and the MX offers it
	// (opportunistic TLS, RFC 3207, RFC 7435). nil: never.
	TLSConfig func(host string) *tls.Config
	// RequireTLS: an MX that offers no STARTTLS gets no mail; the message
	// is deferred ("TLS is required, but was not offered", 4.7.4), as
	// with Postfix's smtp_tls_security_level=encrypt. Off: opportunistic.
	RequireTLS bool
	// Refuse, when set, says why mail for a domain is not sent anywhere
	// ("" sends it): its recipients fail at once with 5.7.1 and that text
	// in the DSN, as Postfix's error: transport does. A classroom
	// provider refuses every domain outside the room.
	Refuse func(domain string) string
	// Bounce delivers a DSN (env.From is empty, env.To the original sender).
	// nil: the DSN is queued here like any other message.
	Bounce  func(env mail.Envelope, dsn []byte) error
	Retry   Retry
	Clock   Clock // default: the real clock
	AutoRun bool  // deliver in the background as items arrive and fall due
	// KeepFinished bounds the finished items remembered (0:
	// DefaultKeepFinished); tests make it small.
	KeepFinished int
}

// ErrClosed is returned after Close.
var ErrClosed = errors.New("mta: queue closed")

// Queue is one MTA's outgoing queue.
type Queue struct {
	opts  Options
	clock Clock
	ctx   context.Context
	stop  context.CancelFunc
	sem   chan struct{} // one Flush at a time: a scenario's traffic stays ordered
	wake  chan struct{} // AutoRun: an idle worker should look for due items
	// changed tells the AutoRun timer that items arrived or changed.
	changed chan struct{}
	wg      sync.WaitGroup
	// requireTLS and maxAge are Options.RequireTLS and Retry.MaxAge,
	// changed while the queue runs (SetRequireTLS, SetLifetime).
	requireTLS atomic.Bool
	maxAge     atomic.Int64

	mu      sync.Mutex
	entries []*entry
	done    int // entries[:done] are all finished (sent, bounced, failed)
	subs    map[int]func(Item)
	nextSub int
	seq     int
}

// entry is an item with what only the delivering goroutine needs.
type entry struct {
	item     Item
	raw      []byte
	inFlight bool      // an attempt is running (under Queue.mu)
	last     []outcome // per recipient: the latest result
	dsn      []bool    // per recipient: failed for good, DSN still to be sent
}

// New checks the options and, with AutoRun, starts the worker.
func New(opts Options) (*Queue, error) {
	if opts.Resolver == nil || opts.Dial == nil || opts.Hostname == "" {
		return nil, errors.New("mta: Hostname, Resolver and Dial are required")
	}
	opts.Retry = opts.Retry.withDefaults()
	if opts.KeepFinished <= 0 {
		opts.KeepFinished = DefaultKeepFinished
	}
	q := &Queue{opts: opts, clock: opts.Clock, sem: make(chan struct{}, 1),
		wake: make(chan struct{}, Workers), changed: make(chan struct{}, 1), subs: map[int]func(Item){}}
	if q.clock == nil {
		q.clock = realClock{}
	}
	q.requireTLS.Store(opts.RequireTLS)
	q.maxAge.Store(int64(opts.Retry.MaxAge))
	q.ctx, q.stop = context.WithCancel(context.Background())
	if opts.AutoRun {
		q.wg.Add(1)
		go q.run()
	}
	return q, nil
}

// SetRequireTLS changes Options.RequireTLS for the attempts from now on
// (smtp_tls_security_level=encrypt or may).
func (q *Queue) SetRequireTLS(on bool) { q.requireTLS.Store(on) }

// SetLifetime changes how long a message may stay deferred before it is
// returned to its sender (Postfix's maximal_queue_lifetime; Retry.MaxAge);
// 0 restores the default. Messages already waiting get the new lifetime.
func (q *Queue) SetLifetime(d time.Duration) {
	if d <= 0 {
		d = Retry{}.withDefaults().MaxAge
	}
	q.maxAge.Store(int64(d))
	q.touch()
}

// Lifetime is how long a message may stay deferred.
func (q *Queue) Lifetime() time.Duration { return time.Duration(q.maxAge.Load()) }

// Close stops the worker and any delivery in progress (those items stay
// deferred) and waits for them.
func (q *Queue) Close() error {
	q.stop()
	q.wg.Wait()
	return nil
}

// Enqueue accepts a message (msa.Enqueuer): one item per recipient domain,
// in the order the domains first appear.
func (q *Queue) Enqueue(env mail.Envelope, raw []byte) (string, error) {
	if q.ctx.Err() != nil {
		return "", ErrClosed
	}
	if len(env.To) == 0 {
		return "", errors.New("mta: no recipients")
	}
	now := q.clock.Now()
	if env.Arrived.IsZero() {
		env.Arrived = now
	}
	q.mu.Lock()
	q.seq++
	id := queueID(q.opts.Hostname, q.seq)
	var added []Item
	for _, group := range byDomain(env.To) {
		e := newEntry(id, env, group, raw)
		q.entries = append(q.entries, e)
		added = append(added, e.item.clone())
	}
	q.mu.Unlock()
	for _, it := range added {
		q.notify(it)
	}
	q.poke()
	q.touch()
	return id, nil
}

func newEntry(id string, env mail.Envelope, to []string, raw []byte) *entry {
	e := &entry{raw: raw, last: make([]outcome, len(to)), dsn: make([]bool, len(to))}
	e.item = Item{ID: id, Domain: mail.Domain(to[0]), From: env.From, Size: len(raw),
		State: StateQueued, Arrived: env.Arrived}
	for _, addr := range to {
		e.item.To = append(e.item.To, Recipient{Addr: addr, State: StateQueued})
	}
	return e
}

// byDomain groups recipients by domain (RFC 5321 §5.1: one MX lookup and one
// transaction per destination).
func byDomain(to []string) [][]string {
	var order []string
	groups := map[string][]string{}
	for _, addr := range to {
		d := mail.Domain(addr)
		if _, ok := groups[d]; !ok {
			order = append(order, d)
		}
		groups[d] = append(groups[d], addr)
	}
	out := make([][]string, 0, len(order))
	for _, d := range order {
		out = append(out, groups[d])
	}
	return out
}

// queueID looks like a Postfix queue id (ten hex digits) but is derived from
// the host and a counter, so a scenario replays with the same ids.
func queueID(host string, seq int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s/%d", host, seq))
	return fmt.Sprintf("%X", sum[:5])
}

// poke wakes an idle AutoRun worker.
func (q *Queue) poke() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// touch tells the AutoRun timer to look at the retry times again.
func (q *Queue) touch() {
	select {
	case q.changed <- struct{}{}:
	default:
	}
}
