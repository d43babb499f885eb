package conductor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

// Chunks are numbered by the events logged before them and stamped by the
// conductor's clock; they are not events and stop with a reset.
func TestRecordChunks(t *testing.T) {
	c := newConductor(t, Instant, 0)
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c.mu.Lock()
	c.now = clock.now
	c.mu.Unlock()

	c.Record(event.Chunk{Conn: 1, Dir: event.ServerToClient, Bytes: []byte("220 hi\r\n")})
	require.NoError(t, c.Gate(context.Background(), &event.Event{Kind: event.KindLine, Text: "EHLO"}))
	clock.advance(time.Second)
	c.Record(event.Chunk{Conn: 1, Dir: event.ClientToServer, Bytes: []byte("EHLO\r\n")})

	got := c.Chunks()
	require.Len(t, got, 2)
	assert.Equal(t, []uint64{0, 1}, []uint64{got[0].Seq, got[1].Seq}, "after how many events")
	assert.Equal(t, clock.t, got[1].Time)
	assert.Equal(t, clock.t.Add(-time.Second), got[0].Time)
	assert.Equal(t, "EHLO\r\n", string(got[1].Bytes))
	assert.Equal(t, 1, c.Len(), "chunks are not events")

	got[0].Conn = 99
	assert.Equal(t, uint64(1), c.Chunks()[0].Conn, "Chunks returns a copy")

	c.Close()
	c.Record(event.Chunk{Conn: 1, Bytes: []byte("late")})
	assert.Len(t, c.Chunks(), 2, "nothing is recorded after a reset")
}
