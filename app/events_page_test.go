//go:build !(js && wasm)

package app

import (
	"encoding/json"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
)

// Paging through a finished run gives the same events as one big page, in
// order, each once; More says when to stop.
func TestEventsArePaged(t *testing.T) {
	a, _ := newTestApp(t)
	finishedRun(t, a)
	all, err := a.Events(0, MaxEventsPage)
	require.NoError(t, err)
	require.False(t, all.More)
	require.Greater(t, len(all.Events), 20)

	var got []Line
	since, pages := uint64(0), 0
	for {
		page, err := a.Events(since, 7)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Events), 7)
		pages++
		got = append(got, page.Events...)
		if !page.More {
			break
		}
		since = page.Events[len(page.Events)-1].Seq
		require.Less(t, pages, 1000, "paging ends")
	}
	require.Equal(t, len(all.Events), len(got))
	for i := range got {
		assert.Equal(t, all.Events[i].Seq, got[i].Seq)
	}
	assert.Equal(t, all.Last, got[len(got)-1].Seq)
	assert.Equal(t, (len(got)+6)/7, pages)

	d := NewDispatcher(a)
	var reply struct {
		Result EventPage `json:"result"`
	}
	require.NoError(t, json.Unmarshal([]byte(d.Call("events", "[0, 3]")), &reply))
	assert.Len(t, reply.Result.Events, 3, "the method table takes the page size")
	assert.True(t, reply.Result.More)
	require.NoError(t, json.Unmarshal([]byte(d.Call("events", "[0]")), &reply))
	assert.Len(t, reply.Result.Events, min(len(all.Events), DefaultEventsPage), "a page by default")
}

// Lines of one TLS record are sent with the record once: later lines
// name the line that carries it.
func TestPagesShareTLSRecords(t *testing.T) {
	a, _ := newTestApp(t)
	finishedRun(t, a)
	page, err := a.Events(0, MaxEventsPage)
	require.NoError(t, err)
	bySeq := map[uint64]Line{}
	shared := 0
	for _, l := range page.Events {
		bySeq[l.Seq] = l
		if l.WireSeq == 0 {
			continue
		}
		shared++
		assert.Empty(t, l.Wire, "step %d names its record instead", l.Seq)
		carrier, ok := bySeq[l.WireSeq]
		require.True(t, ok, "step %d: the carrier comes earlier in the page", l.Seq)
		full, err := a.Line(l.Seq)
		require.NoError(t, err)
		assert.Equal(t, full.Wire, carrier.Wire, "step %d: the same record", l.Seq)
	}
	assert.NotZero(t, shared, "send-pop3's STARTTLS sessions carry several lines per record")
}

// A run that outgrew its budget says where its kept log starts.
func TestEventsSayWhatWasDropped(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.Start("send-pop3")
	require.NoError(t, err)
	c, err := a.conductor()
	require.NoError(t, err)
	c.SetLimits(conductor.Limits{RunBytes: 64 << 10})
	require.NoError(t, a.Play(1))
	require.Eventually(t, func() bool { return c.Dropped().Events > 0 }, 30*time.Second, 5*time.Millisecond)
	page, err := a.Events(0, 10)
	require.NoError(t, err)
	require.NotEmpty(t, page.Events)
	assert.Equal(t, page.Dropped+1, page.First)
	assert.Equal(t, page.First, page.Events[0].Seq, "a page from 0 starts at the oldest kept event")
	_, err = a.Line(1)
	assert.Error(t, err, "a dropped step is gone")
}

// A reset lets go of the old run: its conductor (log, chunks), world and
// explanations are collected, nothing keeps them.
func TestResetFreesTheOldRun(t *testing.T) {
	a := New(Options{BatchEvery: 5 * time.Millisecond})
	t.Cleanup(func() { a.Close() })
	finishedRun(t, a)
	a.mu.Lock()
	oldRun, oldConductor, oldNotes := weak.Make(a.run), weak.Make(a.run.World.Conductor), weak.Make(a.notes)
	a.mu.Unlock()
	require.NotZero(t, oldConductor.Value().Len())

	_, err := a.Reset()
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		runtime.GC()
		return oldRun.Value() == nil && oldConductor.Value() == nil && oldNotes.Value() == nil
	}, 20*time.Second, 20*time.Millisecond, "the old run is collected after a reset")
}
