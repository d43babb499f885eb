//go:build !(js && wasm)

package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "maillab/simulator/challenge"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// wrongDKIMKey is a DKIM key record of another key than the MSA's.
const wrongDKIMKey = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDc2U8UiYMMQWx0s3NIa4K4JCoJBYn+XOyywvSE6ajMDi3oNlTSCEjX7IH3PP+chh2McsURhFhXvmNlzj7VrBulc6phR4cZFjPUSNrNPtSsEmL1fKhd+5TbkelTaaCiA505LL7aCt9kySWem5P7wGjUCOWUAVBIa3Bxw4MF2HlqhQIDAQAB"

// setDKIMKey publishes key for example.org's DKIM selector (""; the MSA's own).
func setDKIMKey(t *testing.T, a *App, key string) {
	t.Helper()
	z, err := a.DNSZone("example.org")
	require.NoError(t, err, "DNSZone()")
	require.NotNil(t, z.DKIM)
	z.DKIM.Key = key
	z.DMARC = "v=DMARC1; p=reject; adkim=r; aspf=r"
	_, err = a.SetDNS("example.org", z)
	require.NoError(t, err, "SetDNS()")
}

func teacherDraft() ChallengeDraft {
	return ChallengeDraft{
		Title: "Alice's signature", Task: "Alice's mail to Bob is refused. Make it arrive.",
		Hints:       []string{"Read the MX's answer in the queue.", "Compare the DKIM key in example.org's zone with the MSA's."},
		Explanation: "The published DKIM key was not the MSA's: every signature failed, and DMARC p=reject refused the mail.",
		Test:        sim.Test{Device: "alice-laptop", To: "bob@example.net"},
		Goal:        sim.Goal{Delivered: &sim.Delivered{To: "bob@example.net", From: "alice@example.org", DKIM: "pass", DMARC: "pass"}},
	}
}

// A teacher breaks the running world in the settings, makes a challenge
// of it and saves it; a class opens the file: the check fails, the fix
// made through the same settings passes, with the teacher's explanation.
func TestTeacherChallengeMakeSaveOpenFix(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.Start(scenario.LiveID)
	require.NoError(t, err)
	setDKIMKey(t, a, wrongDKIMKey)

	path := filepath.Join(t.TempDir(), ChallengeFileName)
	a.opts.SaveDialog = func(name, kind, lang string) (string, error) {
		assert.Equal(t, ChallengeFileName, name)
		assert.Equal(t, "challenge", kind)
		return path, nil
	}
	got, err := a.SaveChallenge(teacherDraft(), "en")
	require.NoError(t, err, "SaveChallenge()")
	require.Equal(t, path, got)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(data)
	assert.True(t, strings.Contains(text, "\nmaillab-challenge: 1\n"), text)
	assert.Contains(t, text, wrongDKIMKey, "the world as it is now, fault included")
	if fi, err := os.Stat(path); assert.NoError(t, err) {
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "the world's passwords are in it")
	}

	// Another class, another day: a fresh world, then the file.
	def, err := worldspec.Marshal(world.DefaultSpec())
	require.NoError(t, err)
	_, err = a.OpenWorld(def)
	require.NoError(t, err)
	a.opts.OpenDialog = func(kind, lang string) (string, error) {
		assert.Equal(t, "challenge", kind)
		return path, nil
	}
	opened, err := a.OpenChallengeFile("de")
	require.NoError(t, err, "OpenChallengeFile()")
	st := *opened
	assert.Equal(t, "file", st.ID)
	assert.True(t, st.Own)
	assert.Equal(t, "Alice's signature", st.Title, "the teacher's own words, in any language")
	assert.Equal(t, 2, st.HintsTotal)
	assert.Empty(t, st.Hints)
	require.Len(t, st.Goal, 1)
	assert.Contains(t, st.Goal[0].Text, "DKIM pass")

	st, err = a.CheckChallenge("en")
	require.NoError(t, err)
	assert.True(t, st.Checked)
	assert.False(t, st.Met, "%+v", st)
	assert.Empty(t, st.Explanation)
	st, err = a.NextHint("en")
	require.NoError(t, err)
	assert.Equal(t, []string{"Read the MX's answer in the queue."}, st.Hints)

	setDKIMKey(t, a, "") // the MSA's own key again
	st, err = a.CheckChallenge("en")
	require.NoError(t, err)
	assert.True(t, st.Met, "%+v", st)
	assert.True(t, st.Solved)
	assert.Equal(t, teacherDraft().Explanation, st.Explanation)
	assert.Len(t, st.Hints, 1, "hints shown stay shown")
}

// A draft that cannot be played is refused with the field named; a file
// that cannot be used changes nothing.
func TestChallengeFileRefusals(t *testing.T) {
	a, _ := newTestApp(t)
	d := teacherDraft()
	d.Hints = append(d.Hints, " ")
	d.Goal.Delivered.To = "rob@example.net"
	_, err := a.ChallengeFile(d, "en")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "hints[2]: is empty")
	assert.Contains(t, err.Error(), `goal.delivered.to: "rob@example.net" is not an account of this world`)

	_, err = a.OpenChallenge("maillab-challenge: 1\ntitle: x\n", "en")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "task: is missing")
	st, err := a.ChallengeStatus("en")
	require.NoError(t, err)
	assert.Empty(t, st.ID, "nothing started")
}

// The goals one can choose name the running world's accounts and devices,
// in the language asked for; fetched-by devices check their mail in the test.
func TestChallengeGoalsAndMethods(t *testing.T) {
	a, _ := newTestApp(t)
	m := Methods(a)
	assert.False(t, m["challengeGoals"].control)
	assert.True(t, m["challengeFile"].control)
	assert.True(t, m["openChallenge"].control)

	out, err := m["challengeGoals"].run([]json.RawMessage{json.RawMessage(`"de"`)})
	require.NoError(t, err)
	g := out.(GoalChoices)
	var keys []string
	for _, f := range g.Facts {
		keys = append(keys, f.Key)
	}
	assert.Equal(t, []string{"delivered", "queue-empty", "fetched-by"}, keys)
	assert.Equal(t, "Eine E-Mail kommt an", g.Facts[0].Name)
	assert.Contains(t, g.Accounts, GoalOption{Value: "bob@example.net", Label: "bob@example.net"})
	assert.Contains(t, g.Devices, GoalOption{Value: "bob-phone", Label: "bob-phone (bob@example.net)"})
	assert.True(t, g.Facts[2].Params[0].Many)

	d := teacherDraft()
	d.Goal = sim.Goal{FetchedBy: []string{"bob-phone"}}
	raw, err := json.Marshal(d)
	require.NoError(t, err)
	out, err = m["challengeFile"].run([]json.RawMessage{raw, json.RawMessage(`"en"`)})
	require.NoError(t, err)
	text := out.(string)
	assert.Contains(t, text, "check:\n    - bob-phone", "the device the goal names checks its mail")
	out, err = m["openChallenge"].run([]json.RawMessage{mustJSON(t, text)})
	require.NoError(t, err)
	assert.Equal(t, "Alice's signature", out.(ChallengeStatus).Title)
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
