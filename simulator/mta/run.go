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
	for e := q.nextDue(tried); e != nil; e = q.nextDue(tried) {
		tried[e] = true
		q.attempt(ctx, e)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// nextDue returns the oldest due item not yet tried.
func (q *Queue) nextDue(tried map[*entry]bool) *entry {
	now := q.clock.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, e := range q.entries {
		if !tried[e] && due(e.item, now) {
			return e
		}
	}
	return nil
}

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
	for _, e := range q.entries {
		if e.item.State != StateDeferred {
			continue
		}
		if wait := e.item.NextRetry.Sub(now); !found || wait < d {
			d, found = wait, true
		}
	}
	return d, found
}

// run is the AutoRun worker: flush, then sleep until an item arrives or a
// retry falls due.
func (q *Queue) run() {
	defer q.wg.Done()
	for {
		q.Flush(q.ctx)
		var timer <-chan time.Time
		stop := func() {}
		if d, ok := q.nextWake(); ok {
			timer, stop = q.clock.NewTimer(d)
		}
		select {
		case <-q.ctx.Done():
			stop()
			return
		case <-q.wake:
		case <-timer:
		}
		stop()
	}
}
