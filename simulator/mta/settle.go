package mta

import (
	"time"

	"maillab/simulator/mail"
)

// settle gives up on recipients past the retry limit, sends the DSN for
// every recipient that failed for good, and sets the item's state.
func (q *Queue) settle(e *entry) {
	now := q.clock.Now()
	if q.opts.Retry.expired(e.item.Attempts, e.item.Arrived, now, q.Lifetime()) {
		q.giveUp(e, now.Sub(e.item.Arrived) >= q.Lifetime())
	}
	q.bounce(e, now)
	q.update(e, func(it *Item) {
		it.State = summary(e)
		it.NextRetry = time.Time{}
		if it.State == StateDeferred {
			it.NextRetry = now.Add(q.opts.Retry.delay(it.Attempts))
		}
	})
}

// giveUp turns deferred recipients into failed ones; their DSN keeps the
// last 4xx status (RFC 3464 §2.3.3: Action failed, Status 4.x.x).
// expired: because of its age (the queue's lifetime), not its attempts.
func (q *Queue) giveUp(e *entry, expired bool) {
	q.update(e, func(it *Item) {
		for i := range it.To {
			if it.To[i].State == StateDeferred {
				it.To[i].State, e.dsn[i] = StateFailed, true
				it.Expired = it.Expired || expired
			}
		}
	})
}

// bounce sends one DSN for the recipients waiting for one. A bounce is never
// bounced (RFC 5321 §4.5.5): with a null sender they just stay failed. If
// handing over the DSN fails, the item stays deferred and the DSN is tried
// again on the next attempt.
func (q *Queue) bounce(e *entry, now time.Time) {
	var failed []int
	for i, need := range e.dsn {
		if need {
			failed = append(failed, i)
		}
	}
	if len(failed) == 0 {
		return
	}
	if e.item.From == "" {
		clear(e.dsn)
		return
	}
	dsn := q.buildDSN(e, failed, now)
	env := mail.Envelope{To: []string{e.item.From}, Size: len(dsn), Arrived: now}
	if err := q.sendBounce(env, dsn); err != nil {
		q.update(e, func(it *Item) { it.LastError = "cannot return the DSN: " + err.Error() })
		return
	}
	q.update(e, func(it *Item) {
		for _, i := range failed {
			it.To[i].State, e.dsn[i] = StateBounced, false
		}
	})
}

func (q *Queue) sendBounce(env mail.Envelope, dsn []byte) error {
	if q.opts.Bounce != nil {
		return q.opts.Bounce(env, dsn)
	}
	_, err := q.Enqueue(env, dsn)
	return err
}

// summary is the item's state from its recipients' states.
func summary(e *entry) State {
	var bounced, failed bool
	for i, r := range e.item.To {
		switch {
		case r.pending() || e.dsn[i]:
			return StateDeferred
		case r.State == StateBounced:
			bounced = true
		case r.State == StateFailed:
			failed = true
		}
	}
	switch {
	case bounced:
		return StateBounced
	case failed:
		return StateFailed
	}
	return StateSent
}
