package conductor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeldClockGrowsOnlyWhileWaiting(t *testing.T) {
	c := newConductor(t, Step, 0)
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c.mu.Lock()
	c.now = clock.now
	c.mu.Unlock()

	clock.advance(time.Minute)
	assert.Zero(t, c.HeldClock(), "idle time is not held time")

	done := gateInOrder(t, c, "a", "b")
	clock.advance(3 * time.Second)
	assert.Equal(t, 3*time.Second, c.HeldClock())

	require.True(t, c.Step())
	require.NoError(t, recv(t, done[0]))
	clock.advance(2 * time.Second)
	assert.Equal(t, 5*time.Second, c.HeldClock(), "still growing: b waits")

	require.True(t, c.Step())
	require.NoError(t, recv(t, done[1]))
	clock.advance(time.Hour)
	assert.Equal(t, 5*time.Second, c.HeldClock(), "stops when nothing waits")

	ctx, cancel := context.WithCancel(context.Background())
	leaving := gateAsync(ctx, c, "c")
	waitWaiting(t, c, 1)
	clock.advance(time.Second)
	cancel()
	assert.ErrorIs(t, recv(t, leaving), context.Canceled)
	clock.advance(time.Hour)
	assert.Equal(t, 6*time.Second, c.HeldClock(), "a cancelled waiter stops the clock")

	gateInOrder(t, c, "d")
	clock.advance(time.Second)
	c.Close()
	clock.advance(time.Hour)
	assert.Equal(t, 7*time.Second, c.HeldClock(), "a reset stops the clock")
}

func TestHeldClockRealTime(t *testing.T) {
	c := newConductor(t, Step, 0)
	assert.Zero(t, c.HeldClock())
	done := gateInOrder(t, c, "a")
	first := c.HeldClock()
	require.Eventually(t, func() bool { return c.HeldClock() > first }, 5*time.Second, time.Millisecond)
	c.Step()
	require.NoError(t, recv(t, done[0]))
	stopped := c.HeldClock()
	time.Sleep(5 * time.Millisecond)
	assert.Equal(t, stopped, c.HeldClock())
}
