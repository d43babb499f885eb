package scenario

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// scenarioFile is the world file of a scenario's world, and the options
// that are not configuration (its clock) which the scenario also sets.
func scenarioFile(t *testing.T, sc Scenario) (string, world.Options) {
	t.Helper()
	o := world.Options{Now: goldenClock}
	if sc.World != nil {
		sc.World(&o)
	}
	text, err := worldspec.Marshal(o.EffectiveSpec())
	require.NoError(t, err)
	return text, world.Options{Now: o.Now, Clock: o.Clock}
}

// Every scenario's world is a world file: saved and loaded, it is the
// same world, and the scenario run in it alone (without the scenario's
// own world options) gives the golden transcript.
func TestEveryScenarioWorldIsAWorldFile(t *testing.T) {
	for _, sc := range All() {
		t.Run(sc.ID, func(t *testing.T) {
			text, hooks := scenarioFile(t, sc)
			spec, err := worldspec.Load(strings.NewReader(text))
			require.NoError(t, err, text)

			opts := hooks
			opts.Mode, opts.Spec = conductor.Instant, &spec
			w, err := world.Start(opts)
			require.NoError(t, err)
			r := &Run{Scenario: sc, World: w, done: make(chan struct{})}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			r.cancel = cancel
			go r.script(ctx)
			require.NoError(t, r.Wait(ctx))
			log := w.Conductor.Log()
			require.NoError(t, r.Close())

			want, err := os.ReadFile(filepath.Join("testdata", sc.ID+".golden"))
			require.NoError(t, err)
			assert.Equal(t, canonical(string(want)), canonical(Normalize(grouped(t, log))))
		})
	}
}

func TestScenarioWorldFilesSayWhatDiffers(t *testing.T) {
	files := map[string]string{}
	for _, sc := range All() {
		files[sc.ID], _ = scenarioFile(t, sc)
	}
	assert.Contains(t, files["size-limit"], "mx-size-limit: 2000B")
	assert.Contains(t, files["plaintext-password"], "plaintext-auth: true")
	assert.Contains(t, files["spoofing"], "auth-checks: false")
	assert.Contains(t, files["bcc"], "name: dave-laptop")
	assert.Equal(t, files["send-pop3"], files["send-imap"], "the same default world")
}
