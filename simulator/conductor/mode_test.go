package conductor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

func TestStepReleasesOldestFirst(t *testing.T) {
	c := newConductor(t, Step, 0)
	assert.False(t, c.Step(), "Step() with nothing waiting")
	done := gateInOrder(t, c, "EHLO a", "MAIL FROM:<a>", "RCPT TO:<b>")
	assert.Equal(t, []string{"EHLO a", "MAIL FROM:<a>", "RCPT TO:<b>"}, texts(c.Waiting()))
	assert.Zero(t, c.Len(), "nothing is logged before a step")

	for i, ch := range done {
		require.True(t, c.Step(), "Step() %d", i)
		require.NoError(t, recv(t, ch), "Gate() %d", i)
		assert.Len(t, c.Log(), i+1, "one line per step")
		assert.Len(t, c.Waiting(), len(done)-i-1)
	}
	log := c.Log()
	assert.Equal(t, []string{"EHLO a", "MAIL FROM:<a>", "RCPT TO:<b>"}, texts(log))
	for i, e := range log {
		assert.Equal(t, uint64(i+1), e.Seq)
		assert.False(t, e.Time.IsZero(), "released events carry a time")
	}
	assert.False(t, c.Step())
}

func TestWaitingReturnsCopies(t *testing.T) {
	c := newConductor(t, Step, 0)
	done := gateInOrder(t, c, "NOOP")
	w := c.Waiting()
	w[0].Text = "changed"
	assert.Equal(t, "NOOP", c.Waiting()[0].Text)
	c.Step()
	require.NoError(t, recv(t, done[0]))
}

func TestInstantDoesNotWait(t *testing.T) {
	c := newConductor(t, Instant, 0)
	ev := lineEvent("QUIT")
	require.NoError(t, c.Gate(context.Background(), ev))
	assert.Equal(t, uint64(1), ev.Seq, "Gate() assigns Seq to the caller's event")
	assert.Empty(t, c.Waiting())
	assert.Equal(t, []string{"QUIT"}, texts(c.Log()))
}

func TestPlayReleasesEverything(t *testing.T) {
	c := newConductor(t, Play, 10*time.Millisecond)
	mode, interval := c.Mode()
	assert.Equal(t, Play, mode)
	assert.Equal(t, 10*time.Millisecond, interval)
	var done []<-chan error
	for _, text := range []string{"a", "b", "c", "d", "e"} {
		done = append(done, gateAsync(context.Background(), c, text))
	}
	for i, ch := range done {
		require.NoError(t, recv(t, ch), "Gate() %d", i)
	}
	assert.ElementsMatch(t, []string{"a", "b", "c", "d", "e"}, texts(c.Log()))
	assert.Empty(t, c.Waiting())
}

func TestModeSwitching(t *testing.T) {
	tests := []struct {
		name   string
		from   Mode
		to     Mode
		steps  bool // the test has to step after switching
		logged int  // lines logged right after the switch
	}{
		{name: "step to instant releases all", from: Step, to: Instant, logged: 3},
		{name: "step to play releases all", from: Step, to: Play},
		{name: "play (slow) to step waits for steps", from: Play, to: Step, steps: true},
		{name: "play (slow) to instant releases all", from: Play, to: Instant, logged: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newConductor(t, tc.from, time.Hour)
			done := gateInOrder(t, c, "one", "two", "three")
			c.SetMode(tc.to, 10*time.Millisecond)
			if tc.logged > 0 {
				assert.Len(t, c.Log(), tc.logged, "released synchronously by SetMode()")
				assert.Empty(t, c.Waiting())
			}
			if tc.steps {
				assert.Len(t, c.Waiting(), 3, "nothing released without a step")
				for c.Step() {
				}
			}
			for i, ch := range done {
				require.NoError(t, recv(t, ch), "Gate() %d", i)
			}
			assert.Equal(t, []string{"one", "two", "three"}, texts(c.Log()), "FIFO order survives a switch")
			mode, interval := c.Mode()
			assert.Equal(t, tc.to, mode)
			assert.Equal(t, 10*time.Millisecond, interval)
		})
	}
}

func TestSetModeKeepsIntervalWhenZero(t *testing.T) {
	c := newConductor(t, Play, 0)
	_, interval := c.Mode()
	assert.Equal(t, 500*time.Millisecond, interval, "default play interval")
	c.SetMode(Step, 0)
	_, interval = c.Mode()
	assert.Equal(t, 500*time.Millisecond, interval)
}

func TestSubscribeSeesSeqOrder(t *testing.T) {
	c := newConductor(t, Play, time.Millisecond)
	var seen []uint64 // appended under the conductor's lock
	cancel := c.Subscribe(func(e event.Event) { seen = append(seen, e.Seq) })
	var done []<-chan error
	for range 10 {
		done = append(done, gateAsync(context.Background(), c, "x"))
	}
	c.Emit(&event.Event{Kind: event.KindState})
	for _, ch := range done {
		require.NoError(t, recv(t, ch))
	}
	cancel()
	c.Emit(&event.Event{Kind: event.KindState})
	got := append([]uint64(nil), seen...)
	require.Len(t, got, 11, "no calls after cancel")
	for i, seq := range got {
		assert.Equal(t, uint64(i+1), seq)
	}
	assert.Equal(t, 12, c.Len())
}

func TestEmitIsNotHeld(t *testing.T) {
	c := newConductor(t, Step, 0)
	done := gateInOrder(t, c, "held")
	c.Emit(&event.Event{Kind: event.KindOpen})
	log := c.Log()
	require.Len(t, log, 1)
	assert.Equal(t, event.KindOpen, log[0].Kind)
	c.Step()
	require.NoError(t, recv(t, done[0]))
	assert.Equal(t, uint64(2), c.Log()[1].Seq, "Seq is assigned at release")
}

func TestNextConnIDIsUnique(t *testing.T) {
	c := newConductor(t, Instant, 0)
	assert.Equal(t, uint64(1), c.NextConnID())
	assert.Equal(t, uint64(2), c.NextConnID())
}
