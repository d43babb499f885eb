//go:build !(js && wasm)

package app

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
	"maillab/simulator/netmap"
)

// roomFile is a teacher's challenge file: Bob's MX points nowhere.
const roomFile = `maillab-challenge: 1
title: Where does Bob's mail go?
task: Alice writes to Bob, but the mail never arrives.
hints: [Check the MX record of example.net.]
explanation: The MX record named a host that does not exist.
test: {device: alice-laptop, to: bob@example.net}
goal:
  delivered: {to: bob@example.net, from: alice@example.org}
world:
  maillab-world: 1
  providers:
    - domain: example.org
      accounts: [{address: alice@example.org, password: wonderland}]
    - domain: example.net
      accounts: [{address: bob@example.net, password: builder}]
      dns:
        mx: [{preference: 10, host: mx.nowhere.example.net}]
  devices:
    - {name: alice-laptop, account: alice@example.org, protocol: imap, security: starttls}
    - {name: bob-laptop, account: bob@example.net, protocol: pop3, security: starttls}
    - {name: bob-phone, account: bob@example.net, protocol: imap, security: implicit}
`

// The teacher's app hands out a shipped challenge; the student's app
// (another App in this process, as on another machine) joins the room,
// gets it, fixes it through the settings methods while its room provider
// keeps running, checks, and the host's room screen shows it solved.
// Then the teacher withdraws it and hands out a challenge file.
func TestRoomChallengeHandedOutSolvedAndWithdrawn(t *testing.T) {
	host, _ := newTestApp(t)
	screen, err := host.HostRoom(RoomOptions{Room: "room42", Bind: "127.0.0.1", Code: "K7Q-M4P", JoinPort: -1, DNSPort: -1,
		PortOffset: freeOffset(t)}, "en")
	require.NoError(t, err)
	_, err = host.HandOutChallenge("no-such-challenge", "en")
	require.Error(t, err)
	screen, err = host.HandOutChallenge("mx-nowhere", "de")
	require.NoError(t, err)
	require.NotNil(t, screen.Challenge)
	assert.Equal(t, i18n.T("de", "challenge.mx-nowhere.title", nil), screen.Challenge.Title)
	assert.Equal(t, RoomChallenge{Round: 1, ID: "mx-nowhere", Title: screen.Challenge.Title, Solved: 0, Of: 0,
		SolvedLine: i18n.T("de", "ui.room.solved-count", map[string]string{"n": "0", "m": "0"})}, *screen.Challenge)

	student := New(Options{BatchEvery: 5 * time.Millisecond, RoomPoll: 20 * time.Millisecond})
	t.Cleanup(func() { student.Close() })
	pushes := &recorder{}
	HubOf(student).Subscribe(pushes.add)
	openPushes := func() []any {
		pushes.mu.Lock()
		defer pushes.mu.Unlock()
		var out []any
		for _, m := range pushes.msgs {
			if m.Name == EventOpen {
				out = append(out, m.Data)
			}
		}
		return out
	}
	rs, err := student.JoinRoom(screen.JoinAddress, screen.Code, "anna", "en")
	require.NoError(t, err)
	require.True(t, rs.Joined)

	// The join brought the challenge: it runs, and the room provider with it.
	st, err := student.ChallengeStatus("en")
	require.NoError(t, err)
	assert.Equal(t, "mx-nowhere", st.ID)
	assert.True(t, st.Room, "the Challenges dialog shows it as the room's")
	assert.Equal(t, []any{"challenges"}, openPushes(), "the window opens the Challenges dialog")
	rs, err = student.RoomStatus("en")
	require.NoError(t, err)
	assert.True(t, rs.Joined, "starting the room's challenge keeps the student in the room")
	info, err := student.Run()
	require.NoError(t, err)
	nodes := map[string]bool{}
	for _, n := range info.Nodes {
		nodes[n.ID] = true
	}
	assert.True(t, nodes["mx.anna.room42.test"] && nodes[netmap.RoomDNS], "the room provider runs beside the challenge's world")
	z, err := student.DNSZone("example.net")
	require.NoError(t, err)
	assert.Equal(t, "mx1.example.net", z.MX[0].Host, "the challenge's broken world runs")

	st, err = student.CheckChallenge("en")
	require.NoError(t, err)
	require.False(t, st.Met, "broken: %+v", st.Goal)
	assert.False(t, st.Reported)
	challengeFixes["mx-nowhere"](t, student)
	st, err = student.CheckChallenge("en")
	require.NoError(t, err)
	require.True(t, st.Met, "fixed: %+v %s", st.Goal, st.TestError)
	assert.True(t, st.Reported, "the host took the report")
	_, err = student.CheckChallenge("en") // once more: the host counts it once
	require.NoError(t, err)

	screen, err = host.RoomScreen("en", 0)
	require.NoError(t, err)
	require.NotNil(t, screen.Challenge)
	assert.Equal(t, 1, screen.Challenge.Solved)
	assert.Equal(t, 1, screen.Challenge.Of)
	assert.Equal(t, "1 of 1 solved", screen.Challenge.SolvedLine)
	require.Len(t, screen.Nodes, 1)
	assert.True(t, screen.Nodes[0].Solved)
	var solvedEntries int
	for _, e := range screen.Entries {
		if e.Kind == "solved" {
			solvedEntries++
			assert.Equal(t, "anna.room42.test", e.Domain)
		}
	}
	assert.Equal(t, 1, solvedEntries, "one entry, however often it is reported")

	// Withdrawn: the student's poll stops the room's challenge.
	require.NoError(t, host.WithdrawChallenge())
	require.Eventually(t, func() bool { st, _ := student.ChallengeStatus("en"); return st.ID == "" }, roomWait, 10*time.Millisecond)
	require.Eventually(t, func() bool { return len(openPushes()) == 2 }, roomWait, 10*time.Millisecond)
	assert.Equal(t, []any{"challenges", ChallengesChanged}, openPushes(), "an open dialog hears it is gone")
	screen, _ = host.RoomScreen("en", 0)
	assert.Nil(t, screen.Challenge)
	assert.False(t, screen.Nodes[0].Solved)

	// A teacher's file, handed out while the room runs: the poll starts it.
	_, err = host.HandOutChallengeText("maillab-challenge: 1\ntitle: x\n", "en")
	require.Error(t, err, "a file that cannot be played is not handed out")
	screen, err = host.HandOutChallengeText(roomFile, "en")
	require.NoError(t, err)
	assert.True(t, screen.Challenge.Own)
	assert.Equal(t, "Where does Bob's mail go?", screen.Challenge.Title)
	require.Eventually(t, func() bool { st, _ := student.ChallengeStatus("en"); return st.Own && st.Room }, roomWait, 10*time.Millisecond)
	rs, _ = student.RoomStatus("en")
	assert.True(t, rs.Joined)
}

func TestRoomChallengeMethodsNeedControl(t *testing.T) {
	a, _ := newTestApp(t)
	m := Methods(a)
	for _, name := range []string{"handOutChallenge", "handOutChallengeText", "withdrawChallenge"} {
		c, ok := m[name]
		require.True(t, ok, name)
		assert.True(t, c.control, name)
	}
	_, err := a.HandOutChallenge("mx-nowhere", "en")
	require.Error(t, err, "no room open")
	assert.True(t, strings.Contains(err.Error(), i18n.T("en", "ui.room.error.not-open", nil)))
}
