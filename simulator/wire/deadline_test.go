package wire_test

import (
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
	"maillab/simulator/wire"
)

// A server that gives its client 200 ms must not time out because the
// viewer held a line for a second.
func TestHeldLineDoesNotTimeOutServer(t *testing.T) {
	cond := newConductor(t, conductor.Step)
	srv := newLineServer()
	srv.greeting = "220 hello"
	srv.setup = func(c net.Conn) {
		// Once per connection: the whole dialogue must fit in 200 ms of
		// unheld time.
		c.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		c.SetWriteDeadline(time.Now().Add(200 * time.Millisecond))
	}
	cl := dial(t, srv.serve(t, cond, nil, nil))

	waitWaiting(t, cond, 1)
	time.Sleep(time.Second) // the greeting's Write is held past its deadline
	step(t, cond, "S: 220 hello")
	assert.Equal(t, "220 hello", cl.readLine())

	cl.send("ONE\r\n")
	waitWaiting(t, cond, 1)
	time.Sleep(time.Second) // the line is held past the read deadline
	step(t, cond, "C: ONE")
	assert.Equal(t, "ONE", receive(t, srv.got, "ONE"))
	cl.send("QUIT\r\n") // read after the original deadline passed
	step(t, cond, "S: echo: ONE")
	step(t, cond, "C: QUIT")
	step(t, cond, "S: 221 bye")
	assert.NoError(t, receive(t, srv.exit, "server end"), "no timeout")
	assert.Equal(t, "echo: ONE", cl.readLine())
	assert.Equal(t, "221 bye", cl.readLine())
}

func TestIdleClientStillTimesOut(t *testing.T) {
	cond := newConductor(t, conductor.Step)
	srv := newLineServer()
	srv.setup = func(c net.Conn) { c.SetReadDeadline(time.Now().Add(100 * time.Millisecond)) }
	dial(t, srv.serve(t, cond, nil, nil))
	err := receive(t, srv.exit, "server end")
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
}

// heldClock is a HeldClock that grows with real time while holding.
type heldClock struct {
	mu    sync.Mutex
	total time.Duration
	since time.Time
}

func (h *heldClock) hold() { h.mu.Lock(); h.since = time.Now(); h.mu.Unlock() }

func (h *heldClock) release() {
	h.mu.Lock()
	h.total += time.Since(h.since)
	h.since = time.Time{}
	h.mu.Unlock()
}

func (h *heldClock) now() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.since.IsZero() {
		return h.total
	}
	return h.total + time.Since(h.since)
}

// countingConn counts reads that reach the socket.
type countingConn struct {
	net.Conn
	reads atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	c.reads.Add(1)
	return c.Conn.Read(p)
}

func pipe(t *testing.T, clock func() time.Duration) (*wire.TimedConn, *countingConn, net.Conn) {
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	cc := &countingConn{Conn: a}
	return wire.NewTimedConn(cc, clock), cc, b
}

func readAsync(tc *wire.TimedConn) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := tc.Read(make([]byte, 10))
		done <- err
	}()
	return done
}

// A deadline that falls due while a line is held is pushed back, without
// spinning on the socket in the meantime.
func TestHeldDeadlineDoesNotSpin(t *testing.T) {
	clock := &heldClock{}
	tc, cc, peer := pipe(t, clock.now)
	clock.hold()
	require.NoError(t, tc.SetReadDeadline(time.Now().Add(time.Millisecond)))
	done := readAsync(tc)
	time.Sleep(300 * time.Millisecond)
	assertNothing(t, done, "a timeout while a line is held")
	assert.Less(t, cc.reads.Load(), int64(50), "socket reads while held")

	clock.release()
	_, err := peer.Write([]byte("x"))
	require.NoError(t, err)
	assert.NoError(t, receive(t, done, "Read"))
}

// A deadline in the past is how a caller interrupts a blocked Read; held
// time must not delay it.
func TestPastDeadlineInterruptsWhileHeld(t *testing.T) {
	clock := &heldClock{}
	tc, _, _ := pipe(t, clock.now)
	clock.hold()
	done := readAsync(tc)
	time.Sleep(10 * time.Millisecond)
	require.NoError(t, tc.SetReadDeadline(time.Now()))
	assert.ErrorIs(t, receive(t, done, "interrupted Read"), os.ErrDeadlineExceeded)
	require.NoError(t, tc.SetDeadline(time.Unix(1, 0)))
	_, err := tc.Write([]byte("x"))
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
}

func TestNoHoldNoExtension(t *testing.T) {
	tc, _, _ := pipe(t, func() time.Duration { return time.Hour })
	require.NoError(t, tc.SetReadDeadline(time.Now().Add(20*time.Millisecond)))
	_, err := tc.Read(make([]byte, 1))
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
}
