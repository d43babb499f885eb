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
