package conductor

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

func TestConcurrentGatesInPlay(t *testing.T) {
	const workers, each = 20, 5
	c := newConductor(t, Play, time.Millisecond)
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				ev := &event.Event{Kind: event.KindLine, Text: fmt.Sprintf("%d/%d", w, i)}
				errs <- c.Gate(context.Background(), ev)
				c.Emit(&event.Event{Kind: event.KindState})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	log := c.Log()
	require.Len(t, log, 2*workers*each)
	seen := map[string]bool{}
	for i, e := range log {
		assert.Equal(t, uint64(i+1), e.Seq, "seqs contiguous and in log order")
		if e.Kind == event.KindLine {
			assert.False(t, seen[e.Text], "line %s logged twice", e.Text)
			seen[e.Text] = true
		}
	}
	assert.Len(t, seen, workers*each)
	assert.Empty(t, c.Waiting())
}
