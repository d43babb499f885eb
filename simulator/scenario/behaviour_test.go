package scenario

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
	"maillab/simulator/event"
	"maillab/simulator/world"
)

// What each lesson is about must really happen, not only be printed.
func TestScenarioOutcomes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	t.Run("send-pop3: downloaded and gone from the server", func(t *testing.T) {
		r, err := RunInstant(ctx, "send-pop3", world.Options{})
		require.NoError(t, err)
		defer r.Close()
		assert.Len(t, r.World.Device("bob-laptop").Messages(), 1)
		inbox, err := r.World.Provider("example.net").Store.Messages("bob@example.net", "INBOX")
		require.NoError(t, err)
		assert.Empty(t, inbox, "POP3 DELE + QUIT removed it")
	})
	t.Run("pop3-two-devices: the phone finds nothing, then both get the copy", func(t *testing.T) {
		r, err := RunInstant(ctx, "pop3-two-devices", world.Options{})
		require.NoError(t, err)
		defer r.Close()
		assert.Len(t, r.World.Device("bob-laptop").Messages(), 2)
		assert.Len(t, r.World.Device("bob-phone").Messages(), 1, "only the copy left on the server")
		inbox, _ := r.World.Provider("example.net").Store.Messages("bob@example.net", "INBOX")
		assert.Len(t, inbox, 1, "the second mail stays on the server")
	})
	t.Run("send-imap: the phone sees \\Seen set on the laptop", func(t *testing.T) {
		r, err := RunInstant(ctx, "send-imap", world.Options{})
		require.NoError(t, err)
		defer r.Close()
		phone := r.World.Device("bob-phone").Messages()
		require.Len(t, phone, 1)
		assert.True(t, phone[0].Seen, "phone mirrors the flag")
		inbox, _ := r.World.Provider("example.net").Store.Messages("bob@example.net", "INBOX")
		require.Len(t, inbox, 1, "IMAP keeps the mail on the server")
		assert.Contains(t, inbox[0].Flags, `\Seen`)
	})
}

// Step mode: every Step releases exactly one gated event, the run reaches
// its end by stepping alone, and nothing deadlocks.
func TestStepThroughEveryScenario(t *testing.T) {
	for _, sc := range All() {
		t.Run(sc.ID, func(t *testing.T) {
			r, err := Start(sc.ID, world.Options{Mode: conductor.Step})
			require.NoError(t, err)
			defer r.Close()
			steps := stepToEnd(t, r)
			assert.Equal(t, steps, countGated(r.World.Conductor.Log()), "one gated event per step")
			require.NoError(t, r.Err())
		})
	}
}

func stepToEnd(t *testing.T, r *Run) int {
	t.Helper()
	c := r.World.Conductor
	deadline := time.Now().Add(time.Minute)
	steps := 0
	for {
		select {
		case <-r.Done():
			return steps
		default:
		}
		require.True(t, time.Now().Before(deadline), "scenario stuck after %d steps", steps)
		before := countGated(c.Log())
		if c.Step() {
			steps++
			assert.Equal(t, before+1, countGated(c.Log()))
			continue
		}
		time.Sleep(time.Millisecond) // the agents are working on the last line
	}
}

func countGated(log []event.Event) int {
	n := 0
	for i := range log {
		if log[i].Gated() {
			n++
		}
	}
	return n
}

// Reset in the middle of a run tears everything down (goleak checks the
// goroutines in TestMain) and the same scenario starts again cleanly.
func TestResetMidRunAndRestart(t *testing.T) {
	for _, after := range []int{0, 1, 7, 40} {
		r, err := Start("send-imap", world.Options{Mode: conductor.Step})
		require.NoError(t, err)
		for i := 0; i < after; i++ {
			waitStep(t, r.World.Conductor)
		}
		require.NoError(t, r.Close())
		select {
		case <-r.Done():
		default:
			t.Fatal("script still running after Close")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := RunInstant(ctx, "send-imap", world.Options{})
	require.NoError(t, err)
	require.NoError(t, r.Close())
}

func waitStep(t *testing.T, c *conductor.Conductor) {
	t.Helper()
	require.Eventually(t, c.Step, 10*time.Second, time.Millisecond)
}

// Switching modes mid-run: step a few lines, play, then instant.
func TestModeSwitchesMidRun(t *testing.T) {
	r, err := Start("tls", world.Options{Mode: conductor.Step})
	require.NoError(t, err)
	defer r.Close()
	c := r.World.Conductor
	for i := 0; i < 5; i++ {
		waitStep(t, c)
	}
	c.SetMode(conductor.Play, time.Millisecond)
	require.Eventually(t, func() bool { return countGated(c.Log()) > 30 }, 20*time.Second, time.Millisecond)
	c.SetMode(conductor.Instant, 0)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, r.Wait(ctx))
}

// A paused line must not time the connection out: hold a line for longer
// than it takes nothing, then finish. (Deadline logic itself is covered in
// wire; this checks the agents keep going after a pause.)
func TestPauseThenResume(t *testing.T) {
	r, err := Start("send-pop3", world.Options{Mode: conductor.Step})
	require.NoError(t, err)
	defer r.Close()
	c := r.World.Conductor
	for i := 0; i < 10; i++ {
		waitStep(t, c)
	}
	time.Sleep(300 * time.Millisecond)
	c.SetMode(conductor.Instant, 0)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, r.Wait(ctx))
	assert.Len(t, r.World.Device("bob-laptop").Messages(), 1)
}
