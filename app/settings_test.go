//go:build !(js && wasm)

package app

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

func providerOf(t *testing.T, s WorldSettings, domain string) ProviderWorld {
	t.Helper()
	for _, p := range s.Providers {
		if p.Domain == domain {
			return p
		}
	}
	t.Fatalf("no provider %s in %+v", domain, s)
	return ProviderWorld{}
}

func accountOf(p ProviderWorld, address string) *AccountSettings {
	for i := range p.Accounts {
		if p.Accounts[i].Address == address {
			return &p.Accounts[i]
		}
	}
	return nil
}

// stateLine waits for a state line with code in the run's history.
func stateLine(t *testing.T, a *App, code string) event.Event {
	t.Helper()
	var found event.Event
	require.Eventually(t, func() bool {
		page, err := a.Events(0, 0)
		if err != nil {
			return false
		}
		for _, l := range page.Events {
			if l.Code == code {
				found = l.Event
				return true
			}
		}
		return false
	}, 5*time.Second, 5*time.Millisecond, "a %s line", code)
	return found
}

func TestWorldSettingsBeforeAndDuringARun(t *testing.T) {
	a, _ := newTestApp(t)
	s, err := a.WorldSettings()
	require.NoError(t, err)
	assert.False(t, s.Running)
	net := providerOf(t, s, "example.net")
	bob := accountOf(net, "bob@example.net")
	require.NotNil(t, bob)
	assert.NotEmpty(t, bob.Password)
	assert.Contains(t, bob.Devices, "bob-phone")
	assert.Equal(t, "offered", net.Policy.StartTLS)
	assert.True(t, net.Policy.AuthChecks)
	require.Len(t, net.Servers, 3)
	assert.Equal(t, ServerState{Server: "mx", Host: "mx.example.net", Up: true}, net.Servers[0])
	assert.Equal(t, "v=DMARC1; p=reject; adkim=r; aspf=r", net.DNS.DMARC)

	_, err = a.Start("live")
	require.NoError(t, err)
	s, err = a.WorldSettings()
	require.NoError(t, err)
	assert.True(t, s.Running)
	assert.True(t, providerOf(t, s, "example.org").Servers[0].Up, "the MX listens")
}

func TestAccountChangesWhileTheWorldRuns(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.Start("live")
	require.NoError(t, err)

	require.NoError(t, a.AddAccount("erin@example.net", "erin-pw-1", "2MiB", "en"))
	stateLine(t, a, "state.account-added")
	require.NoError(t, a.SetPassword("erin@example.net", "erin-pw-2", "en"))
	stateLine(t, a, "state.account-password")
	require.NoError(t, a.SetAccountQuota("erin@example.net", "none", "en"))
	stateLine(t, a, "state.account-quota")

	s, err := a.WorldSettings()
	require.NoError(t, err)
	erin := accountOf(providerOf(t, s, "example.net"), "erin@example.net")
	require.NotNil(t, erin)
	assert.Equal(t, "erin-pw-2", erin.Password)
	assert.Equal(t, "none", erin.Quota)
	r := a.run
	require.True(t, r.World.Provider("example.net").Store.CheckPassword("erin@example.net", "erin-pw-2") == nil, "the mailbox server knows the new password")

	require.NoError(t, a.RemoveAccount("erin@example.net", "en"))
	stateLine(t, a, "state.account-removed")

	// the next run keeps what was changed
	require.NoError(t, a.SetPassword("bob@example.net", "new-bob-pw", "en"))
	_, err = a.Reset()
	require.NoError(t, err)
	s, err = a.WorldSettings()
	require.NoError(t, err)
	net := providerOf(t, s, "example.net")
	assert.Equal(t, "new-bob-pw", accountOf(net, "bob@example.net").Password)
	assert.Nil(t, accountOf(net, "erin@example.net"))
}

func TestSettingsErrorsAreSentencesInTheLanguage(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.Start("live")
	require.NoError(t, err)
	tests := []struct {
		name string
		do   func(lang string) error
		lang string
		want string
	}{
		{"duplicate", func(l string) error { return a.AddAccount("bob@example.net", "x-pw", "", l) }, "en",
			"The address: this already exists (bob@example.net is listed twice (first at providers[1].accounts[0]))."},
		{"empty password", func(l string) error { return a.SetPassword("bob@example.net", "", l) }, "de", "Das Passwort fehlt."},
		{"space", func(l string) error { return a.SetPassword("bob@example.net", " pw", l) }, "pl",
			"Hasło zaczyna się lub kończy spacją, którą programy pocztowe pomijają."},
		{"bad quota", func(l string) error { return a.SetAccountQuota("bob@example.net", "lots", l) }, "de",
			"quota: „lots“ ist keine Größe. Schreibe eine Zahl mit Einheit wie 10MiB oder 500KiB, none für keine Grenze, oder lass das Feld leer."},
		{"small quota", func(l string) error { return a.SetAccountQuota("bob@example.net", "10", l) }, "en",
			"The quota is too small: at least 1KiB, or none for no limit (10B is less than 1KiB; write none for no limit)."},
		{"no account", func(l string) error { return a.SetPassword("zed@example.net", "pw", l) }, "pl", "Nie ma konta zed@example.net."},
		{"device account", func(l string) error { return a.RemoveAccount("bob@example.net", l) }, "en",
			"bob-laptop reads the mail of bob@example.net: give the device another account before you remove this one."},
		{"no server", func(l string) error { return a.SetServerUp("example.net", "web", false, l) }, "de",
			"„web“ ist kein Server; die Server heißen mx, submission und mailbox."},
		{"not an address", func(l string) error { return a.AddAccount("erin", "pw", "", l) }, "en",
			`"erin" is not an e-mail address: write name@domain.`},
		{"relay network", func(l string) error {
			return a.SetPolicy("example.net", PolicySettings{StartTLS: "offered", AuthChecks: true, RelayNetworks: []string{"10.0.0.0/33"}}, l)
		}, "en", `Relay networks: not a network; write 192.0.2.0/24, 2001:db8::/32 or one address ("10.0.0.0/33" is not a network (write 192.0.2.0/24, 2001:db8::/32 or one address)).`},
		{"queue lifetime", func(l string) error {
			return a.SetPolicy("example.org", PolicySettings{StartTLS: "offered", AuthChecks: true, QueueLifetime: "5 days"}, l)
		}, "de", "queue-lifetime: „5 days“ ist keine Zeitdauer. Schreibe 30s, 1m, 1h oder 5d."},
		{"queue lifetime too short", func(l string) error {
			return a.SetPolicy("example.org", PolicySettings{StartTLS: "offered", AuthChecks: true, QueueLifetime: "10s"}, l)
		}, "en", "The queue lifetime is out of range (10s is outside 1m to 100d)."},
		{"outgoing tls", func(l string) error {
			return a.SetPolicy("example.org", PolicySettings{StartTLS: "offered", AuthChecks: true, OutgoingTLS: "always"}, l)
		}, "pl", "TLS do innych MX: „always” nie jest jedną z opcji; wybierz opportunistic albo required."},
		{"size", func(l string) error {
			return a.SetPolicy("example.net", PolicySettings{StartTLS: "offered", AuthChecks: true, MXSizeLimit: "big"}, l)
		}, "en", `mx-size-limit: "big" is not a size. Write a number with a unit such as 10MiB or 500KiB, none for no limit, or leave it empty.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do(tt.lang)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestSetPolicyAndServersWhileTheWorldRuns(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.Start("live")
	require.NoError(t, err)
	s, err := a.WorldSettings()
	require.NoError(t, err)
	pol := providerOf(t, s, "example.net").Policy
	pol.StartTLS = "required"
	pol.Greylisting = true
	pol.GreylistDelay = "30s"
	pol.RelayNetworks = []string{"192.0.2.0/24", " "}
	pol.MailboxQuota = "5MiB"
	require.NoError(t, a.SetPolicy("example.net", pol, "en"))
	line := stateLine(t, a, "state.policy-changed")
	assert.Equal(t, "starttls-on-25, greylisting, greylist-delay, relay-networks, mailbox-quota", line.Params["keys"])

	s, err = a.WorldSettings()
	require.NoError(t, err)
	got := providerOf(t, s, "example.net").Policy
	assert.Equal(t, "required", got.StartTLS)
	assert.Equal(t, "30s", got.GreylistDelay)
	assert.Equal(t, []string{"192.0.2.0/24"}, got.RelayNetworks)
	assert.Equal(t, "5MiB", got.MailboxQuota)

	// what a server reads at start: it restarts, and the transcript says so
	pol = got
	pol.StartTLS, pol.PlaintextAuth, pol.MXSizeLimit = "off", true, "4000"
	require.NoError(t, a.SetPolicy("example.net", pol, "en"))
	var restarted []string
	for _, ev := range a.run.World.Conductor.Log() {
		if ev.Code == "state.server-restarted" {
			restarted = append(restarted, ev.Actor+": "+ev.Params["keys"])
		}
	}
	assert.Equal(t, []string{"mx.example.net: mx-size-limit, starttls-on-25", "smtp.example.net: plaintext-auth",
		"mail.example.net: plaintext-auth"}, restarted)
	org := providerOf(t, s, "example.org").Policy
	org.OutgoingTLS, org.QueueLifetime = "required", "2d"
	require.NoError(t, a.SetPolicy("example.org", org, "en"))
	var keys []string
	for _, ev := range a.run.World.Conductor.Log() {
		if ev.Code == "state.policy-changed" {
			keys = append(keys, ev.Actor+": "+ev.Params["keys"])
		}
	}
	assert.Equal(t, "mx.example.org: outgoing-tls, queue-lifetime", keys[len(keys)-1])
	s, err = a.WorldSettings()
	require.NoError(t, err)
	got = providerOf(t, s, "example.net").Policy
	assert.Equal(t, "off", got.StartTLS)
	assert.True(t, got.PlaintextAuth)
	assert.Equal(t, "4000B", got.MXSizeLimit)
	gotOrg := providerOf(t, s, "example.org").Policy
	assert.Equal(t, "required", gotOrg.OutgoingTLS)
	assert.Equal(t, "2d", gotOrg.QueueLifetime)

	require.NoError(t, a.SetServerUp("example.net", "mx", false, "en"))
	stateLine(t, a, "state.server-down")
	s, err = a.WorldSettings()
	require.NoError(t, err)
	assert.False(t, providerOf(t, s, "example.net").Servers[0].Up)
	require.NoError(t, a.SetServerUp("example.net", "mx", true, "en"))
	stateLine(t, a, "state.server-up")
	assert.True(t, a.run.World.ServerUp("example.net", "mx"))
}

func TestSettingsWithoutARunChangeTheNextRun(t *testing.T) {
	a, _ := newTestApp(t)
	require.NoError(t, a.SetServerUp("example.org", "submission", false, "en"))
	require.NoError(t, a.AddAccount("erin@example.org", "erin-pw", "", "en"))
	s, err := a.WorldSettings()
	require.NoError(t, err)
	org := providerOf(t, s, "example.org")
	assert.False(t, org.Servers[1].Up)
	assert.NotNil(t, accountOf(org, "erin@example.org"))
	_, err = a.Start("live")
	require.NoError(t, err)
	assert.False(t, a.run.World.ServerUp("example.org", "submission"), "the run starts with it down")
	assert.Error(t, a.AddAccount("erin@example.org", "erin-pw", "", "en"), "and with the account")
}

func TestWorldSettingsOverHTTP(t *testing.T) {
	_, srv := newServer(t)
	status, out := post(t, srv, "worldSettings", "")
	require.Equal(t, 200, status)
	var viewer WorldSettings
	require.NoError(t, json.Unmarshal(out["result"], &viewer))
	for _, p := range viewer.Providers {
		for _, acct := range p.Accounts {
			assert.Empty(t, acct.Password, "a viewer gets no password of %s", acct.Address)
		}
	}
	status, out = post(t, srv, "worldSettings", "secret")
	require.Equal(t, 200, status)
	var teacher WorldSettings
	require.NoError(t, json.Unmarshal(out["result"], &teacher))
	assert.NotEmpty(t, teacher.Providers[0].Accounts[0].Password)

	for _, c := range []struct {
		method string
		args   []any
	}{
		{"addAccount", []any{"erin@example.net", "pw-erin", "", "en"}},
		{"removeAccount", []any{"erin@example.net", "en"}},
		{"setPassword", []any{"bob@example.net", "pw", "en"}},
		{"setAccountQuota", []any{"bob@example.net", "none", "en"}},
		{"setPolicy", []any{"example.net", map[string]any{"starttls": "required", "authChecks": true}, "en"}},
		{"setServerUp", []any{"example.net", "mx", false, "en"}},
		{"setDevice", []any{"bob-laptop", map[string]any{"protocol": "imap", "security": "implicit"}, "en"}},
	} {
		status, _ := post(t, srv, c.method, "", c.args...)
		assert.Equal(t, 403, status, "%s needs the token", c.method)
		status, out := post(t, srv, c.method, "secret", c.args...)
		assert.Equal(t, 200, status, "%s with the token: %s", c.method, out["error"])
	}
}
