// Package conductor holds the traffic of a run one line at a time. Every
// gated event waits in a FIFO until it is released by a step, by the play
// clock or at once in instant mode; releasing assigns the sequence number, so
// the log is exactly the order a viewer saw.
package conductor

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"maillab/simulator/event"
)

// Mode selects how waiting lines are released.
type Mode string

const (
	Step    Mode = "step"    // a line waits until Step is called
	Play    Mode = "play"    // lines are released one per interval
	Instant Mode = "instant" // nothing waits
)

// ErrClosed is returned by Gate once the conductor is closed (a reset).
var ErrClosed = errors.New("conductor: run was reset")

type pending struct {
	ev       *event.Event
	done     chan struct{}
	released bool // logged; set under the conductor's lock
}

// Conductor is safe for concurrent use.
type Conductor struct {
	mu       sync.Mutex
	mode     Mode
	interval time.Duration
	waiting  []*pending
	log      eventLog              // the kept events: the oldest has Seq dropped.Events+1
	chunks   blockLog[event.Chunk] // the bytes that crossed the sockets, for captures
	seq      uint64

	// What is kept and what was dropped (limits.go).
	limits  Limits
	size    int64 // estimated bytes of log and chunks
	dropped Dropped
	// droppedEvents mirrors dropped.Events for readers that may not take
	// the lock: a subscriber runs under it (see Subscribe).
	droppedEvents atomic.Uint64
	lastWire      *byte            // the TLS record of the last logged event
	chunkBase     int              // chunks dropped from the front so far
	connBytes     map[uint64]int64 // recorded chunk bytes per connection
	connFrom      map[uint64]int   // per connection, the index (plus chunkBase) of its oldest chunk with bytes
	connID        uint64
	closed        bool
	subs          []subscriber // in the order they subscribed
	nextSub       int
	now           func() time.Time

	heldTotal time.Duration // accumulated time during which a line waited
	heldSince time.Time     // zero when nothing waits

	kick   chan struct{} // wakes the player
	stop   chan struct{}
	player sync.WaitGroup
}

// New returns a conductor in the given mode; interval is the play speed.
func New(mode Mode, interval time.Duration) *Conductor {
	if interval <= 0 {
		interval = 500 * time.Millisecond
	}
	c := &Conductor{mode: mode, interval: interval, limits: Limits{}.withDefaults(),
		now: time.Now, kick: make(chan struct{}, 1), stop: make(chan struct{})}
	c.player.Add(1)
	go c.play()
	return c
}

// Passing reports whether Gate would release a line at once: instant
// mode with nothing held (wire.PassingSink).
func (c *Conductor) Passing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode == Instant && len(c.waiting) == 0 && !c.closed
}

// Mode returns the current mode and play interval.
func (c *Conductor) Mode() (Mode, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode, c.interval
}

// SetMode switches mode at any point; switching to instant releases all
// waiting lines in order.
func (c *Conductor) SetMode(m Mode, interval time.Duration) {
	c.mu.Lock()
	c.mode = m
	if interval > 0 {
		c.interval = interval
	}
	if m == Instant {
		for len(c.waiting) > 0 {
			c.releaseLocked()
		}
	}
	c.mu.Unlock()
	c.wake()
}

// NextConnID hands out connection ids for the wire tap.
func (c *Conductor) NextConnID() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.connID++
	return c.connID
}

// Gate records a gated event, blocking until it is released. It returns
// ErrClosed after a reset and ctx.Err() if ctx ends first; in both cases the
// event is not logged.
func (c *Conductor) Gate(ctx context.Context, ev *event.Event) error {
	if err := ctx.Err(); err != nil {
		return err // a closed connection's line must not reach the log
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	if c.mode == Instant && len(c.waiting) == 0 {
		c.commitLocked(ev)
		c.mu.Unlock()
		return nil
	}
	p := &pending{ev: ev, done: make(chan struct{})}
	if len(c.waiting) == 0 {
		c.heldSince = c.now()
	}
	c.waiting = append(c.waiting, p)
	c.mu.Unlock()
	c.wake()
	return c.wait(ctx, p)
}

func (c *Conductor) wait(ctx context.Context, p *pending) error {
	select {
	case <-p.done:
		return c.closedErr(p)
	case <-ctx.Done():
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.removeLocked(p) {
			return ctx.Err()
		}
		if !p.released {
			return ErrClosed // dropped by a reset while we were cancelled
		}
		return nil // released while we were cancelled: it is in the log
	}
}

func (c *Conductor) closedErr(p *pending) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !p.released {
		return ErrClosed
	}
	return nil
}

func (c *Conductor) removeLocked(p *pending) bool {
	for i, w := range c.waiting {
		if w == p {
			c.waiting = append(c.waiting[:i], c.waiting[i+1:]...)
			c.noteHeldLocked()
			return true
		}
	}
	return false
}

// Emit logs an ungated event (state changes, connection open and close).
func (c *Conductor) Emit(ev *event.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.commitLocked(ev)
	}
}

// Step releases the oldest waiting line. It reports whether there was one.
func (c *Conductor) Step() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.waiting) == 0 {
		return false
	}
	c.releaseLocked()
	return true
}

// Waiting returns copies of the lines that wait, oldest first.
func (c *Conductor) Waiting() []event.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]event.Event, len(c.waiting))
	for i, p := range c.waiting {
		out[i] = *p.ev
	}
	return out
}

// Log returns a copy of the events released so far and still kept (see
// Limits: the oldest go when a run outgrows its budget).
func (c *Conductor) Log() []event.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.log.events(0, c.log.len())
}

// Record keeps a run of bytes a tapped socket passed (wire.Recorder). It
// is not an event: it is neither gated nor numbered nor shown to
// subscribers, so transcripts and goldens do not change.
func (c *Conductor) Record(ch event.Chunk) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	ch.Seq = c.seq
	ch.Time = c.now()
	c.recordLocked(ch)
}

// Chunks returns a copy of the recorded bytes so far, in the order they
// crossed the sockets. The byte slices are shared and must not be changed.
func (c *Conductor) Chunks() []event.Chunk {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chunks.copyOut(0, c.chunks.len())
}

// Len returns the number of logged events, kept or dropped: the last seq.
func (c *Conductor) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return int(c.seq)
}

// Subscribe calls fn for every logged event, in order. fn runs under the
// conductor's lock and must not block or call back into the conductor.
func (c *Conductor) Subscribe(fn func(event.Event)) (cancel func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.nextSub
	c.nextSub++
	c.subs = append(c.subs, subscriber{id: id, fn: fn})
	return func() {
		c.mu.Lock()
		c.subs = slices.DeleteFunc(c.subs, func(s subscriber) bool { return s.id == id })
		c.mu.Unlock()
	}
}

// subscriber is one Subscribe's function. A slice, not a map: every event
// goes to each, and ranging over a map cost more than the call (about two
// per cent of a message body's time in the tap).
type subscriber struct {
	id int
	fn func(event.Event)
}

// HeldClock is a monotonic count of the time during which some line waited.
// Connections extend their deadlines by what it grew, so a paused run never
// times a connection out.
func (c *Conductor) HeldClock() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.heldTotal
	if !c.heldSince.IsZero() {
		d += c.now().Sub(c.heldSince)
	}
	return d
}

// Close releases every waiter with ErrClosed and stops the player.
func (c *Conductor) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	for _, p := range c.waiting {
		close(p.done)
	}
	c.waiting = nil
	c.noteHeldLocked()
	c.mu.Unlock()
	close(c.stop)
	c.player.Wait()
}

func (c *Conductor) releaseLocked() {
	p := c.waiting[0]
	c.waiting = c.waiting[1:]
	c.noteHeldLocked()
	c.commitLocked(p.ev)
	p.released = true
	close(p.done)
}

func (c *Conductor) noteHeldLocked() {
	if len(c.waiting) == 0 && !c.heldSince.IsZero() {
		c.heldTotal += c.now().Sub(c.heldSince)
		c.heldSince = time.Time{}
	}
}

func (c *Conductor) commitLocked(ev *event.Event) {
	c.seq++
	ev.Seq = c.seq
	ev.Time = c.now()
	c.noteEventLocked(ev)
	for _, s := range c.subs {
		s.fn(*ev)
	}
}

func (c *Conductor) wake() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// play releases one waiting line per interval while in play mode. A kick
// that arrives during an interval is consumed on the next turn of the loop.
func (c *Conductor) play() {
	defer c.player.Done()
	for {
		if !c.stillPlaying() {
			select {
			case <-c.stop:
				return
			case <-c.kick:
				continue
			}
		}
		_, interval := c.Mode()
		t := time.NewTimer(interval)
		select {
		case <-c.stop:
			t.Stop()
			return
		case <-t.C:
			c.stepIfPlaying()
		}
	}
}

func (c *Conductor) stillPlaying() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode == Play && len(c.waiting) > 0
}

func (c *Conductor) stepIfPlaying() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mode == Play && len(c.waiting) > 0 {
		c.releaseLocked()
	}
}
