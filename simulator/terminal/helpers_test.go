package terminal

import (
	"context"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/event"
	"maillab/simulator/world"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func startWorld(t *testing.T, opts world.Options) *world.World {
	t.Helper()
	w, err := world.Start(opts)
	require.NoError(t, err, "world.Start()")
	t.Cleanup(func() { w.Close() })
	return w
}

// tape records a session's entries and lets a test wait for the next one
// that matches, in order.
type tape struct {
	mu      sync.Mutex
	entries []Entry
	next    int
	changed chan struct{}
}

func newTape() *tape { return &tape{changed: make(chan struct{}, 1)} }

func (tp *tape) add(e Entry) {
	tp.mu.Lock()
	tp.entries = append(tp.entries, e)
	tp.mu.Unlock()
	select {
	case tp.changed <- struct{}{}:
	default:
	}
}

func (tp *tape) all() []Entry {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return append([]Entry(nil), tp.entries...)
}

// await returns the next entry (after the last one awaited) of kind whose
// text starts with prefix.
func (tp *tape) await(t *testing.T, kind, prefix string) Entry {
	t.Helper()
	timeout := time.NewTimer(30 * time.Second)
	defer timeout.Stop()
	for {
		tp.mu.Lock()
		for i := tp.next; i < len(tp.entries); i++ {
			if e := tp.entries[i]; e.Kind == kind && strings.HasPrefix(e.Text, prefix) {
				tp.next = i + 1
				tp.mu.Unlock()
				return e
			}
		}
		tp.mu.Unlock()
		select {
		case <-tp.changed:
		case <-timeout.C:
			t.Fatalf("no %s entry %q; got %+v", kind, prefix, tp.all())
		}
	}
}

// open starts a session closed before the world.
func open(t *testing.T, w *world.World, host string, port int) (*Session, *tape) {
	t.Helper()
	tp := newTape()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, w, host, port, tp.add)
	require.NoError(t, err, "Open(%s, %d)", host, port)
	t.Cleanup(func() { s.Close() })
	return s, tp
}

// say sends line and waits for a received line starting with want.
func say(t *testing.T, s *Session, tp *tape, line, want string) Entry {
	t.Helper()
	require.NoError(t, s.Send(line), "Send(%q)", line)
	return tp.await(t, KindReceived, want)
}

// tapped returns what the servers' tap logged of the session's connection.
func tapped(w *world.World, s *Session) []event.Event {
	var out []event.Event
	for _, ev := range w.Conductor.Log() {
		if ev.ClientAddr == s.LocalAddr {
			out = append(out, ev)
		}
	}
	return out
}

func lines(evs []event.Event, dir event.Dir) []event.Event {
	var out []event.Event
	for _, ev := range evs {
		if ev.Kind == event.KindLine && ev.Dir == dir {
			out = append(out, ev)
		}
	}
	return out
}

func texts[T any](xs []T, text func(T) string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, text(x))
	}
	return out
}

func entryTexts(es []Entry, kind string) []string {
	var keep []Entry
	for _, e := range es {
		if e.Kind == kind {
			keep = append(keep, e)
		}
	}
	return texts(keep, func(e Entry) string { return e.Text })
}

func eventTexts(evs []event.Event) []string {
	return texts(evs, func(ev event.Event) string { return ev.Text })
}

func plain(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass))
}
