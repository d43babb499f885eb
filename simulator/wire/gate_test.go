package wire_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
	"maillab/simulator/event"
)

// step releases the one waiting line, which must be want, and checks that
// exactly one more line is in the log.
func step(t *testing.T, cond *conductor.Conductor, want string) {
	t.Helper()
	w := waitWaiting(t, cond, 1)
	require.Equal(t, want, string(w[0].Dir)+": "+w[0].Text, "the waiting line")
	before := len(gated(cond.Log()))
	require.True(t, cond.Step(), "Step()")
	assert.Len(t, gated(cond.Log()), before+1, "one line per step")
}

func TestStepHoldsEachLine(t *testing.T) {
	cond := newConductor(t, conductor.Step)
	srv := newLineServer()
	cl := dial(t, srv.serve(t, cond, nil, nil))
	cl.readAsync()

	cl.send("HELO a\r\n")
	waitWaiting(t, cond, 1)
	assertNothing(t, srv.got, "the held client line")
	step(t, cond, "C: HELO a")
	assert.Equal(t, "HELO a", receive(t, srv.got, "HELO"))

	waitWaiting(t, cond, 1)
	assertNothing(t, cl.lines, "the held server line")
	step(t, cond, "S: echo: HELO a")
	assert.Equal(t, "echo: HELO a", receive(t, cl.lines, "echo"))

	// Two lines in one segment are still two steps each way.
	cl.send("MAIL FROM:<a>\r\nRCPT TO:<b>\r\n")
	step(t, cond, "C: MAIL FROM:<a>")
	step(t, cond, "C: RCPT TO:<b>")
	assert.Equal(t, "MAIL FROM:<a>", receive(t, srv.got, "MAIL"))
	step(t, cond, "S: echo: MAIL FROM:<a>")
	assert.Equal(t, "echo: MAIL FROM:<a>", receive(t, cl.lines, "echo MAIL"))
	assert.Equal(t, "RCPT TO:<b>", receive(t, srv.got, "RCPT"))
	step(t, cond, "S: echo: RCPT TO:<b>")
	assert.Equal(t, "echo: RCPT TO:<b>", receive(t, cl.lines, "echo RCPT"))

	// A line split over writes is one line.
	cl.send("NO")
	cl.send("OP\r\n")
	step(t, cond, "C: NOOP")
	step(t, cond, "S: echo: NOOP")
	assert.Equal(t, "echo: NOOP", receive(t, cl.lines, "echo NOOP"))

	log := cond.Log()
	assert.Equal(t, event.KindOpen, log[0].Kind)
	for i, e := range log {
		assert.Equal(t, uint64(i+1), e.Seq)
	}
}

func TestSwitchToInstantReleasesAll(t *testing.T) {
	cond := newConductor(t, conductor.Step)
	srv := newLineServer()
	cl := dial(t, srv.serve(t, cond, nil, nil))
	cl.readAsync()

	cl.send("ONE\r\nTWO\r\n")
	waitWaiting(t, cond, 1)
	cond.SetMode(conductor.Instant, 0)
	assert.Equal(t, "echo: ONE", receive(t, cl.lines, "echo ONE"))
	assert.Equal(t, "echo: TWO", receive(t, cl.lines, "echo TWO"))
	cl.send("QUIT\r\n")
	assert.Equal(t, "221 bye", receive(t, cl.lines, "bye"))
	assert.NoError(t, receive(t, srv.exit, "server end"))
	assert.Equal(t, []string{"C: ONE", "C: TWO", "S: echo: ONE", "S: echo: TWO", "C: QUIT", "S: 221 bye"},
		transcript(linesOf(cond.Log())))
}

// A reset wakes a server blocked in Read and one blocked in Write.
func TestResetWakesHeldReadAndWrite(t *testing.T) {
	cond := conductor.New(conductor.Step, 0)
	t.Cleanup(cond.Close)
	srv := newLineServer()
	srv.greeting = "220 hello"
	addr := srv.serve(t, cond, nil, nil)

	reader := dial(t, addr)
	step(t, cond, "S: 220 hello")
	assert.Equal(t, "220 hello", reader.readLine())
	reader.send("EHLO held\r\n") // held in the server's Read
	waitWaiting(t, cond, 1)
	writer := dial(t, addr) // its greeting is held in the server's Write
	waitWaiting(t, cond, 2)

	cond.Close()
	for range 2 {
		err := receive(t, srv.exit, "server end")
		assert.ErrorIs(t, err, conductor.ErrClosed)
	}
	assertNothing(t, srv.got, "a line after the reset")
	writer.readAsync()
	_, open := <-writer.lines
	assert.False(t, open, "the held greeting never reached the client")
}

func TestCloseWakesHeldRead(t *testing.T) {
	cond := newConductor(t, conductor.Step)
	srv := newLineServer()
	cl := dial(t, srv.serve(t, cond, nil, nil))
	cl.send("HELD\r\n")
	waitWaiting(t, cond, 1)
	srv.mu.Lock()
	conn := srv.conns[0]
	srv.mu.Unlock()
	require.NoError(t, conn.Close())
	assert.Error(t, receive(t, srv.exit, "server end"))
	require.Eventually(t, func() bool { return len(cond.Waiting()) == 0 }, time.Second*10, time.Millisecond)
	log := cond.Log()
	assert.Equal(t, event.KindClose, log[len(log)-1].Kind, "the close is logged once")
	assert.Empty(t, linesOf(log), "the cancelled line is not logged")
}

func gated(log []event.Event) []event.Event {
	var out []event.Event
	for _, e := range log {
		if e.Gated() {
			out = append(out, e)
		}
	}
	return out
}
