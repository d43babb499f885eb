package dns

import (
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// maxCached bounds how many answers one resolver keeps; past it the
// expired ones go, then the whole cache (a world has a handful of names).
const maxCached = 1024

type cacheKey struct {
	name string // lower case, fully qualified
	t    uint16
}

type cached struct {
	m       *dns.Msg // never changed once cached
	expires time.Time
}

// cache keeps answers for as long as their TTL allows, as the resolver of
// a real MTA does (RFC 1035 §7.4, RFC 2181 §5.2): the least TTL of the
// answer's records, for a negative answer the SOA's (RFC 2308 §5).
// Failures (SERVFAIL, a timeout) are not kept.
type cache struct {
	mu      sync.Mutex
	now     func() time.Time
	answers map[cacheKey]cached
}

func (c *cache) get(name string, t uint16) *dns.Msg {
	k := cacheKey{strings.ToLower(dns.Fqdn(name)), t}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.answers[k]
	if !ok {
		return nil
	}
	if !c.now().Before(e.expires) {
		delete(c.answers, k)
		return nil
	}
	return e.m
}

func (c *cache) put(name string, t uint16, m *dns.Msg) {
	ttl, ok := cacheTTL(m)
	if !ok || ttl == 0 {
		return
	}
	k := cacheKey{strings.ToLower(dns.Fqdn(name)), t}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.answers == nil {
		c.answers = map[cacheKey]cached{}
	}
	if len(c.answers) >= maxCached {
		for k, e := range c.answers {
			if !now.Before(e.expires) {
				delete(c.answers, k)
			}
		}
		if len(c.answers) >= maxCached {
			clear(c.answers)
		}
	}
	c.answers[k] = cached{m: m, expires: now.Add(time.Duration(ttl) * time.Second)}
}

// cacheTTL is how long m may be kept: positive answers by their records'
// least TTL, NXDOMAIN and empty answers by the SOA in the authority section
// (the lesser of its TTL and MINIMUM, RFC 2308 §5); ok is false for
// anything else.
func cacheTTL(m *dns.Msg) (uint32, bool) {
	if m.Truncated || m.Rcode != dns.RcodeSuccess && m.Rcode != dns.RcodeNameError {
		return 0, false
	}
	if m.Rcode == dns.RcodeSuccess && len(m.Answer) > 0 {
		ttl := m.Answer[0].Header().Ttl
		for _, rr := range m.Answer[1:] {
			ttl = min(ttl, rr.Header().Ttl)
		}
		return ttl, true
	}
	for _, rr := range m.Ns {
		if soa, ok := rr.(*dns.SOA); ok {
			return min(soa.Hdr.Ttl, soa.Minttl), true
		}
	}
	return 0, false // no SOA: no negative caching (RFC 2308 §5)
}
