package conductor

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/event"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newConductor returns a conductor closed at the end of the test.
func newConductor(t *testing.T, mode Mode, interval time.Duration) *Conductor {
	t.Helper()
	c := New(mode, interval)
	t.Cleanup(c.Close)
	return c
}

// gateAsync gates a line event with text in a goroutine; the error arrives
// on the returned channel.
func gateAsync(ctx context.Context, c *Conductor, text string) <-chan error {
	done := make(chan error, 1)
	go func() { done <- c.Gate(ctx, lineEvent(text)) }()
	return done
}

func lineEvent(text string) *event.Event {
	return &event.Event{Kind: event.KindLine, Dir: event.ClientToServer, Text: text}
}

// gateInOrder gates texts one after another, each only once the previous
// one waits, so the FIFO order is known.
func gateInOrder(t *testing.T, c *Conductor, texts ...string) []<-chan error {
	t.Helper()
	var out []<-chan error
	for i, text := range texts {
		out = append(out, gateAsync(context.Background(), c, text))
		waitWaiting(t, c, i+1)
	}
	return out
}

// waitWaiting waits until exactly n lines wait.
func waitWaiting(t *testing.T, c *Conductor, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return len(c.Waiting()) == n }, 5*time.Second, time.Millisecond,
		"waiting lines never reached %d", n)
}

func texts(evs []event.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Text)
	}
	return out
}

func recv(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("Gate did not return")
		return nil
	}
}

// fakeClock is a settable now() for HeldClock tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}
