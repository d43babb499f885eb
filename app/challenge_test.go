//go:build !(js && wasm)

package app

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/challenge"
	"maillab/simulator/scenario"
)

func TestChallengesList(t *testing.T) {
	a, _ := newTestApp(t)
	list, err := a.Challenges("de")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(list), 8)
	assert.Equal(t, "mx-nowhere", list[0].ID)
	assert.Equal(t, "Der MX, den es nicht gibt", list[0].Title)
	assert.Equal(t, 3, list[0].Hints)
}

// A challenge from start to solved through the app: the broken world
// fails the goal, hints come one at a time, the fixed world file opened
// with openWorld passes and the explanation appears.
func TestChallengeStartCheckHintFix(t *testing.T) {
	a, _ := newTestApp(t)
	st, err := a.ChallengeStatus("en")
	require.NoError(t, err)
	assert.Empty(t, st.ID, "none runs yet")
	_, err = a.CheckChallenge("en")
	require.Error(t, err, "nothing to check")
	_, err = a.StartChallenge("no-such", "en")
	require.Error(t, err)

	_, err = a.Start("send-pop3") // a stepped lesson: the challenge replaces it with the live world
	require.NoError(t, err)
	st, err = a.StartChallenge("mailbox-full", "en")
	require.NoError(t, err)
	assert.Equal(t, "mailbox-full", st.ID)
	assert.Equal(t, "Bob's mailbox is full", st.Title)
	assert.Equal(t, scenario.LiveID, a.scenario)
	assert.False(t, st.Checked)
	require.Len(t, st.Goal, 2)
	assert.Equal(t, "A mail from alice@example.org is in the inbox of bob@example.net", st.Goal[0].Text)
	assert.Empty(t, st.Hints)

	st, err = a.CheckChallenge("en")
	require.NoError(t, err)
	assert.True(t, st.Checked)
	assert.False(t, st.Met)
	assert.False(t, st.Solved)
	assert.Empty(t, st.Explanation, "no explanation before it is solved")
	assert.Contains(t, st.Goal[0].Got, "552 5.2.2", "the bounce's reply is shown")

	for n := 1; n <= 4; n++ {
		st, err = a.NextHint("pl")
		require.NoError(t, err)
		assert.Len(t, st.Hints, min(n, 3))
	}
	assert.Contains(t, st.Hints[1], "5.2.2 oznacza")

	c, _ := challenge.ByID("mailbox-full")
	_, err = a.OpenWorld(c.Fix)
	require.NoError(t, err)
	st, err = a.CheckChallenge("de")
	require.NoError(t, err)
	assert.True(t, st.Met, "%+v", st)
	assert.True(t, st.Solved)
	assert.True(t, st.Goal[0].Met)
	assert.Len(t, st.Hints, 3, "hints stay shown")
	assert.Contains(t, st.Explanation, "Gelöst.")
}

// The method table: lang may be left out; the controls need the token.
func TestChallengeMethods(t *testing.T) {
	a, _ := newTestApp(t)
	m := Methods(a)
	for _, name := range []string{"startChallenge", "checkChallenge", "nextHint"} {
		assert.True(t, m[name].control, name)
	}
	assert.False(t, m["challenges"].control)
	assert.False(t, m["challengeStatus"].control)
	out, err := m["challenges"].run(nil)
	require.NoError(t, err)
	assert.Equal(t, "The MX that is not there", out.([]ChallengeInfo)[0].Title)
	out, err = m["startChallenge"].run([]json.RawMessage{json.RawMessage(`"pop3-deletes"`)})
	require.NoError(t, err)
	assert.Equal(t, "pop3-deletes", out.(ChallengeStatus).ID)
	out, err = m["checkChallenge"].run(nil)
	require.NoError(t, err)
	st := out.(ChallengeStatus)
	assert.False(t, st.Met)
	assert.False(t, st.Goal[2].Met, "the phone has nothing")
}

// The fixes a mail administrator makes while the world runs — the DNS
// zone (setDNS) and an account's quota — solve the challenges whose fault
// they are; the mail the fault held back is tried again at the check.
func TestChallengesFixedWhileRunning(t *testing.T) {
	fixes := map[string]func(t *testing.T, a *App){
		"mx-nowhere": func(t *testing.T, a *App) {
			z, err := a.DNSZone("example.net")
			require.NoError(t, err)
			z.MX[0].Host = "mx.example.net"
			_, err = a.SetDNS("example.net", z)
			require.NoError(t, err)
		},
		"mx-backup-first": func(t *testing.T, a *App) {
			z, err := a.DNSZone("example.net")
			require.NoError(t, err)
			z.MX[0].Preference, z.MX[1].Preference = 30, 10
			_, err = a.SetDNS("example.net", z)
			require.NoError(t, err)
		},
		"spf-missing-mta": func(t *testing.T, a *App) {
			z, err := a.DNSZone("example.org")
			require.NoError(t, err)
			z.SPF = "v=spf1 a:smtp.example.org -all"
			_, err = a.SetDNS("example.org", z)
			require.NoError(t, err)
		},
		"dkim-broken-key": func(t *testing.T, a *App) {
			z, err := a.DNSZone("example.org")
			require.NoError(t, err)
			z.DKIM.Key = ""
			_, err = a.SetDNS("example.org", z)
			require.NoError(t, err)
		},
		"mailbox-full": func(t *testing.T, a *App) {
			require.NoError(t, a.currentRun().World.SetAccountQuota("bob@example.net", 10<<20))
		},
	}
	for id, fix := range fixes {
		t.Run(id, func(t *testing.T) {
			a, _ := newTestApp(t)
			_, err := a.StartChallenge(id, "en")
			require.NoError(t, err)
			st, err := a.CheckChallenge("en")
			require.NoError(t, err)
			require.False(t, st.Met, "broken: %+v", st.Goal)
			fix(t, a)
			st, err = a.CheckChallenge("en")
			require.NoError(t, err)
			assert.True(t, st.Met, "fixed: %+v %s", st.Goal, st.TestError)
		})
	}
}

// A test that stops early says which step, in the learner's language,
// with the server's reply as it is.
func TestChallengeTestErrorInWords(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.StartChallenge("submission-no-starttls", "de")
	require.NoError(t, err)
	st, err := a.CheckChallenge("de")
	require.NoError(t, err)
	assert.False(t, st.Met)
	assert.Contains(t, st.TestError, "alice-laptop konnte die Test-E-Mail nicht senden: ")
	assert.Contains(t, st.TestError, "Must issue a STARTTLS command first")
}
