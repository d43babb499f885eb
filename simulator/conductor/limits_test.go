package conductor

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

func logLine(t *testing.T, c *Conductor, conn uint64, text string) {
	t.Helper()
	require.NoError(t, c.Gate(context.Background(), &event.Event{Kind: event.KindLine, Conn: conn, Dir: event.ClientToServer,
		Text: text, Raw: []byte(text + "\r\n")}))
}

// A run that outgrows its budget drops its oldest events and chunks and
// says so; the newest stay, numbered as before.
func TestRunBudgetDropsTheOldest(t *testing.T) {
	c := newConductor(t, Instant, 0)
	c.SetLimits(Limits{RunBytes: 200 << 10})
	text := strings.Repeat("x", 1000)
	for i := range 2000 {
		logLine(t, c, 1, text)
		c.Record(event.Chunk{Conn: uint64(2 + i%3), Bytes: []byte(text)})
	}
	assert.LessOrEqual(t, c.Size(), int64(200<<10), "within the budget")
	d := c.Dropped()
	require.NotZero(t, d.Events, "the oldest events went")
	assert.NotZero(t, d.Chunks)
	assert.Equal(t, 2000, c.Len(), "Len counts every event logged")

	log := c.Log()
	require.NotEmpty(t, log)
	assert.Equal(t, d.Events+1, log[0].Seq, "the log starts after the dropped events")
	assert.Equal(t, uint64(2000), log[len(log)-1].Seq, "the newest is kept")
	for _, ch := range c.Chunks() {
		assert.GreaterOrEqual(t, ch.Seq+1, log[0].Seq, "no chunk older than the first kept event")
	}
	_, ok := c.Event(1)
	assert.False(t, ok, "a dropped event is gone")
	ev, ok := c.Event(2000)
	require.True(t, ok)
	assert.Equal(t, uint64(2000), ev.Seq)

	page, first, last := c.Page(0, 10)
	assert.Equal(t, d.Events+1, first)
	assert.Equal(t, uint64(2000), last)
	require.Len(t, page, 10)
	assert.Equal(t, first, page[0].Seq, "a page from 0 starts at the oldest kept event")
}

// One connection's recorded bytes have their own budget: its oldest
// chunks lose their bytes, counted, so the stream keeps its length.
func TestConnBudgetDropsOldestBytes(t *testing.T) {
	c := newConductor(t, Instant, 0)
	c.SetLimits(Limits{ConnBytes: 10 << 10})
	var sent int64
	for i := range 100 {
		b := bytes.Repeat([]byte{byte('a' + i%26)}, 1000)
		c.Record(event.Chunk{Conn: 7, Dir: event.ClientToServer, Bytes: b})
		c.Record(event.Chunk{Conn: 8, Dir: event.ClientToServer, Bytes: []byte("small\r\n")})
		sent += 1000
	}
	var kept, omitted int64
	var other int
	for _, ch := range c.Chunks() {
		if ch.Conn != 7 {
			other += len(ch.Bytes)
			continue
		}
		kept += int64(len(ch.Bytes))
		omitted += ch.Omitted
	}
	assert.Equal(t, sent, kept+omitted, "every byte kept or counted")
	assert.LessOrEqual(t, kept, int64(10<<10), "within the connection's budget")
	assert.Equal(t, 700, other, "another connection keeps its bytes")
	assert.Equal(t, omitted, c.Dropped().Bytes)
	last := c.Chunks()[len(c.Chunks())-2]
	assert.Equal(t, byte('a'+99%26), last.Bytes[0], "the newest bytes are kept")
}

// Chunks without bytes (a skipped body, read by read) add up in one.
func TestOmittedChunksMerge(t *testing.T) {
	c := newConductor(t, Instant, 0)
	c.Record(event.Chunk{Conn: 1, Dir: event.ClientToServer, Bytes: []byte("DATA\r\n")})
	for range 50 {
		c.Record(event.Chunk{Conn: 1, Dir: event.ClientToServer, Omitted: 1000})
	}
	c.Record(event.Chunk{Conn: 1, Dir: event.ClientToServer, Bytes: []byte(".\r\n")})
	got := c.Chunks()
	require.Len(t, got, 3)
	assert.Equal(t, int64(50000), got[1].Omitted)
	assert.Nil(t, got[1].Bytes)
}

func TestPage(t *testing.T) {
	c := newConductor(t, Instant, 0)
	for range 25 {
		logLine(t, c, 1, "NOOP")
	}
	tests := []struct {
		since      uint64
		limit      int
		from, n    int
		first, end uint64
	}{
		{since: 0, limit: 10, from: 1, n: 10},
		{since: 10, limit: 10, from: 11, n: 10},
		{since: 20, limit: 10, from: 21, n: 5},
		{since: 25, limit: 10, n: 0},
		{since: 99, limit: 10, n: 0},
		{since: 3, limit: 0, from: 4, n: 22},
	}
	for _, tc := range tests {
		page, first, last := c.Page(tc.since, tc.limit)
		require.Len(t, page, tc.n, "since %d", tc.since)
		if tc.n > 0 {
			assert.Equal(t, uint64(tc.from), page[0].Seq)
		}
		assert.Equal(t, uint64(1), first)
		assert.Equal(t, uint64(25), last)
	}
}
