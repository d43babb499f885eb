package world

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/mta"
	"maillab/simulator/worldspec"
)

// A zone changed while the world runs takes effect at the next query,
// though the MTA had the old MX cached.
func TestSetDNSWhileRunning(t *testing.T) {
	w := start(t, Options{AuthFailureDelay: -1})
	deliver(t, w, "Before the change") // the MTA caches example.net's MX
	require.Len(t, inbox(t, w, "bob@example.net"), 1)

	zone := w.DNSOf("example.net")
	zone.MX = []worldspec.MXRecord{{Preference: 10, Host: "gone.example.net"}}
	zone.A = append(zone.A, worldspec.ARecord{Name: "gone.example.net", Address: "127.77.2.99"})
	require.NoError(t, w.SetDNS("example.net", zone))
	spec := w.Spec()
	assert.Equal(t, zone.MX, spec.Provider("example.net").DNS.MX, "the spec says what is served")
	deliver(t, w, "After the change")
	items := w.Provider("example.org").Queue.Snapshot()
	require.Len(t, items, 2)
	assert.Equal(t, mta.StateDeferred, items[1].State)
	assert.Equal(t, "gone.example.net", items[1].MX, "the new MX, not the cached one")

	zone.MX = append(zone.MX, worldspec.MXRecord{Preference: 20, Host: "mx.example.net"})
	require.NoError(t, w.SetDNS("example.net", zone))
	deliver(t, w, "With a backup MX") // the deferred one waits for its retry time
	items = w.Provider("example.org").Queue.Snapshot()
	require.Len(t, items, 3)
	assert.Equal(t, mta.StateDeferred, items[1].State)
	assert.Equal(t, mta.StateSent, items[2].State, "the backup MX takes it")
	assert.Equal(t, "mx.example.net", items[2].MX)
	assert.Len(t, inbox(t, w, "bob@example.net"), 2)

	var notes int
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindState && ev.Code == "state.dns-changed" {
			notes++
			assert.Equal(t, "example.net", ev.Params["domain"])
		}
	}
	assert.Equal(t, 2, notes, "the transcript says so")
}

func TestSetDNSRefusesABadZone(t *testing.T) {
	w := start(t, Options{})
	before := w.Spec()
	zone := w.DNSOf("example.org")
	zone.DMARC = "v=DMARC1; p=maybe"
	assert.EqualError(t, w.SetDNS("example.org", zone),
		"world: providers[0].dns.dmarc: p=maybe: the policy is none, quarantine or reject")
	assert.ErrorContains(t, w.SetDNS("example.com", zone), `no provider "example.com"`)
	assert.Equal(t, before, w.Spec(), "nothing changed")
	require.NoError(t, w.Close())
	assert.ErrorIs(t, w.SetDNS("example.org", w.DNSOf("example.org")), ErrClosed)
}

// A new DKIM selector restarts the MSA, which signs with it, while the
// zone publishes the key under it: Bob's MX finds it and DKIM passes.
func TestSetDNSNewSelector(t *testing.T) {
	w := start(t, Options{AuthFailureDelay: -1})
	zone := w.DNSOf("example.org")
	require.NotNil(t, zone.DKIM)
	zone.DKIM.Selector = "s2026"
	require.NoError(t, w.SetDNS("example.org", zone))
	deliver(t, w, "Signed anew")
	msgs := inbox(t, w, "bob@example.net")
	require.Len(t, msgs, 1)
	raw := string(msgs[0].Raw)
	assert.Contains(t, raw, "s=s2026;")
	assert.Contains(t, raw, "dkim=pass")
	var restarted []string
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindState && ev.Code == "state.server-restarted" {
			restarted = append(restarted, ev.Actor+" "+ev.Params["keys"])
		}
	}
	assert.Equal(t, []string{"smtp.example.org dkim-selector"}, restarted)
}
