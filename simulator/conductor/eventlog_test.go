package conductor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

// TestEventLogBlocks: the block log keeps order and indexes across block
// boundaries while its front is dropped, and lets go of dropped blocks.
func TestEventLogBlocks(t *testing.T) {
	var l eventLog
	seq := uint64(0)
	push := func(k int) {
		for range k {
			seq++
			l.push(&event.Event{Seq: seq, Text: "x"}, 1)
		}
	}
	push(3*logBlock + 10)
	require.Equal(t, 3*logBlock+10, l.len())
	assert.Equal(t, uint64(1), l.at(0).ev.Seq)
	assert.Equal(t, uint64(logBlock+1), l.at(logBlock).ev.Seq)

	l.dropFront(logBlock + 5)
	assert.Equal(t, 2*logBlock+5, l.len())
	assert.Equal(t, uint64(logBlock+6), l.at(0).ev.Seq)
	assert.Len(t, l.blocks, 3, "the first block, wholly dropped, is gone")
	assert.Equal(t, 5, l.head)

	push(logBlock)
	evs := l.events(0, l.len())
	require.Len(t, evs, 3*logBlock+5)
	for i, ev := range evs {
		require.Equal(t, uint64(logBlock+6+i), ev.Seq, "event %d", i)
	}
	assert.Equal(t, []event.Event{}, l.events(2, 2))

	l.dropFront(l.len())
	assert.Zero(t, l.len())
	assert.Nil(t, l.blocks)
	push(1)
	assert.Equal(t, seq, l.at(0).ev.Seq)
}
