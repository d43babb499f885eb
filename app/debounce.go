package app

import (
	"sync"
	"time"
)

// debouncer calls fn at most once per interval after a burst of triggers.
type debouncer struct {
	mu       sync.Mutex
	interval time.Duration
	fn       func()
	timer    *time.Timer
	stopped  bool
}

func newDebouncer(interval time.Duration, fn func()) *debouncer {
	return &debouncer{interval: interval, fn: fn}
}

func (d *debouncer) trigger() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped || d.timer != nil {
		return
	}
	d.timer = time.AfterFunc(d.interval, d.fire)
}

func (d *debouncer) fire() {
	d.mu.Lock()
	d.timer = nil
	stopped := d.stopped
	d.mu.Unlock()
	if !stopped {
		d.fn()
	}
}

// stop cancels a pending call; triggers after stop do nothing.
func (d *debouncer) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stopped = true
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
}
