package wire_test

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
	"maillab/simulator/event"
	"maillab/simulator/wire"
)

// udpEcho answers every datagram with "answer " + datagram.
func udpEcho(t *testing.T, cond *conductor.Conductor) (*wire.PacketConn, <-chan error) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err, "ListenPacket()")
	tp := wire.ListenPacket(pc, wire.Service{Node: "dns.example", Proto: "dns", Port: 53}, cond,
		func(string) string { return "bob-phone" }, func(b []byte) string { return "dns " + string(b) })
	exit := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 512)
		for {
			n, addr, err := tp.ReadFrom(buf)
			if err != nil {
				exit <- err
				return
			}
			if _, err := tp.WriteTo(append([]byte("answer "), buf[:n]...), addr); err != nil {
				exit <- err
				return
			}
		}
	}()
	t.Cleanup(func() { tp.Close(); <-done })
	return tp, exit
}

func TestPacketsAreHeld(t *testing.T) {
	cond := newConductor(t, conductor.Step)
	tp, exit := udpEcho(t, cond)
	c, err := net.Dial("udp", tp.LocalAddr().String())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })

	_, err = c.Write([]byte("A mx.example.net"))
	require.NoError(t, err)
	step(t, cond, "C: dns A mx.example.net")
	step(t, cond, "S: dns answer A mx.example.net")
	require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
	buf := make([]byte, 512)
	n, err := c.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "answer A mx.example.net", string(buf[:n]))

	log := cond.Log()
	require.Len(t, log, 2)
	for _, e := range log {
		assert.Equal(t, event.KindPacket, e.Kind)
		assert.Equal(t, "bob-phone", e.Client)
		assert.Equal(t, log[0].Conn, e.Conn, "the answer belongs to its query")
	}
	assert.Equal(t, "A mx.example.net", string(log[0].Raw))

	_, err = c.Write([]byte("held"))
	require.NoError(t, err)
	waitWaiting(t, cond, 1)
	require.NoError(t, tp.Close())
	assert.Error(t, receive(t, exit, "server end"), "Close wakes a held datagram")
	require.Eventually(t, func() bool { return len(cond.Waiting()) == 0 }, 10*time.Second, time.Millisecond)
	assert.Len(t, cond.Log(), 2, "the dropped datagram is not logged")
}
