package scenario

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"maillab/simulator/conductor"
	"maillab/simulator/world"
)

// Run is one execution of a scenario in its own world.
type Run struct {
	Scenario Scenario
	World    *world.World

	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	err    error
}

// ErrUnknown is returned for an id that is not registered.
var ErrUnknown = errors.New("scenario: unknown scenario")

// Start builds a fresh world and runs the scenario's script in the
// background.
func Start(id string, opts world.Options) (*Run, error) {
	sc, ok := Get(id)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknown, id)
	}
	if sc.World != nil {
		sc.World(&opts)
	}
	w, err := world.Start(opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Run{Scenario: sc, World: w, cancel: cancel, done: make(chan struct{})}
	go r.script(ctx)
	return r, nil
}

func (r *Run) script(ctx context.Context) {
	defer close(r.done)
	err := r.Scenario.Script(ctx, &Script{W: r.World})
	if errors.Is(err, conductor.ErrClosed) || errors.Is(err, context.Canceled) {
		err = nil // reset, not a failure
	}
	r.mu.Lock()
	r.err = err
	r.mu.Unlock()
	if err == nil {
		r.World.Finish()
	}
}

// Done is closed when the script has ended.
func (r *Run) Done() <-chan struct{} { return r.done }

// Err is the script's error once Done is closed.
func (r *Run) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Wait blocks until the script ends and returns its error.
func (r *Run) Wait(ctx context.Context) error {
	select {
	case <-r.done:
		return r.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close tears down the world (every socket and goroutine) and waits for the
// script to end: the reset.
func (r *Run) Close() error {
	r.cancel()
	r.World.Conductor.Close()
	err := r.World.Close()
	<-r.done
	return err
}

// LiveID is the run without a script: the world waits for external
// clients (telnet, curl, Thunderbird) and shows their traffic.
const LiveID = "live"

// Live starts a world with no script; it runs until Close.
func Live(opts world.Options) (*Run, error) {
	w, err := world.Start(opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Run{Scenario: Scenario{ID: LiveID, Title: "scenario.live.title", Summary: "scenario.live.summary"},
		World: w, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		<-ctx.Done()
	}()
	return r, nil
}

// RunInstant runs a scenario to the end in instant mode and returns the log.
func RunInstant(ctx context.Context, id string, opts world.Options) (*Run, error) {
	opts.Mode = conductor.Instant
	r, err := Start(id, opts)
	if err != nil {
		return nil, err
	}
	if err := r.Wait(ctx); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}
