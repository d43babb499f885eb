package world

import (
	"context"
	"fmt"

	"maillab/simulator/worldspec"
)

// SetDNS replaces domain's zone while the world runs (the student saved
// edited records): the DNS server answers with the new records at once,
// and every resolver of the world's servers forgets what it had cached,
// as if the TTLs had run out. The zone is checked as a world file's is;
// a zone with a problem changes nothing. The DKIM selector is the MSA's
// and changes only with a new world (OpenWorld). The transcript notes the
// change (state.dns-changed).
func (w *World) SetDNS(domain string, zone worldspec.DNS) error {
	if w.providers[domain] == nil {
		return fmt.Errorf("world: no provider %q", domain)
	}
	w.mu.Lock()
	closed := w.closed
	w.mu.Unlock()
	if closed {
		return ErrClosed
	}
	next := w.Spec()
	p := next.Provider(domain)
	if sel := w.providers[domain].selector; zone.DKIM != nil && zone.DKIM.Selector != sel {
		return fmt.Errorf("world: the DKIM selector of %s is %s, which its MSA signs with; a new selector needs the world started again",
			domain, sel)
	}
	z := zone.Clone()
	if z.DKIM != nil {
		alg := p.DKIMAlgorithm()
		if z.DKIM.Algorithm == "" { // an editor that shows no algorithm keeps it
			z.DKIM.Algorithm = alg
		} else if z.DKIM.Algorithm != alg {
			return fmt.Errorf("world: %s's MSA signs with %s; another DKIM algorithm needs the world started again", domain, alg)
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
	return w.Note(context.Background(), "dns", "state.dns-changed", map[string]string{"domain": domain})
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
