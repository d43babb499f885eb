package mta

import "time"

// Retry is the back-off schedule of deferred items (RFC 5321 §4.5.4.1).
type Retry struct {
	// Delays between attempts; the last one repeats. Default 1m, 5m, 15m,
	// 30m, 1h.
	Delays []time.Duration
	// MaxAttempts gives up after that many attempts; default len(Delays)+1.
	MaxAttempts int
	// MaxAge gives up on items older than this; default 5 days (RFC 5321
	// §4.5.4.1 suggests at least 4-5 days).
	MaxAge time.Duration
}

func (r Retry) withDefaults() Retry {
	if len(r.Delays) == 0 {
		r.Delays = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour}
	}
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = len(r.Delays) + 1
	}
	if r.MaxAge <= 0 {
		r.MaxAge = 5 * 24 * time.Hour
	}
	return r
}

// delay is the wait after the given number of attempts (>= 1).
func (r Retry) delay(attempts int) time.Duration {
	return r.Delays[min(max(attempts, 1), len(r.Delays))-1]
}

// expired reports whether an item must be given up: too many attempts, or
// older than maxAge (Postfix's maximal_queue_lifetime: "status=expired,
// returned to sender").
func (r Retry) expired(attempts int, arrived, now time.Time, maxAge time.Duration) bool {
	return attempts >= r.MaxAttempts || now.Sub(arrived) >= maxAge
}
