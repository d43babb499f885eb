package scenario

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/mua"
	"maillab/simulator/world"
)

// "Delete from server after N days": a POP3 client that leaves copies
// deletes, at a check, what it downloaded at least N days ago by the
// world's clock — not before — and the phone over IMAP no longer finds it.
func TestPOP3DeleteAfterDays(t *testing.T) {
	w := clientWorld(t, world.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	send := func(subject string) {
		d := mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Subject: subject, Body: "Hi\r\n"}
		require.NoError(t, ClientSend(ctx, w, "alice-laptop", d, RouteSubmission))
	}
	check := func() {
		require.NoError(t, ClientCheckWith(ctx, w, "bob-laptop",
			CheckOptions{Protocol: "pop3", LeaveOnServer: true, DeleteAfterDays: 14}))
	}
	onServer := func() int { return len(netInbox(t, w, "bob@example.net")) }

	send("Old news")
	check()
	require.Equal(t, 1, onServer(), "a copy stays on the server")
	require.NoError(t, w.PassTime(ctx, 10*24*time.Hour))
	send("Fresh news")
	check()
	assert.Equal(t, 2, onServer(), "10 days: nothing is old enough")

	require.NoError(t, w.PassTime(ctx, 4*24*time.Hour))
	check()
	assert.Equal(t, 1, onServer(), "14 days after its download the first goes")
	msgs := w.Device("bob-laptop").Messages()
	require.Len(t, msgs, 2, "the laptop keeps both")
	assert.False(t, msgs[0].OnServer)
	assert.True(t, msgs[1].OnServer)

	var deleted, passed []map[string]string
	for _, ev := range w.Conductor.Log() {
		switch {
		case ev.Kind == event.KindState && ev.Code == "state.pop3-deleted-old":
			deleted = append(deleted, ev.Params)
		case ev.Kind == event.KindState && ev.Code == "state.time-passed":
			passed = append(passed, ev.Params)
		}
	}
	assert.Equal(t, []map[string]string{{"count": "1", "days": "14"}}, deleted)
	assert.Equal(t, []map[string]string{{"duration": "10d"}, {"duration": "4d"}}, passed)
	assert.True(t, clientLineSent(w, "DELE 1"), "DELE on the wire")
}

func clientLineSent(w *world.World, text string) bool {
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindLine && ev.Text == text {
			return true
		}
	}
	return false
}
