package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDNS(t *testing.T) {
	tests := []struct {
		text, key string
		params    map[string]string
	}{
		{"QUERY MX example.net.", "dns.query.mx", map[string]string{"name": "example.net"}},
		{"QUERY A mx.example.net.", "dns.query.a", map[string]string{"name": "mx.example.net"}},
		{"QUERY TXT example.net.", "dns.query.txt.spf", nil},
		{"QUERY TXT www.example.net.", "dns.query.txt", nil},
		{"QUERY TXT _dmarc.example.net.", "dns.query.txt.dmarc", nil},
		{"QUERY TXT mail._domainkey.example.net.", "dns.query.txt.dkim", nil},
		{"QUERY SRV _imap._tcp.example.net.", "dns.query.other", map[string]string{"type": "SRV"}},
		{"ANSWER MX example.net. → 10 mx.example.net.", "dns.answer.mx",
			map[string]string{"name": "example.net", "records": "10 mx.example.net"}},
		{"ANSWER MX example.net. → 10 a.example.net., 20 b.example.net.", "dns.answer.mx",
			map[string]string{"records": "10 a.example.net, 20 b.example.net"}},
		{"ANSWER MX nomail.example. → 0 .", "dns.answer.mx.null", nil},
		{"ANSWER A mx.example.net. → 127.77.2.25", "dns.answer.a", map[string]string{"records": "127.77.2.25"}},
		{"ANSWER MX nowhere.example. → NXDOMAIN", "dns.answer.nxdomain", map[string]string{"name": "nowhere.example"}},
		{"ANSWER MX example.net. → SERVFAIL", "dns.answer.error", map[string]string{"rcode": "SERVFAIL"}},
		{"ANSWER AAAA mx.example.net. → (no records)", "dns.answer.nodata", map[string]string{"type": "AAAA"}},
		{`ANSWER TXT example.net. → "v=spf1 ip4:127.77.2.0/24 -all"`, "dns.answer.spf", nil},
		{`ANSWER TXT _dmarc.example.net. → "v=DMARC1; p=reject"`, "dns.answer.dmarc", nil},
		{`ANSWER TXT s._domainkey.example.net. → "v=DKIM1; k=rsa; p=MII"`, "dns.answer.dkim", nil},
		{`ANSWER TXT example.net. → "hello"`, "dns.answer.txt", nil},
		{"DNS (12 bytes, not parsable)", "generic.dns", nil},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			x := lastKey(t, "dns", "P: "+tc.text)
			assert.Equal(t, tc.key, short(x.Key))
			for k, v := range tc.params {
				assert.Equal(t, v, x.Params[k], "param %s", k)
			}
			assert.Equal(t, tc.key == "generic.dns", x.Generic)
		})
	}
}

func TestTLSRecords(t *testing.T) {
	tests := []struct {
		name string
		rows []string
		key  string
	}{
		{"ClientHello", []string{"TC: TLS ClientHello"}, "tls.client-hello"},
		{"ServerHello", []string{"TS: TLS ServerHello"}, "tls.server-hello"},
		{"ServerHello with its group", []string{"TS: TLS ServerHello (X25519, TLS_AES_128_GCM_SHA256)"}, "tls.server-hello.group"},
		{"HelloRetryRequest", []string{"TS: TLS HelloRetryRequest (P-384, TLS_AES_128_GCM_SHA256)"}, "tls.hello-retry"},
		{"ChangeCipherSpec", []string{"TS: TLS ChangeCipherSpec"}, "tls.change-cipher-spec"},
		{"one record per message", []string{"TS: TLS Certificate"}, "tls.certificate"},
		{"server flight", []string{"TS: TLS EncryptedExtensions, Certificate, CertificateVerify, Finished"}, "tls.server-flight"},
		{"resumed flight", []string{"TS: TLS EncryptedExtensions, Finished"}, "tls.server-flight.resumed"},
		{"server Finished", []string{"TS: TLS Finished"}, "tls.finished.server"},
		{"client Finished", []string{"TC: TLS Finished"}, "tls.finished.client"},
		{"ticket", []string{"TS: TLS NewSessionTicket"}, "tls.new-session-ticket"},
		{"undecrypted record", []string{"TS: TLS encrypted record (517 bytes)"}, "tls.encrypted-record"},
		{"alert after QUIT", []string{"S: 220 x", "C: QUIT", "S: 221 bye", "TS: TLS alert"}, "tls.alert.close"},
		{"alert mid-session", []string{"S: 220 x", "C: EHLO a", "TS: TLS alert"}, "tls.alert"},
		{"unknown record", []string{"TS: TLS record type 99"}, "generic.tls"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := lastKey(t, "smtp", tc.rows...)
			assert.Equal(t, tc.key, short(x.Key))
			assert.Equal(t, tc.key == "generic.tls", x.Generic)
			assert.Contains(t, x.RFC, "RFC 8446")
		})
	}
	x := lastKey(t, "smtp", "TS: TLS encrypted record (517 bytes)")
	assert.Equal(t, "517", x.Params["bytes"])
	assert.True(t, NewTracker().Context().Proto == "")
	tr := NewTracker()
	tr.Explain(script("imap", "TC: TLS ClientHello")[0])
	assert.True(t, tr.Context().TLS)
}
