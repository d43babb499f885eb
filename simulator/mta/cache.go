package mta

import "time"

// Connection caching, as Postfix does it on demand when a destination has
// mail waiting (smtp_connection_cache_on_demand): when more mail for the
// domain is due as a transaction ends, an AutoRun worker keeps its session
// with the MX open and sends the next message on it, with a new MAIL FROM
// and no DNS lookup, new connection, EHLO or TLS handshake (RFC 5321 §3.3
// allows any number of transactions per session). Without such a backlog
// the session ends with QUIT as before, so one message at a time looks
// the same on the wire. A session left idle is closed with QUIT after
// cacheIdle, and none is reused for longer than cacheReuse.
const (
	cacheIdle  = 2 * time.Second   // Postfix smtp_connection_cache_time_limit
	cacheReuse = 300 * time.Second // Postfix smtp_connection_reuse_time_limit
)

// sessionCache holds at most one open session: a worker's. Its methods
// accept a nil cache (Flush keeps no sessions).
type sessionCache struct {
	s *session
}

// take returns the open session with domain's MX, or nil. A session past
// its reuse limit, or with another domain, is closed.
func (c *sessionCache) take(domain string, now time.Time) *session {
	if c == nil || c.s == nil {
		return nil
	}
	s := c.s
	c.s = nil
	if s.domain != domain || now.Sub(s.opened) >= cacheReuse {
		s.quit()
		return nil
	}
	return s
}

// put keeps s open for the next message, closing any other session.
func (c *sessionCache) put(s *session) {
	if c.s != nil && c.s != s {
		c.s.quit()
	}
	c.s = s
}

// close ends the open session, if any, with QUIT.
func (c *sessionCache) close() {
	if c != nil && c.s != nil {
		c.s.quit()
		c.s = nil
	}
}

// domain is the domain of the open session ("" if none).
func (c *sessionCache) domain() string {
	if c == nil || c.s == nil {
		return ""
	}
	return c.s.domain
}

// open reports whether a session is waiting.
func (c *sessionCache) open() bool { return c != nil && c.s != nil }
