package classroom_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/classroom"
)

// challengeRoom is a room whose host's changes are recorded and whose
// students poll for the room's challenge often.
type challengeRoom struct {
	*room
	mu      sync.Mutex
	changes []classroom.Change
}

func newChallengeRoom(t *testing.T, subnet int) *challengeRoom {
	t.Helper()
	cr := &challengeRoom{}
	h, err := classroom.StartHost(classroom.HostOptions{Room: "room42", Bind: fmt.Sprintf("127.88.%d.1", subnet),
		Code: "K7Q-M4P", JoinPort: -1, DNSPort: -1, Watch: func(c classroom.Change) {
			cr.mu.Lock()
			defer cr.mu.Unlock()
			cr.changes = append(cr.changes, c)
		}})
	if err != nil && strings.Contains(err.Error(), "assign requested address") {
		t.Skip("this system cannot bind 127.88.x.y (only Linux routes all of 127/8 to loopback)")
	}
	require.NoError(t, err)
	t.Cleanup(func() { h.Close() })
	cr.room = &room{t: t, net: subnet, host: h}
	return cr
}

// kinds are the kinds of the changes the host told of, in order, from
// the given ones only.
func (cr *challengeRoom) kinds(of ...string) []string {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	var out []string
	for _, c := range cr.changes {
		for _, k := range of {
			if c.Kind == k {
				out = append(out, k)
			}
		}
	}
	return out
}

// joinPolling joins a student that asks for the room's challenge every
// 20 ms and hands each change to the returned channel.
func (cr *challengeRoom) joinPolling(name string, n int) (*classroom.Student, <-chan classroom.Challenge) {
	cr.t.Helper()
	ch := make(chan classroom.Challenge, 16)
	s, err := classroom.Join(context.Background(), classroom.JoinOptions{Host: cr.host.JoinAddress(), Code: cr.host.Code(),
		Name: name, Bind: cr.addr(n), Password: "pw-" + name, ChallengePoll: 20 * time.Millisecond,
		OnChallenge: func(c classroom.Challenge) { ch <- c }})
	require.NoError(cr.t, err, "join %s", name)
	cr.t.Cleanup(s.Stop)
	return s, ch
}

func next(t *testing.T, ch <-chan classroom.Challenge) classroom.Challenge {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(wait):
		require.FailNow(t, "the student never learnt of the room's challenge")
		return classroom.Challenge{}
	}
}

func solvedNames(m classroom.Map) []string {
	var out []string
	for _, p := range m.Providers {
		if p.Solved {
			out = append(out, p.Name)
		}
	}
	return out
}

func TestRoomChallengeHandOutLearnSolveWithdraw(t *testing.T) {
	cr := newChallengeRoom(t, 41)
	ctx := context.Background()

	// Handed out before a student joins: the join brings it.
	first, err := cr.host.HandOut("mx-nowhere", "", "Where does Bob's mail go?")
	require.NoError(t, err)
	assert.Equal(t, 1, first.Round)
	anna, annaCh := cr.joinPolling("anna", 2)
	assert.Equal(t, first, anna.Challenge())
	ben, benCh := cr.joinPolling("ben", 3)

	// Handed out while the room runs: each student's poll learns of it.
	file := "maillab-challenge: 1\ntitle: Own\n"
	second, err := cr.host.HandOut("", file, "Own")
	require.NoError(t, err)
	assert.Equal(t, 2, second.Round)
	for _, ch := range []<-chan classroom.Challenge{annaCh, benCh} {
		got := next(t, ch)
		assert.Equal(t, second, got)
		assert.Equal(t, file, got.File)
	}
	m := cr.host.Map()
	require.NotNil(t, m.Challenge)
	assert.Equal(t, "Own", m.Challenge.Title)
	assert.Empty(t, m.Challenge.File, "the map carries the title, not the file")
	assert.Empty(t, solvedNames(m))

	// Solved: once on the map and in the host's changes, however often it is reported.
	require.NoError(t, anna.ReportSolved(ctx, second.Round))
	require.NoError(t, anna.ReportSolved(ctx, second.Round))
	status, _ := cr.post(t, 2, "/solved", anna.Token, map[string]int{"round": second.Round}) // replayed by hand
	assert.Equal(t, http.StatusNoContent, status)
	assert.Equal(t, []string{"anna"}, solvedNames(cr.host.Map()))
	assert.Equal(t, []string{"anna"}, cr.host.SolvedBy())
	assert.Equal(t, []string{classroom.HandedOut, classroom.HandedOut, classroom.Solved}, cr.kinds(classroom.HandedOut, classroom.Solved))

	// Withdrawn: the students learn it is gone, the solved marks go, and
	// a report of the round before is refused.
	cr.host.Withdraw()
	for _, ch := range []<-chan classroom.Challenge{annaCh, benCh} {
		got := next(t, ch)
		assert.True(t, got.None())
		assert.Equal(t, 3, got.Round)
	}
	assert.Nil(t, cr.host.Map().Challenge)
	assert.Empty(t, solvedNames(cr.host.Map()))
	status, er := cr.post(t, 3, "/solved", ben.Token, map[string]int{"round": second.Round})
	assert.Equal(t, http.StatusConflict, status)
	assert.Equal(t, "stale-challenge", er.Reason)
	cr.host.Withdraw() // nothing to withdraw: no new round
	assert.Equal(t, 3, cr.host.Challenge().Round)
	assert.Equal(t, []string{classroom.Withdrawn}, cr.kinds(classroom.Withdrawn))
}

func TestRoomChallengeReportsAreChecked(t *testing.T) {
	cr := newChallengeRoom(t, 42)
	c, err := cr.host.HandOut("spf-missing-mta", "", "SPF")
	require.NoError(t, err)
	anna, _ := cr.joinPolling("anna", 2)
	ben, _ := cr.joinPolling("ben", 3)
	round := map[string]int{"round": c.Round}
	tests := []struct {
		name   string
		from   int
		path   string
		token  string
		body   any
		status int
		reason string
	}{
		{"solved without a token", 2, "/solved", "", round, http.StatusUnauthorized, "not-joined"},
		{"solved with a guessed token", 2, "/solved", strings.Repeat("0", 36), round, http.StatusUnauthorized, "not-joined"},
		{"solved for a round never handed out", 2, "/solved", anna.Token, map[string]int{"round": 7}, http.StatusConflict, "stale-challenge"},
		{"solved, not JSON", 2, "/solved", anna.Token, "round 1", http.StatusBadRequest, "bad-request"},
		{"the challenge without a token", 3, "/challenge", "", map[string]int{"round": 0}, http.StatusUnauthorized, "not-joined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, er := cr.post(t, tc.from, tc.path, tc.token, tc.body)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.reason, er.Reason, er.Message)
		})
	}
	assert.Empty(t, solvedNames(cr.host.Map()), "no refused report marks anyone")
	assert.Empty(t, cr.kinds(classroom.Solved))

	// A student's token marks that student only.
	require.NoError(t, ben.ReportSolved(context.Background(), c.Round))
	assert.Equal(t, []string{"ben"}, solvedNames(cr.host.Map()))
	// The room's challenge as a student asks for it: unchanged is 204.
	status, _ := cr.post(t, 2, "/challenge", anna.Token, round)
	assert.Equal(t, http.StatusNoContent, status)
}

func TestRoomChallengeHandOutIsChecked(t *testing.T) {
	cr := newChallengeRoom(t, 43)
	tests := []struct{ name, id, file, title string }{
		{"neither", "", "", "x"},
		{"both", "mx-nowhere", "maillab-challenge: 1", "x"},
		{"an id with a slash", "../etc", "", "x"},
		{"a file too big", "", strings.Repeat("a", classroom.MaxChallengeBytes+1), "x"},
		{"a title of two lines", "mx-nowhere", "", "a\nb"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cr.host.HandOut(tc.id, tc.file, tc.title)
			assert.Error(t, err)
		})
	}
	assert.True(t, cr.host.Challenge().None())
	assert.Equal(t, 0, cr.host.Challenge().Round)
}
