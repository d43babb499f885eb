//go:build !(js && wasm)

package app

import (
	"fmt"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLongLiveRunKeepsFlowing: the live world logs thousands of lines
// while the app annotates every one of them (under the conductor's lock);
// a long message must still be answered. The annotator once asked the
// conductor for its dropped count at every 1,024th explanation and
// deadlocked it.
func TestLongLiveRunKeepsFlowing(t *testing.T) {
	a, _ := newTestApp(t)
	info, err := a.Start("live")
	require.NoError(t, err)
	var mx string
	for _, e := range info.Ports {
		if e.Host == "mx.example.net" && e.Port == 25 {
			mx = e.Addr
		}
	}
	require.NotEmpty(t, mx, "the MX's address")

	lines := make([]string, 3000)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %d", i+1)
	}
	msg := "From: Eve <eve@example.com>\r\nTo: Bob <bob@example.net>\r\nSubject: flood\r\n\r\n" +
		strings.Join(lines, "\r\n") + "\r\n"
	done := make(chan error, 1)
	go func() { done <- sendPlain(mx, msg) }()
	select {
	case err := <-done:
		require.NoError(t, err, "the MX answers the message")
	case <-time.After(60 * time.Second):
		// Not t.Fatal: the cleanup would wait on the stuck run for ever.
		panic("no answer to the message in 60 s: the run is stuck")
	}
}

// sendPlain sends msg to an MX without STARTTLS (the run's CA is not
// trusted here, and the point is the recording, not TLS).
func sendPlain(addr, msg string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Mail("eve@example.com"); err != nil {
		return err
	}
	if err := c.Rcpt("bob@example.net"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(msg)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}
