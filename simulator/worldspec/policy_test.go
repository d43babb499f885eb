package worldspec

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every server-policy key read from a file, and what its accessors say.
func TestLoadServerPolicy(t *testing.T) {
	text := strings.Replace(base, `        password: builder
`, `        password: builder
        quota: 2MiB
    policy:
      starttls-on-25: required
      outgoing-tls: required
      greylisting: true
      greylist-delay: 5m
      queue-lifetime: 2d
      relay-networks: [192.0.2.0/24, 127.0.0.1, "2001:db8::/32"]
      down: [mx, mailbox]
`, 1)
	s, err := load(text)
	require.NoError(t, err, text)
	p := s.Provider("example.net")
	assert.Equal(t, TLSRequired, p.Policy.StartTLS())
	assert.True(t, p.Policy.RequireOutgoingTLS())
	assert.True(t, p.Policy.Greylisting)
	assert.Equal(t, 5*time.Minute, p.Policy.GreylistWait())
	assert.Equal(t, 48*time.Hour, p.Policy.Lifetime())
	assert.Equal(t, []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("127.0.0.1/32"),
		netip.MustParsePrefix("2001:db8::/32")}, p.Policy.Relays())
	assert.True(t, p.Policy.IsDown(ServerMX))
	assert.False(t, p.Policy.IsDown(ServerSubmission))
	a, _ := s.Account("bob@example.net")
	assert.Equal(t, int64(2<<20), QuotaOf(*p, *a))

	org := s.Provider("example.org")
	assert.Equal(t, TLSOffered, org.Policy.StartTLS(), "left out: offered")
	assert.False(t, org.Policy.RequireOutgoingTLS(), "left out: opportunistic")
	assert.Equal(t, DefaultGreylistDelay, org.Policy.GreylistWait())
	assert.Equal(t, 5*24*time.Hour, org.Policy.Lifetime(), "left out: Postfix's 5d")
	assert.Empty(t, org.Policy.Relays())
	a, _ = s.Account("alice@example.org")
	assert.Equal(t, int64(0), QuotaOf(*org, *a), "left out: the provider's")

	got := save(t, s)
	assert.Contains(t, got, "queue-lifetime: 2d")
	again, err := load(got)
	require.NoError(t, err, got)
	assert.Equal(t, s, again, "saved and loaded, the same")
	c := s.Clone()
	c.Providers[1].Policy.RelayNetworks[0] = "changed"
	c.Providers[1].Policy.Down[0] = "changed"
	*c.Providers[1].Policy.GreylistDelay = 0
	assert.Equal(t, again, s, "Clone is deep")
}

// The default world saves without any of the new keys: files written
// before them and after are the same.
func TestDefaultSavesNoServerPolicyKeys(t *testing.T) {
	text := save(t, Default())
	for _, key := range []string{"starttls-on-25", "outgoing-tls", "greylisting", "greylist-delay", "queue-lifetime", "delete-after-days", "relay-networks", "down:", " quota:"} {
		assert.NotContains(t, text, key)
	}
}

func TestValidateServerPolicy(t *testing.T) {
	durp := func(d time.Duration) *Duration { v := Duration(d); return &v }
	tests := []struct {
		name   string
		break_ func(p *Provider)
		want   string
	}{
		{"starttls value", func(p *Provider) { p.Policy.StartTLSOn25 = "maybe" },
			`providers[1].policy.starttls-on-25: "maybe": write offered, required or off`},
		{"outgoing-tls value", func(p *Provider) { p.Policy.OutgoingTLS = "offered" },
			`providers[1].policy.outgoing-tls: "offered": write opportunistic or required`},
		{"greylist delay without greylisting", func(p *Provider) { p.Policy.GreylistDelay = durp(time.Minute) },
			"providers[1].policy.greylist-delay: is set but greylisting is off (write greylisting: true)"},
		{"greylist delay too long", func(p *Provider) {
			p.Policy.Greylisting, p.Policy.GreylistDelay = true, durp(25*time.Hour)
		}, "providers[1].policy.greylist-delay: 25h is outside 0s to 24h"},
		{"queue lifetime too short", func(p *Provider) { p.Policy.QueueLifetime = durp(30 * time.Second) },
			"providers[1].policy.queue-lifetime: 30s is outside 1m to 100d"},
		{"queue lifetime too long", func(p *Provider) { p.Policy.QueueLifetime = durp(101 * 24 * time.Hour) },
			"providers[1].policy.queue-lifetime: 101d is outside 1m to 100d"},
		{"relay network", func(p *Provider) { p.Policy.RelayNetworks = []string{"10.0.0.0/8", "10.0.0.0/33"} },
			`providers[1].policy.relay-networks[1]: "10.0.0.0/33" is not a network (write 192.0.2.0/24, 2001:db8::/32 or one address)`},
		{"relay host name", func(p *Provider) { p.Policy.RelayNetworks = []string{"mx.example.org"} },
			`providers[1].policy.relay-networks[0]: "mx.example.org" is not a network`},
		{"too many relay networks", func(p *Provider) { p.Policy.RelayNetworks = make([]string, 101) },
			"providers[1].policy.relay-networks: 101 networks; at most 100"},
		{"unknown server", func(p *Provider) { p.Policy.Down = []string{"mx", "dns"} },
			`providers[1].policy.down[1]: "dns" is not a server (write mx, submission, mailbox)`},
		{"server twice", func(p *Provider) { p.Policy.Down = []string{"mailbox", "mailbox"} },
			"providers[1].policy.down[1]: mailbox is listed twice"},
		{"account quota", func(p *Provider) { p.Accounts[0].Quota = 100 },
			"providers[1].accounts[0].quota: 100B is less than 1KiB; write none for no limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Default()
			tc.break_(&s.Providers[1])
			err := s.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	s := Default()
	s.Providers[1].Accounts[0].Quota = Unlimited
	s.Providers[1].Policy.Greylisting, s.Providers[1].Policy.GreylistDelay = true, durp(0)
	s.Providers[1].Policy.RelayNetworks = []string{"0.0.0.0/0"}
	assert.NoError(t, s.Validate(), "no quota, no delay and an open relay are allowed")
}

// A wrong value in a file is refused with the field's path and line.
func TestLoadServerPolicyErrors(t *testing.T) {
	tests := []struct{ policy, want string }{
		{"starttls-on-25: sometimes", `providers[1].policy.starttls-on-25: "sometimes": write offered, required or off (line 12)`},
		{"greylisting: yes please", `providers[1].policy.greylisting: "yes please" is not true or false (line 12)`},
		{"relay-networks: 10.0.0.0/8", `providers[1].policy.relay-networks: must be a list`},
		{"down: [smtp]", `providers[1].policy.down[0]: "smtp" is not a server (write mx, submission, mailbox) (line 12)`},
		{"greylisting: true\n      greylist-delay: soon", `providers[1].policy.greylist-delay:`},
		{"queue-lifetime: 5 days", `providers[1].policy.queue-lifetime: "5 days" is not a duration (write 500ms, 2s, 1m, 1h or 5d) (line 12)`},
	}
	for _, tc := range tests {
		t.Run(tc.policy, func(t *testing.T) {
			text := strings.Replace(base, `        password: builder
`, `        password: builder
    policy:
      `+tc.policy+`
`, 1)
			_, err := load(text)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// delete-after-days belongs to a POP3 client that leaves mail on the
// server, within ten years.
func TestValidateDeleteAfterDays(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		d    Device
		want string
	}{
		{"pop3 leaving mail", Device{Protocol: POP3, LeaveOnServer: &yes, DeleteAfterDays: 14}, ""},
		{"pop3 deleting anyway", Device{Protocol: POP3, LeaveOnServer: &no, DeleteAfterDays: 14}, "only a POP3 client that leaves mail on the server has this setting (write leave-on-server: true)"},
		{"imap", Device{Protocol: IMAP, DeleteAfterDays: 7}, "only a POP3 client that leaves mail on the server"},
		{"negative", Device{Protocol: POP3, LeaveOnServer: &yes, DeleteAfterDays: -1}, "-1 is outside 0 to 3650"},
		{"too many", Device{Protocol: POP3, LeaveOnServer: &yes, DeleteAfterDays: 3651}, "3651 is outside 0 to 3650"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Default()
			d := s.Device("bob-laptop")
			d.Protocol, d.LeaveOnServer, d.DeleteAfterDays = tc.d.Protocol, tc.d.LeaveOnServer, tc.d.DeleteAfterDays
			err := s.Validate()
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "devices[1].delete-after-days: "+tc.want)
		})
	}
}
