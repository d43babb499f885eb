package interop_test

import (
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/mta"
)

// TestNoAcceptedMessageLost: 20 submissions at once through the MSA while
// hostile clients hammer every service. Every message the MSA accepted
// with 250 reaches Bob's INBOX exactly once, and nothing else does.
func TestNoAcceptedMessageLost(t *testing.T) {
	e := startWorld(t)
	stop := make(chan struct{})
	var hostile sync.WaitGroup
	var rounds atomic.Int64
	for _, h := range e.hostileClients() {
		hostile.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
					h(i)
					rounds.Add(1)
				}
			}
		})
	}

	const n = 20
	errs := make([]error, n)
	var senders sync.WaitGroup
	for i := range n {
		senders.Go(func() { errs[i] = e.submit(fmt.Sprintf("no loss %02d", i)) })
	}
	senders.Wait()
	close(stop)
	hostile.Wait()
	t.Logf("%d hostile connections ran during the submissions", rounds.Load())

	var accepted []string
	for i, err := range errs {
		if assert.NoError(t, err, "submission %d", i) {
			accepted = append(accepted, fmt.Sprintf("no loss %02d", i))
		}
	}
	require.NotEmpty(t, accepted)
	require.Eventually(t, func() bool { return e.allSent(len(accepted)) }, 10*time.Second, 20*time.Millisecond,
		"the queue never finished: %+v", e.w.Provider("example.org").Queue.Snapshot())
	msgs := e.inbox(t)
	assert.Len(t, msgs, len(accepted), "Bob's INBOX holds the accepted messages and nothing else")
	for _, s := range accepted {
		assert.Equal(t, 1, countSubject(msgs, s), "copies of %q", s)
	}
}

// allSent: example.org's queue holds want items, every one sent, and
// example.net queued nothing.
func (e *env) allSent(want int) bool {
	items := e.w.Provider("example.org").Queue.Snapshot()
	if len(items) != want || len(e.w.Provider("example.net").Queue.Snapshot()) != 0 {
		return false
	}
	for _, it := range items {
		if it.State != mta.StateSent {
			return false
		}
	}
	return true
}

// hostileClients are abusive one-shot clients, each run over and over
// with its iteration number; they ignore every error.
func (e *env) hostileClients() []func(i int) {
	return []func(i int){
		// Noise at the MSA, the MX, POP3 and IMAP.
		func(i int) { e.blast(e.org(portSubmission), garbage(uint64(i), 1500)) },
		func(i int) { e.blast(e.net(portSMTP), garbage(uint64(i+1000), 1500)) },
		func(i int) { e.blast(e.net(portPOP3), garbage(uint64(i+2000), 600)) },
		func(i int) { e.blast(e.net(portIMAP), garbage(uint64(i+3000), 600)) },
		// A message to Bob at the MX without its final dot, then a reset.
		func(i int) {
			e.blast(e.net(portSMTP), "EHLO h.test\r\nMAIL FROM:<eve@example.org>\r\nRCPT TO:<bob@example.net>\r\nDATA\r\n"+
				message(fmt.Sprintf("hostile %d", i)))
		},
		// An over-long line at the MSA.
		func(i int) { e.blast(e.org(portSubmission), "EHLO "+string(make([]byte, 2000))+"\r\n") },
	}
}

// blast sends s, reads a little of the answer and resets the connection.
func (e *env) blast(addr, s string) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	io.WriteString(c, s)
	io.ReadAtLeast(c, make([]byte, 512), 64)
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}
