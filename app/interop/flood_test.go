package interop_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFloodMX: 300 connections open at once on the MX. Each gets the
// greeting or, over the connection cap, a 421 and a close (RFC 5321 §3.8);
// the server stays up and delivers the next message.
func TestFloodMX(t *testing.T) {
	e := startWorld(t)
	const n = 300
	conns := make([]net.Conn, n)
	dialErrs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { conns[i], dialErrs[i] = net.DialTimeout("tcp", e.net(portSMTP), 10*time.Second) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, dialErrs[i], "dial %d", i)
		defer conns[i].Close()
	}
	// Every client reads its first reply before anyone says QUIT, so the
	// server really holds 300 connections at once.
	replies := make([]string, n)
	readers := make([]*bufio.Reader, n)
	for i := range n {
		wg.Go(func() {
			conns[i].SetDeadline(time.Now().Add(15 * time.Second))
			readers[i] = bufio.NewReader(conns[i])
			replies[i] = firstReply(readers[i])
		})
	}
	wg.Wait()
	for i := range n {
		if strings.HasPrefix(replies[i], "220 ") {
			wg.Go(func() { replies[i] = quit(conns[i], readers[i], replies[i]) })
		}
	}
	wg.Wait()
	counts := map[string]int{}
	for i, r := range replies {
		code, _, _ := strings.Cut(r, " ")
		counts[code]++
		assert.Regexp(t, `^(220 |421 4\.7\.0 )`, r, "connection %d", i)
	}
	t.Logf("replies to %d simultaneous connections: %v", n, counts)
	assert.Positive(t, counts["220"], "some connections are served")
	assert.Positive(t, counts["421"], "the connection cap (200) answers the rest")

	assertGreets(t, e.net(portSMTP))
	require.NoError(t, e.submit("after the flood"), "a normal submission")
	msgs := e.waitInbox(t, 1)
	assert.Equal(t, 1, countSubject(msgs, "after the flood"))
}

// firstReply is the greeting or the 421, or the error as text.
func firstReply(br *bufio.Reader) string {
	l, err := readReply(br)
	if err != nil {
		return "error: " + err.Error()
	}
	return l
}

// quit says QUIT and returns greeting when the 221 comes back.
func quit(c net.Conn, br *bufio.Reader, greeting string) string {
	io.WriteString(c, "QUIT\r\n")
	if bye, err := readReply(br); err != nil || !strings.HasPrefix(bye, "221 ") {
		return fmt.Sprintf("QUIT answered %q, %v", bye, err)
	}
	return greeting
}

// readReply reads one SMTP reply and returns its last line.
func readReply(br *bufio.Reader) (string, error) {
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			return l, err
		}
		l = strings.TrimRight(l, "\r\n")
		if len(l) < 4 || l[3] != '-' {
			return l, nil
		}
	}
}
