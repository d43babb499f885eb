package app

import (
	"errors"
	"fmt"

	"maillab/lessons/i18n"
	"maillab/simulator/dnsrecord"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// RecordCheck is what checkRecord found wrong with a DNS record, if
// anything.
type RecordCheck struct {
	OK bool `json:"ok"`
	// Key and Params are the problem's catalogue key (dnsrecord.*) and
	// its parameters; Message is the text in the language asked for.
	Key     string            `json:"key,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
	Message string            `json:"message,omitempty"`
}

// CheckRecord checks one DNS record before it is saved: kind is mx ("10
// mx.example.org"), a, spf, dkim, dmarc or host (dnsrecord.Kinds); the
// problem comes in lang (en, de, pl; another gets English). It only
// looks, so viewers may ask too.
func (a *App) CheckRecord(kind, text, lang string) (RecordCheck, error) {
	err := dnsrecord.Check(kind, text)
	if err == nil {
		return RecordCheck{OK: true}, nil
	}
	var p *dnsrecord.Problem
	if !errors.As(err, &p) {
		return RecordCheck{}, err
	}
	if !i18n.Supported(lang) {
		lang = "en"
	}
	return RecordCheck{Key: p.Key(), Params: p.Params, Message: i18n.T(lang, p.Key(), p.Params)}, nil
}

// DNSZone is domain's DNS zone: the running world's, or the one the next
// run gets. A key left out of the DKIM record means the MSA's own key.
func (a *App) DNSZone(domain string) (worldspec.DNS, error) {
	a.mu.Lock()
	r := a.run
	a.mu.Unlock()
	if r != nil {
		if r.World.Provider(domain) == nil {
			return worldspec.DNS{}, fmt.Errorf("no provider %q", domain)
		}
		return r.World.DNSOf(domain), nil
	}
	s := a.currentSpec()
	p := s.Provider(domain)
	if p == nil {
		return worldspec.DNS{}, fmt.Errorf("no provider %q", domain)
	}
	return p.DNSOf(), nil
}

// SetDNS makes zone domain's DNS zone in the running world, at once
// (world.SetDNS), and in every run from now on. A zone with a problem
// changes nothing: the error names the field and what is wrong. In a
// classroom the room provider's SPF, DKIM and DMARC records go to the
// room's host instead, which publishes them in the room DNS.
func (a *App) SetDNS(domain string, zone worldspec.DNS) (worldspec.DNS, error) {
	if z, ok, err := a.setRoomDNS(domain, zone); ok {
		return z, err
	}
	a.mu.Lock()
	r := a.run
	next := world.DefaultSpec()
	if a.opts.World.Spec != nil {
		next = a.opts.World.Spec.Clone()
	}
	a.mu.Unlock()
	p := next.Provider(domain)
	if p == nil {
		return worldspec.DNS{}, fmt.Errorf("no provider %q", domain)
	}
	z := zone.Clone()
	p.DNS = &z
	if err := next.Validate(); err != nil {
		return worldspec.DNS{}, err
	}
	if r != nil {
		if err := r.World.SetDNS(domain, zone); err != nil {
			return worldspec.DNS{}, err
		}
	}
	a.mu.Lock()
	a.opts.World.Spec = &next
	a.mu.Unlock()
	return zone.Clone(), nil
}
