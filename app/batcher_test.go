//go:build !(js && wasm)

package app

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

// A Step releases one line: it must not wait for the next tick. What
// follows it closely is batched as before.
func TestBatcherSendsALoneLineAtOnce(t *testing.T) {
	hub := NewHub()
	var mu sync.Mutex
	var batches [][]Line
	hub.Subscribe(func(m Message) {
		mu.Lock()
		defer mu.Unlock()
		batches = append(batches, m.Data.([]Line))
	})
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(batches)
	}
	b := newBatcher(hub, time.Hour, 500)
	b.add(Line{Event: event.Event{Seq: 1}})
	require.Eventually(t, func() bool { return count() == 1 }, 5*time.Second, time.Millisecond, "the lone line went out")

	b.add(Line{Event: event.Event{Seq: 2}})
	b.add(Line{Event: event.Event{Seq: 3}})
	time.Sleep(50 * time.Millisecond)
	assert.Equal(t, 1, count(), "lines right after a publish wait for the tick")
	b.close()
	require.Equal(t, 2, count())
	assert.Len(t, batches[1], 2, "and then go out together")
}

// What piles up while the loop is late goes out in batches of at most
// maxItems, in order, nothing lost.
func TestBatcherSplitsWhatPiledUp(t *testing.T) {
	hub := NewHub()
	var mu sync.Mutex
	var batches [][]Line
	hub.Subscribe(func(m Message) {
		mu.Lock()
		defer mu.Unlock()
		batches = append(batches, m.Data.([]Line))
	})
	b := newBatcher(hub, time.Hour, 4)
	// Filled under the batcher's lock, as if its loop were late: 11 lines wait at once.
	b.mu.Lock()
	for i := 1; i <= 11; i++ {
		b.addLocked(Line{Event: event.Event{Seq: uint64(i)}})
	}
	b.mu.Unlock()
	b.close()
	mu.Lock()
	defer mu.Unlock()
	var sizes []int
	var seqs []uint64
	for _, batch := range batches {
		sizes = append(sizes, len(batch))
		for _, l := range batch {
			seqs = append(seqs, l.Seq)
		}
	}
	assert.Equal(t, []int{4, 4, 3}, sizes)
	assert.Equal(t, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, seqs)
}
