package world

import (
	"context"
	"errors"
	"fmt"

	"maillab/simulator/worldspec"
)

// SetDNS replaces domain's zone while the world runs (the student saved
// edited records): the DNS server answers with the new records at once,
// and every resolver of the world's servers forgets what it had cached,
// as if the TTLs had run out. The zone is checked as a world file's is;
// a zone with a problem changes nothing. A new DKIM selector or algorithm
// restarts the MSA, which signs with it from then on (state.server-restarted), while
// the zone publishes the key under it. The transcript notes the change
// (state.dns-changed).
func (w *World) SetDNS(domain string, zone worldspec.DNS) error {
	w.changeMu.Lock()
	defer w.changeMu.Unlock()
	if w.providers[domain] == nil {
		return fmt.Errorf("world: no provider %q", domain)
	}
	if domain == w.RoomDomain() {
		return fmt.Errorf("world: %s is a classroom provider: the room's host publishes its records", domain)
	}
	w.mu.Lock()
	closed := w.closed
	w.mu.Unlock()
	if closed {
		return ErrClosed
	}
	next := w.Spec()
	p := next.Provider(domain)
	alg := p.DKIMAlgorithm()
	z := zone.Clone()
	if z.DKIM != nil {
		if z.DKIM.Algorithm == "" { // an editor that shows no algorithm keeps it
			z.DKIM.Algorithm = alg
		}
		if z.DKIM.Algorithm == worldspec.DKIMEd25519 {
			z.DKIM.Algorithm = "" // the default, as a saved world file leaves it out
		}
	}
	p.DNS = &z
	if err := next.Validate(); err != nil {
		return fmt.Errorf("world: %w", err)
	}
	records, err := w.zone(next)
	if err != nil {
		return err
	}
	w.specMu.Lock()
	w.spec = next
	w.specMu.Unlock()
	w.dns.srv.SetZone(records)
	w.dns.mu.Lock()
	for _, r := range w.dns.resolvers {
		r.Forget()
	}
	w.dns.mu.Unlock()
	err = w.Note(context.Background(), "dns", "state.dns-changed", map[string]string{"domain": domain})
	var keys []string
	if p.Selector() != w.providers[domain].selector {
		keys = append(keys, "dkim-selector")
	}
	if p.DKIMAlgorithm() != alg {
		keys = append(keys, "dkim-algorithm") // the MSA takes its key for the new algorithm
	}
	if len(keys) > 0 {
		err = errors.Join(err, w.restartServer(domain, ServerSubmission, keys))
	}
	return err
}

// DNSOf is the zone domain publishes now, the DKIM key as the spec has it
// (left out: the MSA's own).
func (w *World) DNSOf(domain string) worldspec.DNS {
	w.specMu.RLock()
	defer w.specMu.RUnlock()
	if p := w.spec.Provider(domain); p != nil {
		return p.DNSOf()
	}
	return worldspec.DefaultDNS(domain)
}
