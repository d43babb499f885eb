package challenge

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
	sim "maillab/simulator/challenge"
	"maillab/simulator/conductor"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// runWorld starts the world a file describes on loopback, runs the
// challenge's test in it and checks the goal.
func runWorld(t *testing.T, c Challenge, text string) (sim.Result, error) {
	t.Helper()
	spec, err := worldspec.Load(strings.NewReader(text))
	require.NoError(t, err)
	w, err := world.Start(world.Options{Mode: conductor.Instant, Spec: &spec})
	require.NoError(t, err)
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	runErr := sim.Run(ctx, w, c.Test)
	return sim.Check(w, c.Goal), runErr
}

func TestEightChallengesShip(t *testing.T) {
	assert.GreaterOrEqual(t, len(All()), 8)
	seen := map[int]bool{}
	for _, c := range All() {
		assert.False(t, seen[c.Order], "order %d twice", c.Order)
		seen[c.Order] = true
	}
}

// Every shipped challenge: the broken world fails its goal, the known fix
// passes it.
func TestBrokenFailsFixedPasses(t *testing.T) {
	for _, c := range All() {
		t.Run(c.ID, func(t *testing.T) {
			broken, err := runWorld(t, c, c.World)
			assert.False(t, broken.Met, "the broken world meets the goal: %+v (test: %v)", broken, err)
			fixed, err := runWorld(t, c, c.Fix)
			require.NoError(t, err)
			assert.True(t, fixed.Met, "the fix does not meet the goal: %+v", fixed)
			t.Logf("broken: %+v", broken.Facts)
		})
	}
}

// Title, task, every hint and the explanation exist in EN, DE and PL.
func TestTextsInEveryLanguage(t *testing.T) {
	for _, c := range All() {
		require.GreaterOrEqual(t, c.Hints, 2, c.ID)
		keys := []string{c.TitleKey(), c.TaskKey(), c.ExplanationKey()}
		for n := 1; n <= c.Hints; n++ {
			keys = append(keys, c.HintKey(n))
		}
		assert.False(t, i18n.Has(c.HintKey(c.Hints+1)), "%s has more hints than it lists", c.ID)
		for _, k := range keys {
			for _, lang := range []string{"en", "de", "pl"} {
				_, ok := i18n.Catalog(lang)[k]
				assert.True(t, ok, "%s missing in %s", k, lang)
			}
		}
	}
}
