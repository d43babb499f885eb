//go:build js && wasm

package app

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/challenge"
)

// In the web edition the world runs on the in-process network: a
// challenge is checked there the same way, broken and then fixed.
func TestChallengeInTheWebEdition(t *testing.T) {
	a := New(Options{})
	defer a.Close()
	_, err := a.StartChallenge("spf-missing-mta", "en")
	require.NoError(t, err)
	st, err := a.CheckChallenge("en")
	require.NoError(t, err)
	assert.False(t, st.Met, "%+v %s", st.Goal, st.TestError)
	assert.Contains(t, st.Goal[0].Got, "spf=fail")
	c, _ := challenge.ByID("spf-missing-mta")
	_, err = a.OpenWorld(c.Fix)
	require.NoError(t, err)
	st, err = a.CheckChallenge("en")
	require.NoError(t, err)
	assert.True(t, st.Met, "%+v %s", st.Goal, st.TestError)
}
