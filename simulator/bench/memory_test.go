package bench

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/mua"
	"maillab/simulator/wire"
	"maillab/simulator/world"
)

// bigBodySize is 50 MB of 78-byte lines (12 MB under the race detector).
func bigBodySize() int {
	if raceEnabled {
		return 12 << 20
	}
	return 50 << 20
}

// bodyLines writes n bytes of message lines to w.
func bodyLines(w io.Writer, n int) error {
	line := []byte(strings.Repeat("0123456789abcdef", 5)[:76] + "\r\n")
	var buf bytes.Buffer
	for buf.Len() < 64<<10 {
		buf.Write(line)
	}
	for sent := 0; sent < n; sent += buf.Len() {
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// recorded sums what the run keeps of one connection's client bytes:
// the events' text and bytes, the chunks' bytes, and what both left out.
type recorded struct {
	eventBytes, chunkBytes int64 // kept
	skipped, omitted       int64 // left out: in skip events, in chunks
	skips                  int
}

func recordedOf(w *world.World, proto string) recorded {
	var r recorded
	conns := map[uint64]bool{}
	for _, ev := range w.Conductor.Log() {
		if ev.Proto != proto || ev.Dir != event.ClientToServer {
			continue
		}
		conns[ev.Conn] = true
		r.eventBytes += int64(len(ev.Text) + len(ev.Raw) + len(ev.Tail))
		if ev.Kind == event.KindSkip {
			r.skipped += ev.Omitted
			r.skips++
		}
	}
	for _, ch := range w.Conductor.Chunks() {
		if conns[ch.Conn] && ch.Dir == event.ClientToServer {
			r.chunkBytes += int64(len(ch.Bytes))
			r.omitted += ch.Omitted
		}
	}
	return r
}

// A 50 MB DATA through the MSA (STARTTLS, AUTH) and straight to the MX
// (plaintext): both refuse it (552, past SIZE), and what the tap records
// of it stays within the recording limit, however big the message. The
// numbers are the recorded bytes, not the process's memory: they do not
// depend on the machine.
func TestBigMessageRecordingIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("pushes 100 MB through the servers")
	}
	bigBody := bigBodySize()
	w, err := world.Start(world.Options{})
	require.NoError(t, err)
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	// Through the MSA, as Alice's mail program sends it.
	var body strings.Builder
	require.NoError(t, bodyLines(&body, bigBody))
	draft := mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Subject: "A big one",
		Body: body.String(), Date: time.Now()}
	err = w.Device("alice-laptop").Submit(ctx, draft, mua.SubmitOptions{Security: mua.StartTLS})
	require.Error(t, err, "the MSA refuses a message past its SIZE")
	assert.Contains(t, err.Error(), "552")

	// Straight to the MX, as another server would.
	conn, err := w.DialService(ctx, "alice-laptop", "mx.example.net", 25)
	require.NoError(t, err)
	c := smtp.NewClient(conn)
	defer c.Close()
	require.NoError(t, c.Hello("alice-laptop"))
	require.NoError(t, c.Mail("alice@example.org", nil))
	require.NoError(t, c.Rcpt("bob@example.net", nil))
	data, err := c.Data()
	require.NoError(t, err)
	require.NoError(t, bodyLines(data, bigBody))
	err = data.Close()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "552")
	require.NoError(t, c.Quit())

	limit := int64(wire.DefaultBodyRecord)
	for _, proto := range []string{"submission", "smtp"} {
		r := recordedOf(w, proto)
		t.Logf("%s: events keep %d bytes, chunks %d; left out %d bytes in %d skip(s), %d in chunks",
			proto, r.eventBytes, r.chunkBytes, r.skipped, r.skips, r.omitted)
		assert.Equal(t, 1, r.skips, "%s: one skip stands for the rest of the body", proto)
		assert.Greater(t, r.skipped, int64(bigBody)-2*limit, "%s: the skip counts what was not recorded", proto)
		// Each body line's text and raw bytes: twice the body limit, plus
		// the commands and the headers.
		assert.Less(t, r.eventBytes, 2*limit+64<<10, "%s: the events stay within the limit", proto)
		assert.Less(t, r.chunkBytes, limit+256<<10, "%s: the chunks stay within the limit (and TLS records)", proto)
		assert.Greater(t, r.omitted, int64(bigBody)-2*limit, "%s: the chunks count what was left out", proto)
	}
	assert.Less(t, w.Conductor.Size(), int64(8<<20), "the whole run stays small")
}
