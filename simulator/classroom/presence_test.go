package classroom_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/classroom"
)

// Presence on the room map: a student's Maillab says it is there every
// heartbeat; one silent for classroom.MissedBeats of them is "not
// answering" until its next word. The host's clock is a fake one the
// tests move, so nothing waits for a heartbeat.

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// changes collects the host's changes.
type changes struct {
	mu  sync.Mutex
	all []classroom.Change
}

func (c *changes) watch(ch classroom.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all = append(c.all, ch)
}

// of lists "kind domain" of the presence changes, in order.
func (c *changes) of(kinds ...string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, ch := range c.all {
		for _, k := range kinds {
			if ch.Kind == k {
				out = append(out, ch.Kind+" "+ch.Provider.Domain)
			}
		}
	}
	return out
}

// presenceRoom is a room on 127.88.<subnet>.1 with a fake clock.
func presenceRoom(t *testing.T, subnet int, heartbeat time.Duration) (*room, *fakeClock, *changes) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	seen := &changes{}
	h, err := classroom.StartHost(classroom.HostOptions{Room: "room42", Bind: fmt.Sprintf("127.88.%d.1", subnet),
		Code: "K7Q-M4P", JoinPort: -1, DNSPort: -1, Now: clock.Now, Heartbeat: heartbeat, Watch: seen.watch})
	if err != nil && strings.Contains(err.Error(), "assign requested address") {
		t.Skip("this system cannot bind 127.88.x.y (only Linux routes all of 127/8 to loopback)")
	}
	require.NoError(t, err)
	t.Cleanup(func() { h.Close() })
	return &room{t: t, net: subnet, host: h}, clock, seen
}

func silentOnMap(m classroom.Map) map[string]bool {
	out := map[string]bool{}
	for _, p := range m.Providers {
		out[p.Name] = p.Silent
	}
	return out
}

func TestSilentStudentIsNotAnswering(t *testing.T) {
	r, clock, seen := presenceRoom(t, 66, 0)
	anna := r.join("anna", 2)
	ben := r.join("ben", 3)
	ctx := context.Background()

	clock.Add(classroom.MissedBeats * classroom.DefaultHeartbeat)
	r.host.CheckPresence()
	assert.Equal(t, map[string]bool{"anna": false, "ben": false}, silentOnMap(r.host.Map()), "three heartbeats are not yet too long")

	clock.Add(time.Second)
	require.NoError(t, anna.Alive(ctx))
	r.host.CheckPresence()
	r.host.CheckPresence()
	assert.Equal(t, map[string]bool{"anna": false, "ben": true}, silentOnMap(r.host.Map()))
	assert.Equal(t, []string{"silent ben.room42.test"}, seen.of(classroom.Silent, classroom.Back), "said once")

	require.NoError(t, ben.Alive(ctx))
	assert.Equal(t, map[string]bool{"anna": false, "ben": false}, silentOnMap(r.host.Map()))
	assert.Equal(t, []string{"silent ben.room42.test", "back ben.room42.test"}, seen.of(classroom.Silent, classroom.Back))

	// A delivery report is a word too.
	clock.Add(time.Hour)
	r.host.CheckPresence()
	assert.Equal(t, map[string]bool{"anna": true, "ben": true}, silentOnMap(r.host.Map()))
	send(t, anna, "still-here", ben.Account)
	inbox(t, ben, 1)
	require.Eventually(t, func() bool { return !silentOnMap(r.host.Map())["anna"] }, wait, 10*time.Millisecond,
		"anna's report of her delivery says she is there")

	// A Maillab that stops without leaving falls silent and stays on the
	// map; joining again from its address brings it back online.
	ben.Stop()
	clock.Add(time.Hour)
	r.host.CheckPresence()
	assert.True(t, silentOnMap(r.host.Map())["ben"])
	r.join("ben", 3)
	assert.False(t, silentOnMap(r.host.Map())["ben"])
}

// The student's Maillab sends the heartbeat on its own, at the interval
// the host gives in the join reply.
func TestHeartbeatBringsAStudentBack(t *testing.T) {
	r, clock, seen := presenceRoom(t, 67, 20*time.Millisecond)
	r.join("anna", 2)
	require.Eventually(t, func() bool {
		clock.Add(time.Minute)
		r.host.CheckPresence()
		return len(seen.of(classroom.Silent)) > 0
	}, wait, 5*time.Millisecond, "anna falls silent when the host's clock jumps")
	require.Eventually(t, func() bool {
		got := seen.of(classroom.Silent, classroom.Back)
		return got[len(got)-1] == "back anna.room42.test"
	}, wait, 5*time.Millisecond, "anna's next heartbeat brings her back")
}

func TestAliveNeedsTheToken(t *testing.T) {
	r, _, _ := presenceRoom(t, 68, 0)
	anna := r.join("anna", 2)
	require.NoError(t, anna.Leave(context.Background()))
	var je *classroom.JoinError
	require.ErrorAs(t, anna.Alive(context.Background()), &je)
	assert.Equal(t, "not-joined", je.Reason)
}
