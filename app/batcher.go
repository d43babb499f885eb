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
	// full holds the batches of maxItems lines that piled up before
	// pending, in order: a batch never grows past maxItems, so a flood's
	// lines (a few hundred bytes each) are not copied into ever larger
	// slices while the loop is late.
	full [][]Line
	// size is what the next batch starts with room for: twice what the
	// last publish took (at most maxItems), so a flood's batches are made
	// at their size instead of growing line by line, and a step's are small.
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
	kick := b.addLocked(ev)
	b.mu.Unlock()
	if kick {
		select {
		case b.kick <- struct{}{}:
		default:
		}
	}
}

// addLocked appends ev under b.mu; it reports whether the loop should
// publish now.
func (b *batcher) addLocked(ev Line) bool {
	if b.pending == nil {
		b.pending = make([]Line, 0, max(1, b.size))
	}
	b.pending = append(b.pending, ev)
	if len(b.pending) >= max(1, b.maxItems) {
		b.full = append(b.full, b.pending)
		b.pending = nil
	}
	return len(b.full) > 0 || len(b.pending) == 1 && time.Since(b.last) >= b.interval
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
	batches := b.full
	if len(b.pending) > 0 {
		batches = append(batches, b.pending)
	}
	b.full, b.pending = nil, nil
	if len(batches) > 0 {
		b.last = time.Now()
		n := 0
		for _, batch := range batches {
			n += len(batch)
		}
		b.size = min(2*n, max(1, b.maxItems))
	}
	b.mu.Unlock()
	for _, batch := range batches {
		b.hub.Publish(EventLines, batch[:len(batch):len(batch)])
	}
}

// close publishes what is left and stops the loop.
func (b *batcher) close() {
	close(b.stop)
	<-b.done
}
