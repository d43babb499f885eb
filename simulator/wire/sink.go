// Package wire is the tap: it wraps the server side of every connection
// (below TLS), turns each direction into one event per protocol line, holds
// each line at the conductor's gate and keeps deadlines honest while a line
// is held. It knows no protocol beyond line ends, TLS records and which
// lines carry credentials.
package wire

import (
	"context"
	"time"

	"maillab/simulator/event"
)

// Sink receives the tap's events; conductor.Conductor implements it. The
// event belongs to the tap again once Gate or Emit returns: a sink copies
// what it keeps.
type Sink interface {
	// Gate logs a line and returns once the viewer has released it.
	Gate(ctx context.Context, ev *event.Event) error
	// Emit logs an event that is not held.
	Emit(ev *event.Event)
	// HeldClock grows while any line is held; deadlines are pushed back by
	// what it grew.
	HeldClock() time.Duration
	NextConnID() uint64
}

// PassingSink is an optional part of a Sink: Passing reports whether Gate
// now releases every line at once (nothing is held, instant mode), so the
// tap may send the lines of one write together.
type PassingSink interface {
	Passing() bool
}

// Service describes the server side of a listener.
type Service struct {
	Node  string // node id, e.g. "mx.example.net"
	Proto string // smtp, submission, lmtp, pop3, imap, dns
	Port  int    // well-known port (25, 587, 465, ...)
	// BodyRecord is how many bytes of one message body the tap records
	// (the server's SIZE limit where it is smaller); 0 means
	// DefaultBodyRecord. The rest of the body passes unrecorded.
	BodyRecord int64
}

// Identify names the node behind a client address ("bob-phone"); the empty
// string means an external client.
type Identify func(remote string) string
