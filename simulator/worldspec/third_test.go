package worldspec

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func withThird() Spec {
	s := Default()
	s.AddThirdProvider()
	return s
}

func TestThirdProviderIsValid(t *testing.T) {
	s := withThird()
	require.NoError(t, s.Validate())
	require.True(t, s.HasThirdProvider())
	assert.False(t, Default().HasThirdProvider(), "the default world has two providers")
	assert.Equal(t, []string{"example.org", "example.net", "example.com"}, s.Domains())
	p := s.Provider("example.com")
	assert.Equal(t, StandardHosts("example.com"), p.HostsOf())
	assert.Equal(t, []Account{{Address: "erin@example.com", Password: "explorer"}}, p.Accounts)
	assert.Equal(t, ThirdDevice(), *s.Device("erin-laptop"))

	zone := p.DNSOf()
	assert.Equal(t, []MXRecord{{Preference: 10, Host: "mx.example.com"}}, zone.MX)
	assert.Equal(t, "v=spf1 ip4:127.77.3.20 -all", zone.SPF)
	assert.Equal(t, []ARecord{{"smtp.example.com", "127.77.3.20"}, {"mx.example.com", "127.77.3.25"},
		{"mail.example.com", "127.77.3.30"}, {"mda.example.com", "127.77.3.24"}}, zone.A)
	assert.Equal(t, DefaultDMARC, zone.DMARC)

	again := s.Clone()
	again.AddThirdProvider()
	assert.Equal(t, s, again, "adding it twice adds it once")
}

func TestThirdProviderRoundTrip(t *testing.T) {
	s := withThird()
	text := save(t, s)
	assert.Contains(t, text, "- domain: example.com")
	assert.Contains(t, text, "address: erin@example.com")
	assert.Contains(t, text, "name: erin-laptop")
	got, err := load(text)
	require.NoError(t, err, text)
	assert.Equal(t, s, got)
	assert.Equal(t, text, save(t, got), "saving what was loaded gives the same file")
}

// TestThirdProviderMinimalFile: a file may list example.com with only
// its domain and an account, as it may the other two.
func TestThirdProviderMinimalFile(t *testing.T) {
	s, err := load(`maillab-world: 1
providers:
  - domain: example.org
    accounts: [{address: alice@example.org, password: wonderland}]
  - domain: example.net
    accounts: [{address: bob@example.net, password: builder}]
  - domain: example.com
    accounts: [{address: erin@example.com, password: explorer}]
    dns:
      mx: [{preference: 10, host: mx.example.com}]
      a: [{name: mx.example.com, address: 127.77.3.25}]
      spf: v=spf1 ip4:127.77.3.20 -all
devices:
  - {name: alice-laptop, account: alice@example.org, protocol: imap, security: starttls}
  - {name: bob-laptop, account: bob@example.net, protocol: pop3, security: starttls}
  - {name: bob-phone, account: bob@example.net, protocol: imap, security: starttls}
  - {name: erin-laptop, account: erin@example.com, protocol: pop3, security: implicit}
`)
	require.NoError(t, err)
	assert.True(t, s.HasThirdProvider())
	assert.Equal(t, "pop3", s.Device("erin-laptop").Protocol)

	// AddThirdProvider keeps what the file says.
	c := s.Clone()
	c.AddThirdProvider()
	assert.Equal(t, s, c)
}

func TestThirdProviderErrors(t *testing.T) {
	s := withThird()
	s.Providers[2].Accounts[0].Address = "erin@example.net"
	s.Providers[2].Hosts.MX = "mx1.example.com"
	err := s.Validate()
	require.Error(t, err)
	for _, want := range []string{
		`providers[2].accounts[0].address: "erin@example.net" is not at example.com, the provider it is listed under`,
		`providers[2].hosts.mx: "mx1.example.com": this Maillab names the MX of example.com mx.example.com`,
	} {
		assert.Contains(t, err.Error(), want)
	}
	// Erin's laptop needs Erin's account, which needs example.com.
	s = Default()
	s.Devices = append(s.Devices, ThirdDevice())
	err = s.Validate()
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), `devices[3].account: "erin@example.com" is not an account of any provider`), err)
}
