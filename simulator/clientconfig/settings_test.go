package clientconfig

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	domains  = []string{"example.org", "example.net"}
	accounts = []Account{
		{"alice@example.org", "wonderland"},
		{"bob@example.net", "builder"},
		{"carol@example.net", "carol"},
	}
)

// hostPort is one row as a person reads it: service, security, port to type.
type hostPort struct {
	service   string
	sec       Security
	wellKnown int
	port      int
}

func rows(p Provider) []hostPort {
	var out []hostPort
	for _, s := range append(append([]Server{}, p.Incoming...), p.Outgoing...) {
		out = append(out, hostPort{s.Service, s.Security, s.WellKnown, s.Port})
	}
	return out
}

func TestProvidersPorts(t *testing.T) {
	tests := []struct {
		name   string
		pm     PortMap
		domain string
		want   []hostPort
	}{
		{"alice, default base", PortMap{"127.0.0.1", 10000}, "example.org", []hostPort{
			{"imaps", SSL, 993, 10993}, {"imap", STARTTLS, 143, 10143},
			{"pop3s", SSL, 995, 10995}, {"pop3", STARTTLS, 110, 10110},
			{"submissions", SSL, 465, 10465}, {"submission", STARTTLS, 587, 10587},
		}},
		{"bob, default base", PortMap{"127.0.0.1", 10000}, "example.net", []hostPort{
			{"imaps", SSL, 993, 20993}, {"imap", STARTTLS, 143, 20143},
			{"pop3s", SSL, 995, 20995}, {"pop3", STARTTLS, 110, 20110},
			{"submissions", SSL, 465, 20465}, {"submission", STARTTLS, 587, 20587},
		}},
		{"alice, base 31000", PortMap{"127.0.0.1", 31000}, "example.org", []hostPort{
			{"imaps", SSL, 993, 31993}, {"imap", STARTTLS, 143, 31143},
			{"pop3s", SSL, 995, 31995}, {"pop3", STARTTLS, 110, 31110},
			{"submissions", SSL, 465, 31465}, {"submission", STARTTLS, 587, 31587},
		}},
		{"bob, base 31000", PortMap{"127.0.0.1", 31000}, "example.net", []hostPort{
			{"imaps", SSL, 993, 41993}, {"imap", STARTTLS, 143, 41143},
			{"pop3s", SSL, 995, 41995}, {"pop3", STARTTLS, 110, 41110},
			{"submissions", SSL, 465, 41465}, {"submission", STARTTLS, 587, 41587},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := ForDomain(tc.pm, tc.domain, accounts)
			require.True(t, ok, "ForDomain(%q)", tc.domain)
			assert.Equal(t, tc.want, rows(p))
		})
	}
}

func TestProviderAccount(t *testing.T) {
	ps := Providers(PortMap{"127.0.0.1", 10000}, domains, accounts)
	require.Len(t, ps, 2)
	tests := []struct {
		p                                   Provider
		domain, owner, addr, pw, mail, smtp string
	}{
		{ps[0], "example.org", "Alice", "alice@example.org", "wonderland", "mail.example.org", "smtp.example.org"},
		{ps[1], "example.net", "Bob", "bob@example.net", "builder", "mail.example.net", "smtp.example.net"},
	}
	for _, tc := range tests {
		t.Run(tc.domain, func(t *testing.T) {
			assert.Equal(t, tc.domain, tc.p.Domain)
			assert.Equal(t, tc.owner, tc.p.Owner)
			assert.Equal(t, tc.addr, tc.p.Address)
			assert.Equal(t, tc.pw, tc.p.Password)
			for _, s := range tc.p.Incoming {
				assert.Equal(t, "incoming", s.Direction)
				assert.Equal(t, tc.mail, s.Host)
				assert.Contains(t, []string{"imap", "pop3"}, s.Protocol)
			}
			for _, s := range tc.p.Outgoing {
				assert.Equal(t, "outgoing", s.Direction)
				assert.Equal(t, tc.smtp, s.Host)
				assert.Equal(t, "smtp", s.Protocol)
			}
			for _, s := range append(tc.p.Incoming, tc.p.Outgoing...) {
				assert.Equal(t, tc.addr, s.Username, "log in with the full address")
				assert.Equal(t, PasswordCleartext, s.Auth)
				assert.Equal(t, "127.0.0.1", s.Hostname)
			}
		})
	}
}

func TestConnectHost(t *testing.T) {
	tests := []struct{ bind, host, addr string }{
		{"127.0.0.1", "127.0.0.1", "127.0.0.1:10993"},
		{"", "127.0.0.1", "127.0.0.1:10993"},
		{"0.0.0.0", "127.0.0.1", "127.0.0.1:10993"},
		{"::", "127.0.0.1", "127.0.0.1:10993"},
		{"192.0.2.7", "192.0.2.7", "192.0.2.7:10993"},
		{"::1", "::1", "[::1]:10993"},
	}
	for _, tc := range tests {
		t.Run(tc.bind, func(t *testing.T) {
			p, ok := ForDomain(PortMap{tc.bind, 10000}, "example.org", accounts)
			require.True(t, ok)
			assert.Equal(t, tc.host, p.Incoming[0].Hostname)
			assert.Equal(t, tc.addr, p.Incoming[0].Addr)
		})
	}
}

func TestForDomain(t *testing.T) {
	pm := PortMap{"127.0.0.1", 10000}
	t.Run("case does not matter", func(t *testing.T) {
		p, ok := ForDomain(pm, "Example.NET", accounts)
		require.True(t, ok)
		assert.Equal(t, "example.net", p.Domain)
		assert.Equal(t, "bob@example.net", p.Address, "the first account of the domain")
	})
	for _, d := range []string{"example.com", "", "org", "mail.example.org"} {
		t.Run("unknown "+d, func(t *testing.T) {
			_, ok := ForDomain(pm, d, accounts)
			assert.False(t, ok)
		})
	}
	t.Run("no accounts", func(t *testing.T) {
		assert.Empty(t, Providers(pm, domains, nil))
	})
}
