package scenario

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/world"
)

// TestSpoofingVerdicts: the forgery gets in while the checks are off and is
// refused with 550 5.7.1 once they are on; the genuine mail passes all
// three checks and carries the result.
func TestSpoofingVerdicts(t *testing.T) {
	log := runForTest(t, "spoofing")
	var fetched []string
	var rejects, results []string
	for _, ev := range log {
		switch {
		case ev.Code == "state.device-fetched":
			fetched = append(fetched, ev.Params["count"])
		case ev.Kind == event.KindLine && strings.HasPrefix(ev.Text, "550 "):
			rejects = append(rejects, ev.Text)
		case ev.Kind == event.KindLine && strings.HasPrefix(ev.Text, "Authentication-Results:"):
			results = append(results, ev.Text)
		}
	}
	assert.Equal(t, []string{"1", "1"}, fetched, "Bob gets the forgery, then only the genuine mail")
	assert.Equal(t, []string{"550 5.7.1 Rejected by DMARC policy of example.org: SPF fail, no valid DKIM signature"}, rejects)
	want := "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.org; " +
		"dkim=pass header.d=example.org; dmarc=pass header.from=example.org"
	assert.NotEmpty(t, results, "the genuine mail carries Authentication-Results")
	for _, r := range results {
		assert.Equal(t, want, r)
	}
}

// TestSpoofingOnSharedAddress: with every host on 127.0.0.1 SPF allows
// nobody, and DKIM alone still lets the genuine mail through and keeps
// the forgery out.
func TestSpoofingOnSharedAddress(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := RunInstant(ctx, "spoofing", world.Options{Now: goldenClock, SingleAddress: true})
	require.NoError(t, err, "RunInstant(spoofing)")
	log := r.World.Conductor.Log()
	require.NoError(t, r.Close())
	found := false
	for _, ev := range log {
		if ev.Kind == event.KindLine && strings.HasPrefix(ev.Text, "Authentication-Results:") {
			found = true
			assert.Contains(t, ev.Text, "spf=fail smtp.mailfrom=example.org; dkim=pass header.d=example.org; dmarc=pass")
		}
	}
	assert.True(t, found, "the genuine mail was delivered with its results")
}
