package capture_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/capture"
	"maillab/simulator/event"
)

// gappedFixture is the fixture's submission with its DATA body cut: 30000
// bytes not recorded before the body's end, and 500 more of the server's
// before the close.
func gappedFixture() fixture {
	f := newFixture()
	var chunks []event.Chunk
	for _, ch := range f.chunks {
		if ch.Conn == 1 && bytes.HasPrefix(ch.Bytes, []byte("xxx")) {
			ch.Bytes, ch.Omitted = []byte(strings.Repeat("x", 10000)+"\r\n.\r\n"), 30000
		}
		if ch.Conn == 1 && string(ch.Bytes) == "221 bye\r\n" {
			chunks = append(chunks, event.Chunk{Seq: ch.Seq, Time: ch.Time, Conn: 1, Dir: ch.Dir, Omitted: 500})
			continue
		}
		chunks = append(chunks, ch)
	}
	f.chunks = chunks
	return f
}

// Bytes that were not recorded leave a gap in the sequence numbers, and
// the packet after the gap says how many bytes it is; the file stays a
// valid capture.
func TestWriteOmittedBytes(t *testing.T) {
	w := write(t, gappedFixture(), capture.Options{Secrets: true, Dropped: 12})
	client, server := "127.77.1.10:50000", "127.77.1.20:587"
	var conn []packet
	for _, p := range w.packets {
		if p.src.String() == client || p.dst.String() == client {
			conn = append(conn, p)
		}
	}
	next := map[string]uint32{client: conn[0].seq + 1, server: conn[1].seq + 1}
	var gaps []uint32
	var notes []string
	for _, p := range conn[3:] {
		src := p.src.String()
		if p.seq != next[src] {
			gaps = append(gaps, p.seq-next[src])
		}
		if p.comment != "" {
			notes = append(notes, p.comment)
		}
		next[src] = p.seq + uint32(len(p.payload))
		if p.flags&0x01 != 0 {
			next[src]++
		}
	}
	assert.Equal(t, []uint32{30000, 500}, gaps, "the sequence numbers jump over what was not recorded")
	require.Len(t, notes, 2)
	assert.Contains(t, notes[0], "30000 bytes before this packet")
	assert.Contains(t, notes[1], "500 bytes before this packet", "the server's FIN says what it missed")
	assert.True(t, bytes.HasSuffix(w.stream(client, server), []byte("\r\n.\r\n")), "the body's end is kept")

	shb := w.blocks[0]
	assert.Contains(t, string(shb.body), "its first 12 events", "the section header says the file starts later")
}

func TestTsharkReadsOmittedBytes(t *testing.T) {
	tshark := tsharkPath(t)
	var buf bytes.Buffer
	f := gappedFixture()
	require.NoError(t, capture.Write(&buf, f.log, f.chunks, capture.Options{Dropped: 3}))
	file := filepath.Join(t.TempDir(), "gap.pcapng")
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o600))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	frames := func(filter string) []string {
		var stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, tshark, "-r", file, "-n", "-Y", filter, "-T", "fields", "-e", "frame.number")
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		require.NoError(t, err, "tshark reads the file: %s", stderr.String())
		return strings.Fields(string(out))
	}
	assert.NotEmpty(t, frames("tcp.analysis.lost_segment"), "Wireshark sees the gap as a segment not captured")
	assert.Len(t, frames(`frame.comment contains "not recorded"`), 2, "both gaps are explained")
}
