package challenge

import (
	"context"
	"reflect"
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

// startWorld starts the world a file describes on loopback.
func startWorld(t *testing.T, text string) *world.World {
	t.Helper()
	spec, err := worldspec.Load(strings.NewReader(text))
	require.NoError(t, err)
	w, err := world.Start(world.Options{Mode: conductor.Instant, Spec: &spec})
	require.NoError(t, err)
	t.Cleanup(func() { w.Close() })
	return w
}

// check runs the challenge's test in w and checks the goal.
func check(t *testing.T, w *world.World, c Challenge) (sim.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	runErr := sim.Run(ctx, w, c.Test)
	return sim.Check(w, c.Goal), runErr
}

func TestNineChallengesShip(t *testing.T) {
	assert.GreaterOrEqual(t, len(All()), 9)
	seen := map[int]bool{}
	for _, c := range All() {
		assert.False(t, seen[c.Order], "order %d twice", c.Order)
		seen[c.Order] = true
	}
}

// applyFix makes the running world what the fix file describes, through
// the settings a mail administrator changes while it runs — each
// provider's DNS zone, server policy and account quotas, each device's
// settings — never by starting the fixed world. It returns the calls it
// made, and fails on a difference no setting can make.
func applyFix(t *testing.T, w *world.World, fixText string) []string {
	t.Helper()
	fix, err := worldspec.Load(strings.NewReader(fixText))
	require.NoError(t, err)
	var calls []string
	for _, fp := range fix.Providers {
		cur := w.Spec()
		p := cur.Provider(fp.Domain)
		require.NotNil(t, p, fp.Domain)
		if z := fp.DNSOf(); !reflect.DeepEqual(z, w.DNSOf(fp.Domain)) {
			require.NoError(t, w.SetDNS(fp.Domain, z))
			calls = append(calls, "SetDNS "+fp.Domain)
		}
		if !reflect.DeepEqual(fp.Policy, p.Policy) {
			require.NoError(t, w.SetPolicy(fp.Domain, fp.Policy))
			calls = append(calls, "SetPolicy "+fp.Domain)
		}
		require.Len(t, fp.Accounts, len(p.Accounts), "%s: accounts", fp.Domain)
		for i, a := range fp.Accounts {
			require.Equal(t, p.Accounts[i].Address, a.Address)
			require.Equal(t, p.Accounts[i].Password, a.Password)
			if a.Quota != p.Accounts[i].Quota {
				require.NoError(t, w.SetAccountQuota(a.Address, a.Quota))
				calls = append(calls, "SetAccountQuota "+a.Address)
			}
		}
	}
	for _, d := range fix.Devices {
		cur := w.Spec()
		if !reflect.DeepEqual(d, *cur.Device(d.Name)) {
			require.NoError(t, w.SetDevice(d.Name, d))
			calls = append(calls, "SetDevice "+d.Name)
		}
	}
	after, want := w.Spec(), fix.Clone()
	after.Title, want.Title = "", ""
	after.Mailboxes, want.Mailboxes = nil, nil // what the tests delivered
	require.Equal(t, want, after, "the running world is now the fixed one")
	return calls
}

// Every shipped challenge: the broken world fails its goal; the known fix
// (files/<id>.fix.yaml), applied to the running world through the
// settings it changes while it runs, passes it.
func TestBrokenFailsFixedPasses(t *testing.T) {
	for _, c := range All() {
		t.Run(c.ID, func(t *testing.T) {
			w := startWorld(t, c.World)
			broken, err := check(t, w, c)
			assert.False(t, broken.Met, "the broken world meets the goal: %+v (test: %v)", broken, err)
			calls := applyFix(t, w, c.Fix)
			require.NotEmpty(t, calls)
			fixed, err := check(t, w, c)
			require.NoError(t, err)
			assert.True(t, fixed.Met, "the fix (%v) does not meet the goal: %+v", calls, fixed)
			t.Logf("broken: %+v; fixed by %v", broken.Facts, calls)
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
