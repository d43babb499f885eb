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
	require.GreaterOrEqual(t, len(list), 9)
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

	require.NoError(t, a.SetAccountQuota("bob@example.net", "10MiB", "en"))
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

// policyOf is a provider's policy as the World settings dialog has it.
func policyOf(t *testing.T, a *App, domain string) PolicySettings {
	t.Helper()
	s, err := a.WorldSettings()
	require.NoError(t, err)
	return providerOf(t, s, domain).Policy
}

// challengeFixes are the fixes a learner makes in the World settings while
// the world runs (the app's settings methods, as the dialog calls them):
// one for every shipped challenge, the one its explanation names.
var challengeFixes = map[string]func(t *testing.T, a *App){
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
	"submission-no-starttls": func(t *testing.T, a *App) {
		require.NoError(t, a.SetDevice("alice-laptop", DeviceSettings{Protocol: "imap", Security: "starttls"}, "en"))
	},
	"mailbox-full": func(t *testing.T, a *App) {
		require.NoError(t, a.SetAccountQuota("bob@example.net", "10MiB", "en"))
	},
	"pop3-deletes": func(t *testing.T, a *App) {
		require.NoError(t, a.SetDevice("bob-laptop", DeviceSettings{Protocol: "pop3", Security: "starttls", LeaveOnServer: true}, "en"))
	},
	"tls-not-offered": func(t *testing.T, a *App) {
		pol := policyOf(t, a, "example.net")
		pol.StartTLS = "offered"
		require.NoError(t, a.SetPolicy("example.net", pol, "en"))
	},
	"greylist-queue-expires": func(t *testing.T, a *App) {
		pol := policyOf(t, a, "example.org")
		pol.QueueLifetime = "1h"
		require.NoError(t, a.SetPolicy("example.org", pol, "en"))
	},
}

// Every shipped challenge is fixed through the settings while the world
// runs: the broken world fails the goal, the fix passes it (the mail the
// fault held back is tried again at the check).
func TestChallengesFixedWhileRunning(t *testing.T) {
	for _, c := range challenge.All() {
		t.Run(c.ID, func(t *testing.T) {
			fix, ok := challengeFixes[c.ID]
			require.True(t, ok, "no fix through the settings for %s", c.ID)
			a, _ := newTestApp(t)
			_, err := a.StartChallenge(c.ID, "en")
			require.NoError(t, err)
			st, err := a.CheckChallenge("en")
			require.NoError(t, err)
			require.False(t, st.Met, "broken: %+v", st.Goal)
			fix(t, a)
			st, err = a.CheckChallenge("en")
			require.NoError(t, err)
			assert.True(t, st.Met, "fixed: %+v %s", st.Goal, st.TestError)
			assert.True(t, st.Solved)
		})
	}
}

// The other fix of the greylisting challenge: a shorter greylisting delay
// at Bob's provider. The broken run's bounce is what Postfix sends for
// mail that expired in the queue.
func TestGreylistChallengeShorterDelay(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.StartChallenge("greylist-queue-expires", "en")
	require.NoError(t, err)
	st, err := a.CheckChallenge("en")
	require.NoError(t, err)
	require.False(t, st.Met)
	assert.Contains(t, st.Goal[0].Got, "Greylisted")
	var expired bool
	for _, ev := range a.run.World.Conductor.Log() {
		if ev.Code == "state.queue-expired" {
			expired = true
			assert.Equal(t, "21m", ev.Params["age"])
		}
	}
	assert.True(t, expired, "the transcript says the mail expired")
	pol := policyOf(t, a, "example.net")
	pol.GreylistDelay = "1m"
	require.NoError(t, a.SetPolicy("example.net", pol, "en"))
	st, err = a.CheckChallenge("en")
	require.NoError(t, err)
	assert.True(t, st.Met, "%+v %s", st.Goal, st.TestError)
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
