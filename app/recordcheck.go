package app

import (
	"errors"

	"maillab/lessons/i18n"
	"maillab/simulator/dnsrecord"
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
