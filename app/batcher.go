package app

import (
	"sync"
	"time"
)

// batcher collects logged events and publishes them in batches, so a run
// at full speed does not flood the UI: at most every interval, or sooner
// when maxItems are waiting. The first event after a quiet interval goes
// out at once, so a single Step shows without waiting for the next tick.
// No batch holds more than maxItems: what piled up while the loop was late
// goes out in several, so a browser parses each in a short task between
// two frames instead of one long one.
type batcher struct {
	hub      *Hub
	interval time.Duration
	maxItems int

	mu      sync.Mutex
	pending []Line
	// size is how many lines the last batch had (at most maxItems): the
	// next one starts with room for as many. Growing the slice line by
	// line copied a flood's lines (a few hundred bytes each) twice over.
	size int
	last time.Time // of the last publish
	kick chan struct{}
	stop chan struct{}
	done chan struct{}
}

func newBatcher(hub *Hub, interval time.Duration, maxItems int) *batcher {
	b := &batcher{hub: hub, interval: interval, maxItems: maxItems,
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go b.loop()
	return b
}

// add is called under the conductor's lock: it only appends.
// EventLines carries []Line.
func (b *batcher) add(ev Line) {
	b.mu.Lock()
	if b.pending == nil {
		b.pending = make([]Line, 0, max(1, b.size))
	}
	b.pending = append(b.pending, ev)
	kick := len(b.pending) >= b.maxItems || len(b.pending) == 1 && time.Since(b.last) >= b.interval
	b.mu.Unlock()
	if kick {
		select {
		case b.kick <- struct{}{}:
		default:
		}
	}
}

func (b *batcher) loop() {
	defer close(b.done)
	t := time.NewTicker(b.interval)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			b.flush()
			return
		case <-t.C:
		case <-b.kick:
		}
		b.flush()
	}
}

func (b *batcher) flush() {
	b.mu.Lock()
	batch := b.pending
	b.pending = nil
	if len(batch) > 0 {
		b.last = time.Now()
		b.size = min(len(batch), max(1, b.maxItems))
	}
	b.mu.Unlock()
	for len(batch) > 0 {
		n := min(len(batch), max(1, b.maxItems))
		b.hub.Publish(EventLines, batch[:n:n])
		batch = batch[n:]
	}
}

// close publishes what is left and stops the loop.
func (b *batcher) close() {
	close(b.stop)
	<-b.done
}
