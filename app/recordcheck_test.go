//go:build !(js && wasm)

package app

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckRecord(t *testing.T) {
	a, _ := newTestApp(t)
	tests := []struct {
		kind, text, lang string
		want             RecordCheck
	}{
		{"spf", "v=spf1 ip4:127.77.1.20 -all", "de", RecordCheck{OK: true}},
		{"mx", "10 127.77.2.25", "en", RecordCheck{Key: "dnsrecord.mx-address", Params: map[string]string{"host": "127.77.2.25"},
			Message: "127.77.2.25 is an address; an MX names a host, whose A record has the address (RFC 1035 §3.3.9)"}},
		{"dmarc", "v=DMARC1; p=block", "de", RecordCheck{Key: "dnsrecord.dmarc-policy", Params: map[string]string{"tag": "p", "value": "block"},
			Message: "p=block: Die Richtlinie ist none, quarantine oder reject"}},
		{"dmarc", "v=DMARC1; pct=50", "pl", RecordCheck{Key: "dnsrecord.dmarc-no-p", Params: map[string]string{},
			Message: "Brakuje polityki p=: wpisz p=none, p=quarantine albo p=reject (RFC 7489 §6.3)"}},
		{"spf", "spf1 -all", "xx", RecordCheck{Key: "dnsrecord.spf-version", Params: map[string]string{"first": "spf1"},
			Message: `an SPF record starts with v=spf1, not "spf1" (RFC 7208 §4.5)`}},
	}
	for _, tt := range tests {
		t.Run(tt.kind+" "+tt.text, func(t *testing.T) {
			got, err := a.CheckRecord(tt.kind, tt.text, tt.lang)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestViewersMayCheckARecord(t *testing.T) {
	_, srv := newServer(t)
	status, out := post(t, srv, "checkRecord", "", "dkim", "v=DKIM1; k=rsa", "en")
	require.Equal(t, 200, status)
	var r RecordCheck
	require.NoError(t, json.Unmarshal(out["result"], &r))
	assert.Equal(t, "dnsrecord.dkim-no-p", r.Key)
	status, _ = post(t, srv, "checkRecord", "", "dkim")
	assert.Equal(t, 422, status, "three arguments")
}

func TestSetDNS(t *testing.T) {
	a, _ := newTestApp(t)
	zone, err := a.DNSZone("example.net")
	require.NoError(t, err)
	assert.Equal(t, "v=DMARC1; p=reject; adkim=r; aspf=r", zone.DMARC)

	zone.DMARC = "v=DMARC1; p=maybe"
	_, err = a.SetDNS("example.net", zone)
	assert.EqualError(t, err, "providers[1].dns.dmarc: p=maybe: the policy is none, quarantine or reject")
	_, err = a.DNSZone("example.com")
	assert.Error(t, err)

	_, err = a.Start("live")
	require.NoError(t, err)
	zone.DMARC = "v=DMARC1; p=none; rua=mailto:postmaster@example.net"
	_, err = a.SetDNS("example.net", zone)
	require.NoError(t, err)
	got, err := a.DNSZone("example.net")
	require.NoError(t, err)
	assert.Equal(t, zone.DMARC, got.DMARC, "the running world has it")
	file, err := a.WorldFile(false)
	require.NoError(t, err)
	assert.Contains(t, file, "dmarc: v=DMARC1; p=none; rua=mailto:postmaster@example.net\n")
	_, err = a.Reset()
	require.NoError(t, err)
	got, err = a.DNSZone("example.net")
	require.NoError(t, err)
	assert.Equal(t, zone.DMARC, got.DMARC, "and so has the next run")
}

func TestSetDNSNeedsTheToken(t *testing.T) {
	_, srv := newServer(t)
	zone := map[string]any{"mx": []any{map[string]any{"preference": 10, "host": "mx.example.net"}}, "dmarc": "v=DMARC1; p=none"}
	status, _ := post(t, srv, "setDNS", "", "example.net", zone)
	assert.Equal(t, 403, status)
	status, out := post(t, srv, "setDNS", "secret", "example.net", zone)
	require.Equal(t, 200, status, string(out["error"]))
	status, out = post(t, srv, "dnsZone", "", "example.net")
	require.Equal(t, 200, status)
	assert.JSONEq(t, `{"mx":[{"preference":10,"host":"mx.example.net"}],"dmarc":"v=DMARC1; p=none"}`, string(out["result"]))
}
