//go:build !(js && wasm)

package app

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
	"maillab/simulator/scenario"
)

// roomProviderOf is the room provider in the World settings.
func roomProviderOf(t *testing.T, a *App, domain string) ProviderWorld {
	t.Helper()
	ws, err := a.WorldSettings()
	require.NoError(t, err)
	for _, p := range ws.Providers {
		if p.Domain == domain {
			return p
		}
	}
	require.Failf(t, "no room provider", "the settings do not list %s", domain)
	return ProviderWorld{}
}

// The World settings change the room provider's server policy as
// example.org's: the MX restarts on its LAN address and room port, a
// run started again keeps the policy, relay networks are refused in the
// asked language.
func TestRoomPolicyFromSettings(t *testing.T) {
	h := roomHost(t)
	a, _ := newTestApp(t)
	st, err := a.JoinRoom(h.JoinAddress(), h.Code(), "dora", "en")
	require.NoError(t, err)
	room := roomProviderOf(t, a, st.Domain)
	assert.True(t, room.Room)
	assert.Equal(t, "offered", room.Policy.StartTLS)

	in := room.Policy
	in.StartTLS, in.MXSizeLimit, in.Greylisting, in.GreylistDelay = "off", "4000", true, "2m"
	require.NoError(t, a.SetPolicy(st.Domain, in, "en"))
	mx := net.JoinHostPort(st.Address, fmt.Sprint(st.Ports.SMTP))
	ehlo := func() *smtp.Client {
		conn, err := net.DialTimeout("tcp", mx, 5*time.Second)
		require.NoError(t, err, "the MX is back on its address")
		c := smtp.NewClient(conn)
		t.Cleanup(func() { c.Close() })
		require.NoError(t, c.Hello("classmate.example"))
		return c
	}
	c := ehlo()
	ok, _ := c.Extension("STARTTLS")
	assert.False(t, ok)
	ok, size := c.Extension("SIZE")
	assert.True(t, ok)
	assert.Equal(t, "4000", size)

	got := roomProviderOf(t, a, st.Domain).Policy
	assert.Equal(t, "off", got.StartTLS)
	assert.Equal(t, "4000B", got.MXSizeLimit)
	assert.Equal(t, "2m", got.GreylistDelay)
	spec := a.currentSpec()
	assert.Nil(t, spec.Provider(st.Domain), "the room provider is no part of the world file")

	require.NoError(t, a.SetAccountQuota(st.Account, "none", "en"))
	assert.Equal(t, "none", roomProviderOf(t, a, st.Domain).Accounts[0].Quota)

	_, err = a.Start(scenario.LiveID)
	require.NoError(t, err)
	room = roomProviderOf(t, a, st.Domain)
	assert.Equal(t, got, room.Policy, "the next run keeps the room provider's policy")
	assert.Equal(t, "none", room.Accounts[0].Quota, "and the account's quota")
	ok, _ = ehlo().Extension("STARTTLS")
	assert.False(t, ok)

	in.RelayNetworks = []string{"10.0.0.0/8"}
	for _, lang := range []string{"en", "de", "pl"} {
		err = a.SetPolicy(st.Domain, in, lang)
		require.Error(t, err)
		assert.Equal(t, i18n.T(lang, "ui.settings.error.room-relay", map[string]string{"domain": st.Domain}), err.Error())
	}
	in.RelayNetworks, in.MXSizeLimit = nil, "10"
	err = a.SetPolicy(st.Domain, in, "de")
	require.Error(t, err, "checked as a world file's")
	assert.Contains(t, err.Error(), "SIZE-Grenze")
}
