package explain

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
)

// runLog runs one scenario in instant mode and returns its event log.
func runLog(t *testing.T, id string) []event.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := scenario.RunInstant(ctx, id, world.Options{})
	require.NoError(t, err, "RunInstant(%s)", id)
	log := r.World.Conductor.Log()
	require.NoError(t, r.Close(), "Close()")
	return log
}

func explained(ev event.Event) bool {
	return ev.Kind == event.KindLine || ev.Kind == event.KindPacket || ev.Kind == event.KindTLS
}

// TestEveryScenarioLineIsExplained is the coverage gate: every line,
// packet and TLS record of every scenario must get a specific explanation
// with a real text in every language. A new kind of line makes it fail.
func TestEveryScenarioLineIsExplained(t *testing.T) {
	dump := os.Getenv("EXPLAIN_DUMP") != ""
	for _, sc := range scenario.All() {
		t.Run(sc.ID, func(t *testing.T) {
			log := runLog(t, sc.ID)
			xs := ForLog(log)
			count := 0
			for _, ev := range log {
				if !explained(ev) {
					continue
				}
				count++
				x, ok := xs[ev.Seq]
				line := fmt.Sprintf("#%d %s %s: %q", ev.Conn, ev.Proto, ev.Dir, ev.Text)
				if !assert.True(t, ok, "no explanation for %s", line) {
					continue
				}
				if dump {
					fmt.Printf("%-60.60s %s %v %s\n", line, x.Key, x.Details, x.Params)
				}
				assert.False(t, x.Generic, "generic explanation for %s", line)
				assert.NotEmpty(t, x.RFC, "no RFC for %s (%s)", line, x.Key)
				checkTexts(t, x, line)
			}
			assert.NotZero(t, count, "the scenario produced no lines")
		})
	}
}

// checkTexts: every language has its own text (not the key, not the
// English fallback's key), and every placeholder is filled.
func checkTexts(t *testing.T, x Explanation, line string) {
	t.Helper()
	for _, lang := range i18n.Languages {
		catalog := i18n.Catalog(lang)
		for _, key := range append([]string{x.Key}, x.Details...) {
			assert.NotEmpty(t, catalog[key], "%s: no %s text for %s", line, lang, key)
		}
		text := Text(lang, x)
		assert.NotEmpty(t, strings.TrimSpace(text), "%s: empty %s text", line, lang)
	}
	assert.Empty(t, missingParams(x), "%s: unfilled placeholders", line)
}
