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
