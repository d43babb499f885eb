package world

import (
	"context"
	"errors"
	"time"

	"maillab/simulator/mta"
	"maillab/simulator/worldspec"
)

// Clock is the world's time source: the queues' retry timers, greylisting,
// the Date and Received fields, when a POP3 client downloaded a message.
// Options.Clock (the retry lessons pass an *mta.FakeClock and advance it
// as a step), else an *mta.RealClock: the wall clock that PassTime moves.
func (w *World) Clock() mta.Clock { return w.opts.Clock }

// Advancer is a clock that time can be made to pass on.
type Advancer interface{ Advance(d time.Duration) }

// ErrFixedClock: the world's clock cannot be moved on.
var ErrFixedClock = errors.New("world: time cannot pass on this clock")

// PassTime lets d of the world's time pass at once, as if the world had
// waited: retries and greylisting delays fall due, mail downloaded before
// grows older. The transcript says so (state.time-passed: 30m, 1h, 14d).
// The queues then run what fell due when they run by themselves; a test
// flushes them.
func (w *World) PassTime(ctx context.Context, d time.Duration) error {
	a, ok := w.opts.Clock.(Advancer)
	if !ok {
		return ErrFixedClock
	}
	if d <= 0 {
		return nil
	}
	a.Advance(d)
	return w.Note(ctx, "", "state.time-passed", map[string]string{"duration": worldspec.Duration(d).String()})
}
