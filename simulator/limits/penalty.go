package limits

import (
	"sync"
	"time"
)

// Penalty defaults. Every connection already ends at its third wrong
// password; the penalty makes reconnecting useless for a guesser: from the
// fourth failure of one address the pause before the answer doubles (as
// Dovecot's auth penalty: 2, 4, 8, 15 s), and after LockAfter failures the
// address gets only a temporary refusal, whatever password it sends, until
// it has failed no more for Window (Postfix's anvil answers "450 4.7.1
// Error: too many AUTH commands"). A student who mistypes three times is
// not slowed at all.
const (
	DefaultFreeFailures = 3
	DefaultLockAfter    = 10
	DefaultWindow       = 5 * time.Minute
	DefaultMaxDelay     = 15 * time.Second
	maxTracked          = 4096 // addresses remembered before old ones are forgotten
)

// Penalty remembers wrong passwords per client address, across
// connections and across the servers that share it.
type Penalty struct {
	Delay     time.Duration // pause before answering a wrong password (0: none)
	MaxDelay  time.Duration // the doubled pause never exceeds this (0: DefaultMaxDelay)
	Free      int           // failures per address answered after Delay alone (0: DefaultFreeFailures)
	LockAfter int           // failures after which logins are refused (0: DefaultLockAfter; <0: never)
	Window    time.Duration // an address is forgotten this long after its last failure (0: DefaultWindow)
	Now       func() time.Time

	mu    sync.Mutex
	addrs map[string]*record
}

type record struct {
	failures int
	last     time.Time
}

// NewPenalty returns a penalty with the defaults and delay as the pause.
func NewPenalty(delay time.Duration) *Penalty { return &Penalty{Delay: delay} }

func (p *Penalty) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Penalty) window() time.Duration {
	if p.Window > 0 {
		return p.Window
	}
	return DefaultWindow
}

// failures counts addr's recent failures; p.mu is held.
func (p *Penalty) failures(addr string, now time.Time) int {
	r := p.addrs[addr]
	if r == nil {
		return 0
	}
	if now.Sub(r.last) >= p.window() {
		delete(p.addrs, addr)
		return 0
	}
	return r.failures
}

// Locked reports whether addr failed so often that a login from it must be
// refused for now, without looking at the password.
func (p *Penalty) Locked(addr string) bool {
	if p == nil {
		return false
	}
	lock := p.LockAfter
	if lock == 0 {
		lock = DefaultLockAfter
	}
	if lock < 0 {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failures(addr, p.now()) >= lock
}

// Fail records a wrong password from addr and returns how long to pause
// before answering it.
func (p *Penalty) Fail(addr string) time.Duration {
	if p == nil {
		return 0
	}
	now := p.now()
	p.mu.Lock()
	n := p.failures(addr, now) + 1
	if p.addrs == nil {
		p.addrs = map[string]*record{}
	}
	if _, ok := p.addrs[addr]; !ok && len(p.addrs) >= maxTracked {
		p.forgetOld(now)
	}
	p.addrs[addr] = &record{failures: n, last: now}
	p.mu.Unlock()
	return p.delay(n)
}

// delay is the pause for an address's n-th recent failure.
func (p *Penalty) delay(n int) time.Duration {
	free := p.Free
	if free <= 0 {
		free = DefaultFreeFailures
	}
	maxDelay := p.MaxDelay
	if maxDelay <= 0 {
		maxDelay = DefaultMaxDelay
	}
	d := p.Delay
	for i := free; i < n && d < maxDelay; i++ {
		d *= 2
	}
	if d > maxDelay && p.Delay <= maxDelay {
		d = maxDelay
	}
	return d
}

// forgetOld drops expired addresses, or the oldest half when none has
// expired, so a flood of addresses cannot grow the table without bound.
func (p *Penalty) forgetOld(now time.Time) {
	for a, r := range p.addrs {
		if now.Sub(r.last) >= p.window() {
			delete(p.addrs, a)
		}
	}
	if len(p.addrs) < maxTracked {
		return
	}
	var oldest time.Time
	for _, r := range p.addrs {
		if oldest.IsZero() || r.last.Before(oldest) {
			oldest = r.last
		}
	}
	cut := oldest.Add(now.Sub(oldest) / 2)
	for a, r := range p.addrs {
		if !r.last.After(cut) {
			delete(p.addrs, a)
		}
	}
}
