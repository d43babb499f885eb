package worldspec

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultDNSIsWrittenOut(t *testing.T) {
	text := save(t, Default())
	for _, want := range []string{
		"    dns:\n", "- preference: 10\n          host: mx.example.org\n",
		"- name: smtp.example.org\n          address: 127.77.1.20\n",
		"spf: v=spf1 ip4:127.77.1.20 -all\n", "spf: v=spf1 ip4:127.77.2.20 -all\n",
		"dkim:\n        selector: mail\n", "dmarc: v=DMARC1; p=reject; adkim=r; aspf=r\n",
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "        key:", "the MSA's key is made when the world starts, never written")
}

// A version-1 file written before zones existed stays valid and gets the
// default zone.
func TestLoadWithoutDNS(t *testing.T) {
	s, err := load(minimalFile)
	require.NoError(t, err)
	for _, p := range s.Providers {
		assert.Nil(t, p.DNS)
		assert.Equal(t, DefaultDNS(p.Domain), p.DNSOf())
		assert.Equal(t, "mail", p.Selector())
	}
}

const minimalFile = `maillab-world: 1
providers:
  - domain: example.org
    accounts: [{address: alice@example.org, password: wonderland}]
  - domain: example.net
    accounts: [{address: bob@example.net, password: builder}]
devices:
  - {name: alice-laptop, account: alice@example.org, protocol: imap, security: starttls}
  - {name: bob-laptop, account: bob@example.net, protocol: pop3, security: starttls}
  - {name: bob-phone, account: bob@example.net, protocol: imap, security: starttls}
`

func TestLoadDNS(t *testing.T) {
	text := strings.Replace(minimalFile, "    accounts: [{address: bob@example.net, password: builder}]\n",
		`    accounts: [{address: bob@example.net, password: builder}]
    dns:
      mx:
        - {preference: 10, host: mx.example.net}
        - {preference: 20, host: backup.example.net}
      a:
        - {name: mx.example.net, address: 127.77.2.25}
      spf: v=spf1 mx -all
      dkim: {selector: s2026}
      dmarc: v=DMARC1; p=quarantine; rua=mailto:dmarc@example.net
`, 1)
	s, err := load(text)
	require.NoError(t, err, text)
	p := s.Provider("example.net")
	require.NotNil(t, p.DNS)
	assert.Equal(t, []MXRecord{{10, "mx.example.net"}, {20, "backup.example.net"}}, p.DNS.MX)
	assert.Equal(t, "s2026", p.Selector())
	assert.Equal(t, "v=spf1 mx -all", p.DNS.SPF)
	again, err := load(save(t, s))
	require.NoError(t, err)
	assert.Equal(t, s, again)

	_, err = load(strings.Replace(text, "dmarc: v=DMARC1; p=quarantine", "dmarc: v=DMARC1; p=block", 1))
	require.Error(t, err)
	assert.Equal(t, "providers[1].dns.dmarc: p=block: the policy is none, quarantine or reject (line 15)", err.Error())
}

func TestValidateDNS(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(d *DNS)
		want   string
	}{
		{"mx address", func(d *DNS) { d.MX[0].Host = "127.77.1.25" },
			"providers[0].dns.mx[0].host: 127.77.1.25 is an address; an MX names a host, whose A record has the address (RFC 1035 §3.3.9)"},
		{"mx preference", func(d *DNS) { d.MX[0].Preference = 70000 },
			"providers[0].dns.mx[0].preference: preference 70000 is not a whole number from 0 to 65535"},
		{"null mx with another", func(d *DNS) { d.MX = append(d.MX, MXRecord{0, "."}) },
			`providers[0].dns.mx: a domain with the null MX "." must have no other MX record (RFC 7505 §3)`},
		{"too many mx", func(d *DNS) { d.MX = make([]MXRecord, 11) }, "providers[0].dns.mx: 11 MX records; at most 10"},
		{"a outside the domain", func(d *DNS) { d.A[0].Name = "smtp.example.net" },
			"providers[0].dns.a[0].name: smtp.example.net is not in example.org: a provider's zone holds only names in its domain"},
		{"a address", func(d *DNS) { d.A[1].Address = "mx.example.org" },
			`providers[0].dns.a[1].address: "mx.example.org" is not an IPv4 address (four numbers 0 to 255 with dots, e.g. 127.77.1.25)`},
		{"a twice", func(d *DNS) { d.A = append(d.A, d.A[0]) }, "providers[0].dns.a[4]: the same record as providers[0].dns.a[0]"},
		{"spf", func(d *DNS) { d.SPF = "v=spf1 ip4:127.77.1.20 -all -all" },
			`providers[0].dns.spf: "all" appears twice; everything after the first all is never looked at (RFC 7208 §5.1)`},
		{"dkim selector", func(d *DNS) { d.DKIM.Selector = "" },
			"providers[0].dns.dkim.selector: is missing (the MSA signs with it; mail is the usual one)"},
		{"dkim selector syntax", func(d *DNS) { d.DKIM.Selector = "my key" },
			`providers[0].dns.dkim.selector: "my key" is not a selector: labels of letters, digits and hyphens (RFC 6376 §3.1)`},
		{"dkim key", func(d *DNS) { d.DKIM.Key = "v=DKIM1; k=rsa" },
			"providers[0].dns.dkim.key: the p= tag with the public key is missing (RFC 6376 §3.6.1); an empty p= revokes the key"},
		{"dmarc", func(d *DNS) { d.DMARC = "p=reject" },
			"providers[0].dns.dmarc: a DMARC record starts with v=DMARC1 (RFC 7489 §6.3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Default()
			tt.break_(s.Providers[0].DNS)
			assert.EqualError(t, s.Validate(), tt.want)
		})
	}
	s := Default()
	s.Providers[0].DNS = &DNS{} // an empty zone is a zone: nothing published
	assert.NoError(t, s.Validate())
	s.Providers[0].DNS = &DNS{MX: []MXRecord{{0, "."}}, DKIM: &DKIM{Selector: "mail", Key: "v=DKIM1; p="}}
	assert.NoError(t, s.Validate(), "a null MX and a revoked key are records too")
}

func TestCloneDNSIsDeep(t *testing.T) {
	s := Default()
	c := s.Clone()
	c.Providers[0].DNS.MX[0].Host = "changed"
	c.Providers[0].DNS.A[0].Address = "changed"
	c.Providers[0].DNS.DKIM.Selector = "changed"
	assert.Equal(t, Default(), s)
}
