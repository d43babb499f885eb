//go:build !(js && wasm)

package app

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/classroom"
)

// A provider that stops answering shows so on the room screen, in the
// counts and the log, until it answers again; one that left stays off.
func TestRoomNotAnswering(t *testing.T) {
	a, _ := newTestApp(t)
	hostTestRoom(t, a)
	r := &a.room
	at := time.Now()
	anna := &classroom.Provider{Name: "anna", Domain: "anna.room7.test", Address: "10.0.0.2", Joined: at}
	ben := &classroom.Provider{Name: "ben", Domain: "ben.room7.test", Address: "10.0.0.3", Joined: at}
	r.watch(classroom.Change{Kind: classroom.Joined, Provider: anna})
	r.watch(classroom.Change{Kind: classroom.Joined, Provider: ben})
	screen := func() RoomScreen {
		s, err := a.RoomScreen("en", 0)
		require.NoError(t, err)
		return s
	}
	for _, tc := range []struct {
		change       classroom.Change
		kind         string
		annaSilent   bool
		online, mute int
	}{
		{classroom.Change{Kind: classroom.Silent, Provider: anna}, RoomSilent, true, 1, 1},
		{classroom.Change{Kind: classroom.Back, Provider: anna}, RoomBack, false, 2, 0},
		{classroom.Change{Kind: classroom.Silent, Provider: anna}, RoomSilent, true, 1, 1},
		// Joining again (a Maillab started anew) is online.
		{classroom.Change{Kind: classroom.Joined, Provider: anna}, RoomJoined, false, 2, 0},
	} {
		r.watch(tc.change)
		s := screen()
		assert.Equal(t, tc.annaSilent, s.Nodes[0].Silent, tc.kind)
		assert.Equal(t, tc.online, s.Counts.Online, tc.kind)
		assert.Equal(t, tc.mute, s.Counts.Silent, tc.kind)
		last := s.Entries[len(s.Entries)-1]
		assert.Equal(t, tc.kind, last.Kind)
		assert.Equal(t, anna.Domain, last.Domain)
	}
	r.watch(classroom.Change{Kind: classroom.Left, Provider: ben})
	before := screen().Last
	r.watch(classroom.Change{Kind: classroom.Silent, Provider: ben})
	s := screen()
	assert.Equal(t, before, s.Last, "one who left is no longer watched")
	assert.False(t, s.Nodes[1].Online)
	assert.False(t, s.Nodes[1].Silent)
}
