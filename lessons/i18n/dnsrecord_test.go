package i18n_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"maillab/lessons/i18n"
	"maillab/simulator/dnsrecord"
)

// TestDNSRecordMessagesAreInTheCatalogue: every DNS record check's English template is the catalogue's "dnsrecord.*" text,
// so the app can show it in German and Polish too; and the catalogue has
// no key no check uses.
func TestDNSRecordMessagesAreInTheCatalogue(t *testing.T) {
	en := i18n.Catalog("en")
	for code, msg := range dnsrecord.Messages {
		assert.Equal(t, msg, en["dnsrecord."+code], code)
	}
	for key := range en {
		if code, ok := strings.CutPrefix(key, "dnsrecord."); ok {
			assert.Contains(t, dnsrecord.Messages, code, "catalogue key %s is used by no check", key)
		}
	}
	p := dnsrecord.Check(dnsrecord.KindDMARC, "v=DMARC1; p=block").(*dnsrecord.Problem)
	assert.Equal(t, "p=block: Die Richtlinie ist none, quarantine oder reject", i18n.T("de", p.Key(), p.Params))
	p = dnsrecord.Check(dnsrecord.KindSPF, "v=spf1"+strings.Repeat(" mx", 22)).(*dnsrecord.Problem)
	assert.Equal(t, "22 wyrażenia wymagają zapytań DNS (include, a, mx, ptr, exists, redirect); dozwolonych jest najwyżej 10 (RFC 7208 §4.6.4)",
		i18n.T("pl", p.Key(), p.Params))
}
