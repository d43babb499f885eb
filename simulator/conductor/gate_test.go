package conductor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

func TestGateCancelled(t *testing.T) {
	for _, mode := range []Mode{Step, Play, Instant} {
		t.Run("already cancelled/"+string(mode), func(t *testing.T) {
			c := newConductor(t, mode, 0)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := c.Gate(ctx, lineEvent("late"))
			assert.ErrorIs(t, err, context.Canceled)
			assert.Zero(t, c.Len(), "a cancelled line is not logged")
			assert.Empty(t, c.Waiting())
		})
	}
	t.Run("cancelled while waiting", func(t *testing.T) {
		c := newConductor(t, Step, 0)
		ctx, cancel := context.WithCancel(context.Background())
		first := gateInOrder(t, c, "stays")
		done := gateAsync(ctx, c, "leaves")
		waitWaiting(t, c, 2)
		cancel()
		assert.ErrorIs(t, recv(t, done), context.Canceled)
		assert.Equal(t, []string{"stays"}, texts(c.Waiting()))
		require.True(t, c.Step())
		require.NoError(t, recv(t, first[0]))
		assert.Equal(t, []string{"stays"}, texts(c.Log()))
		assert.False(t, c.Step(), "the cancelled line is gone")
	})
}

func TestCloseWakesWaiters(t *testing.T) {
	c := New(Step, 0)
	done := gateInOrder(t, c, "a", "b", "c")
	c.Close()
	for i, ch := range done {
		assert.ErrorIs(t, recv(t, ch), ErrClosed, "Gate() %d", i)
	}
	assert.Zero(t, c.Len(), "nothing released by a reset")
	assert.Empty(t, c.Waiting())
	assert.ErrorIs(t, c.Gate(context.Background(), lineEvent("after")), ErrClosed)
	c.Emit(&event.Event{Kind: event.KindState})
	assert.Zero(t, c.Len(), "Emit after Close is dropped")
	assert.False(t, c.Step())
	c.Close() // idempotent
}

func TestCloseInEveryMode(t *testing.T) {
	for _, mode := range []Mode{Step, Play, Instant} {
		t.Run(string(mode), func(t *testing.T) {
			c := New(mode, 0)
			c.Close() // must stop the player: goleak checks it
			assert.ErrorIs(t, c.Gate(context.Background(), lineEvent("x")), ErrClosed)
		})
	}
}

// A waiter whose context ends just as a reset drops it must not report
// success: its line was never logged.
func TestCancelRacingClose(t *testing.T) {
	c := New(Step, 0)
	ev := lineEvent("dropped")
	p := &pending{ev: ev, done: make(chan struct{})} // dropped by Close, done not yet seen
	c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.Error(t, c.wait(ctx, p))
	assert.Zero(t, c.Len())
}

// An event that already carries a Seq (a re-gated copy) must still get
// ErrClosed when a reset drops it.
func TestCloseWithPresetSeq(t *testing.T) {
	c := New(Step, 0)
	ev := lineEvent("copy")
	ev.Seq = 42
	done := make(chan error, 1)
	go func() { done <- c.Gate(context.Background(), ev) }()
	waitWaiting(t, c, 1)
	c.Close()
	assert.ErrorIs(t, recv(t, done), ErrClosed)
}
