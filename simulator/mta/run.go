package mta

import (
	"context"
	"time"
)

// Flush attempts every item that is due now (queued, or deferred with its
// retry time reached), one after the other, including items queued during
// the flush (such as a DSN), and returns when those attempts are done. Each
// item is attempted at most once per Flush.
func (q *Queue) Flush(ctx context.Context) error {
	if q.ctx.Err() != nil {
		return ErrClosed
	}
	select {
	case q.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	case <-q.ctx.Done():
		return ErrClosed
	}
	defer func() { <-q.sem }()

	// Close aborts the attempts as well as the caller's ctx.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(q.ctx, cancel)()

	tried := map[*entry]bool{}
	for e, _ := q.claim(tried, ""); e != nil; e, _ = q.claim(tried, "") {
		tried[e] = true
		q.attempt(ctx, e, nil)
		q.release(e)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// claim returns the oldest due item that is neither in flight nor in
// tried, and marks it in flight; more reports whether another one is due.
// With prefer set, the oldest due item for that domain goes first (a
// worker's open session is with its MX).
func (q *Queue) claim(tried map[*entry]bool, prefer string) (e *entry, more bool) {
	now := q.clock.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.done < len(q.entries) && final(q.entries[q.done].item.State) {
		q.done++ // everything before done is finished: no need to look again
	}
	q.forgetFinishedLocked()
	n := 0
	for _, c := range q.entries[q.done:] {
		if c.inFlight || tried[c] || !due(c.item, now) {
			continue
		}
		n++
		if e == nil || prefer != "" && c.item.Domain == prefer && e.item.Domain != prefer {
			e = c
		}
		if n > 1 && (prefer == "" || e.item.Domain == prefer) {
			break
		}
	}
	if e != nil {
		e.inFlight = true
	}
	return e, n > 1
}

// waiting reports whether an item for domain is due and not yet taken:
// the demand that keeps a session open (cache.go).
func (q *Queue) waiting(domain string) bool {
	now := q.clock.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, c := range q.entries[q.done:] {
		if !c.inFlight && c.item.Domain == domain && due(c.item, now) {
			return true
		}
	}
	return false
}

// release ends an item's attempt.
func (q *Queue) release(e *entry) {
	q.mu.Lock()
	e.inFlight = false
	q.mu.Unlock()
}

// final reports whether an item has nothing left to do.
func final(s State) bool { return s == StateSent || s == StateBounced || s == StateFailed }

func due(it Item, now time.Time) bool {
	return it.State == StateQueued || it.State == StateDeferred && !it.NextRetry.After(now)
}

// nextWake returns how long until the earliest retry, or false if none.
func (q *Queue) nextWake() (time.Duration, bool) {
	now := q.clock.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	var d time.Duration
	found := false
	for _, e := range q.entries[q.done:] {
		if e.item.State != StateDeferred || e.inFlight {
			continue
		}
		if wait := e.item.NextRetry.Sub(now); !found || wait < d {
			d, found = wait, true
		}
	}
	return d, found
}

// Workers is how many messages an AutoRun queue delivers at once, like
// Postfix's initial_destination_concurrency: the deliveries of a busy
// queue overlap, and both the MTA and the MX use more than one core.
const Workers = 4

// run is the AutoRun timer: it starts the workers, then wakes them when an
// item arrives or a retry falls due.
func (q *Queue) run() {
	defer q.wg.Done()
	for range Workers {
		q.wg.Add(1)
		go q.work()
	}
	for {
		var timer <-chan time.Time
		stop := func() {}
		d, ok := q.nextWake()
		switch {
		case ok && d <= 0:
			q.poke() // due now: a worker takes it and tells us when done
		case ok:
			timer, stop = q.clock.NewTimer(d)
		}
		select {
		case <-q.ctx.Done():
			stop()
			return
		case <-q.changed:
		case <-timer:
		}
		stop()
	}
}

// work is one AutoRun worker: it delivers due items one after another,
// keeping its session with an MX open while more mail for that domain
// comes (cache.go), and wakes another worker when more items are due.
func (q *Queue) work() {
	defer q.wg.Done()
	var cache sessionCache
	defer cache.close()
	for {
		e, more := q.claim(nil, cache.domain())
		if more {
			q.poke()
		}
		if e != nil {
			q.attempt(q.ctx, e, &cache)
			q.release(e)
			q.touch() // a deferred item has a new retry time
			if q.ctx.Err() != nil {
				return
			}
			continue
		}
		var idle <-chan time.Time
		var t *time.Timer
		if cache.open() {
			t = time.NewTimer(cacheIdle)
			idle = t.C
		}
		select {
		case <-q.ctx.Done():
		case <-q.wake:
		case <-idle:
			cache.close()
		}
		if t != nil {
			t.Stop()
		}
		if q.ctx.Err() != nil {
			return
		}
	}
}

// RetryNow makes every deferred item due at once, as Postfix's
// "postqueue -f" does after an administrator fixed what held the mail;
// the next Flush (or the background worker) attempts them.
func (q *Queue) RetryNow() {
	now := q.clock.Now()
	q.mu.Lock()
	var changed []Item
	for _, e := range q.entries[q.done:] {
		if e.item.State == StateDeferred && !e.inFlight && e.item.NextRetry.After(now) {
			e.item.NextRetry = now
			changed = append(changed, e.item.clone())
		}
	}
	q.mu.Unlock()
	for _, it := range changed {
		q.notify(it)
	}
	q.poke()
}
