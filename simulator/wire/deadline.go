package wire

import (
	"errors"
	"net"
	"os"
	"sync"
	"time"
)

// TimedConn passes deadlines to the socket but pushes them back by the time
// a line was held at the gate, so a teacher who pauses for ten minutes does
// not time out a connection whose peer is merely waiting.
type TimedConn struct {
	net.Conn
	clock func() time.Duration

	mu        sync.Mutex
	readAt    time.Time
	readHeld  time.Duration
	writeAt   time.Time
	writeHeld time.Duration
}

// minExtension is the least a held deadline is pushed back by: while a line
// is held the clock grows by whatever time passed, and without a floor a
// blocked Read would wake (spin) about as often as it last woke. It may
// grant up to this much extra time once a hold ends.
const minExtension = 100 * time.Millisecond

// NewTimedConn wraps c; clock is the conductor's HeldClock.
func NewTimedConn(c net.Conn, clock func() time.Duration) *TimedConn {
	return &TimedConn{Conn: c, clock: clock}
}

func (c *TimedConn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

func (c *TimedConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.readAt, c.readHeld = extensible(t), c.clock()
	c.mu.Unlock()
	return c.Conn.SetReadDeadline(t)
}

func (c *TimedConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.writeAt, c.writeHeld = extensible(t), c.clock()
	c.mu.Unlock()
	return c.Conn.SetWriteDeadline(t)
}

// Read retries a timed-out read when lines were held since the deadline was
// set, with the deadline moved on by that much.
func (c *TimedConn) Read(p []byte) (int, error) {
	for {
		n, err := c.Conn.Read(p)
		if n > 0 || err == nil || !isTimeout(err) || !c.extend(&c.readAt, &c.readHeld, c.Conn.SetReadDeadline) {
			return n, err
		}
	}
}

// Write does the same for writes.
func (c *TimedConn) Write(p []byte) (int, error) {
	total := 0
	for {
		n, err := c.Conn.Write(p[total:])
		total += n
		if err == nil || !isTimeout(err) || !c.extend(&c.writeAt, &c.writeHeld, c.Conn.SetWriteDeadline) {
			return total, err
		}
	}
}

func (c *TimedConn) extend(at *time.Time, held *time.Duration, set func(time.Time) error) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock()
	grown := now - *held
	if at.IsZero() || grown <= 0 {
		return false
	}
	next := at.Add(grown)
	if floor := time.Now().Add(minExtension); next.Before(floor) {
		next = floor
	}
	*at, *held = next, now
	return set(*at) == nil
}

// extensible drops a deadline that is already due: callers set one to
// interrupt a blocked Read or Write, and a hold must not delay that.
func extensible(t time.Time) time.Time {
	if !t.After(time.Now()) {
		return time.Time{}
	}
	return t
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
