package mta

import (
	"sync"
	"time"
)

// Clock is the queue's time source: scenarios and tests compress retry
// intervals with a FakeClock instead of waiting minutes.
type Clock interface {
	Now() time.Time
	// NewTimer returns a channel that receives once d has passed, and a
	// function that stops the timer.
	NewTimer(d time.Duration) (<-chan time.Time, func())
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTimer(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

// FakeClock stands still until Advance moves it.
type FakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers map[*fakeTimer]struct{}
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

// NewFakeClock starts at t.
func NewFakeClock(t time.Time) *FakeClock {
	return &FakeClock{now: t, timers: map[*fakeTimer]struct{}{}}
}

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer fires when Advance reaches now+d (at once for d <= 0).
func (c *FakeClock) NewTimer(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now
		return t.ch, func() {}
	}
	c.timers[t] = struct{}{}
	return t.ch, func() { c.stop(t) }
}

func (c *FakeClock) stop(t *fakeTimer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.timers, t)
}

// Advance moves the clock forward and fires the timers that are due.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for t := range c.timers {
		if !t.at.After(c.now) {
			t.ch <- c.now
			delete(c.timers, t)
		}
	}
}

// RealClock is the real clock that time can be made to jump forward on:
// Now is the wall clock plus what Advance added, and a timer fires when
// either real time or an Advance reaches it. A live world runs on one, so
// a retry an hour away, a greylisting delay or "delete after 14 days" can
// be shown without waiting.
type RealClock struct {
	mu     sync.Mutex
	offset time.Duration
	timers map[*realTimer]struct{}
}

type realTimer struct {
	at   time.Time
	ch   chan time.Time
	stop func() bool
	once sync.Once
}

// NewRealClock is the wall clock, not yet advanced.
func NewRealClock() *RealClock { return &RealClock{timers: map[*realTimer]struct{}{}} }

// Now is the wall clock plus every Advance so far.
func (c *RealClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// NewTimer fires after d of real time, or earlier when Advance reaches it.
func (c *RealClock) NewTimer(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &realTimer{at: time.Now().Add(c.offset + d), ch: make(chan time.Time, 1)}
	c.timers[t] = struct{}{}
	rt := time.AfterFunc(d, func() { c.fire(t) })
	t.stop = rt.Stop
	return t.ch, func() {
		rt.Stop()
		c.mu.Lock()
		delete(c.timers, t)
		c.mu.Unlock()
	}
}

func (c *RealClock) fire(t *realTimer) {
	c.mu.Lock()
	delete(c.timers, t)
	now := time.Now().Add(c.offset)
	c.mu.Unlock()
	t.once.Do(func() { t.ch <- now })
}

// Advance moves the clock forward by d and fires the timers now due.
func (c *RealClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	c.offset += d
	now := time.Now().Add(c.offset)
	var due []*realTimer
	for t := range c.timers {
		if !t.at.After(now) {
			due = append(due, t)
			delete(c.timers, t)
		}
	}
	c.mu.Unlock()
	for _, t := range due {
		t.stop()
		t.once.Do(func() { t.ch <- now })
	}
}
