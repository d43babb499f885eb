//go:build !(js && wasm)

package app

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
	"maillab/simulator/classroom"
	"maillab/simulator/dns"
	"maillab/simulator/netmap"
	"maillab/simulator/scenario"
)

// roomHost hosts a room on 127.88.41.1: the student app joins from
// 127.0.0.1, the address the system picks towards it.
func roomHost(t *testing.T) *classroom.Host {
	t.Helper()
	h, err := classroom.StartHost(classroom.HostOptions{Room: "room42", Bind: "127.88.41.1", Code: "K7Q-M4P",
		JoinPort: -1, DNSPort: -1, PortOffset: freeOffset(t)})
	if err != nil && strings.Contains(err.Error(), "assign requested address") {
		t.Skip("this system cannot bind 127.88.x.y")
	}
	require.NoError(t, err)
	t.Cleanup(func() { h.Close() })
	return h
}

// freeOffset is a room port offset whose ports are free on 127.0.0.1 now
// (the student app listens there): other programs on this machine may
// hold some.
func freeOffset(t *testing.T) int {
	t.Helper()
	for off := 40000; off < 60000; off += 1000 {
		free := true
		for _, svc := range []netmap.Service{netmap.SMTP, netmap.Submission, netmap.Submissions, netmap.POP3, netmap.POP3S, netmap.IMAP, netmap.IMAPS} {
			l, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", svc.Port+off))
			if err != nil {
				free = false
				break
			}
			l.Close()
		}
		if free {
			return off
		}
	}
	t.Skip("no free room ports on 127.0.0.1")
	return 0
}

func TestJoinAndLeaveRoom(t *testing.T) {
	h := roomHost(t)
	a, _ := newTestApp(t)
	_, err := a.Start(scenario.LiveID)
	require.NoError(t, err)

	for _, tc := range []struct{ code, name, want string }{
		{"WRONG1", "anna", i18n.T("de", "ui.classroom.refused.wrong-code", nil)},
		{h.Code(), "Anna Maria", i18n.T("de", "ui.classroom.bad-name", nil)},
	} {
		_, err := a.JoinRoom(h.JoinAddress(), tc.code, tc.name, "de")
		require.Error(t, err, "%s/%s", tc.code, tc.name)
		assert.Equal(t, tc.want, err.Error())
	}
	st, err := a.RoomStatus("en")
	require.NoError(t, err)
	assert.False(t, st.Joined, "a refused join leaves the app out of the room")

	st, err = a.JoinRoom(h.JoinAddress(), strings.ToLower(h.Code()), " Anna ", "en")
	require.NoError(t, err)
	assert.True(t, st.Joined)
	assert.Equal(t, "anna.room42.test", st.Domain)
	assert.Equal(t, "anna@anna.room42.test", st.Account)
	assert.NotEmpty(t, st.Password)
	assert.Equal(t, []string{"anna-laptop", "anna-phone"}, st.Devices)
	assert.Equal(t, st.Ports.Offset+25, st.Ports.SMTP)
	assert.Contains(t, st.Summary, "anna.room42.test")

	info, err := a.Run()
	require.NoError(t, err)
	assert.Equal(t, scenario.LiveID, info.Scenario, "the live world runs again, with the room provider")
	ids := map[string]bool{}
	for _, n := range info.Nodes {
		ids[n.ID] = true
	}
	for _, id := range []string{"anna-laptop", "anna-phone", "mx.anna.room42.test", netmap.RoomDNS, netmap.Classmate, "alice-laptop"} {
		assert.True(t, ids[id], "node %s", id)
	}
	require.Eventually(t, func() bool { return len(h.Map().Providers) == 1 }, 5*time.Second, 10*time.Millisecond)
	mx := net.JoinHostPort(st.Address, fmt.Sprint(st.Ports.SMTP))
	c, err := net.DialTimeout("tcp", mx, 5*time.Second)
	require.NoError(t, err, "the room MX listens on the LAN address")
	c.Close()

	_, err = a.JoinRoom(h.JoinAddress(), h.Code(), "anna2", "en")
	require.Error(t, err)
	assert.Equal(t, i18n.T("en", "ui.classroom.already", nil), err.Error())

	_, err = a.LeaveRoom()
	require.NoError(t, err)
	st, err = a.RoomStatus("en")
	require.NoError(t, err)
	assert.False(t, st.Joined)
	assert.Empty(t, h.Map().Providers, "the host forgot the provider")
	_, err = net.DialTimeout("tcp", mx, 5*time.Second)
	assert.Error(t, err, "leaving closes the LAN listeners")
	info, err = a.Run()
	require.NoError(t, err)
	for _, n := range info.Nodes {
		assert.NotEqual(t, netmap.RoomDNS, n.ID, "the live world runs without the room provider")
	}
}

// Reset and another scenario leave the room; so does Close.
func TestRoomLeftOnReset(t *testing.T) {
	h := roomHost(t)
	a, _ := newTestApp(t)
	_, err := a.JoinRoom(h.JoinAddress(), h.Code(), "ben", "en")
	require.NoError(t, err)
	_, err = a.Reset()
	require.NoError(t, err)
	st, _ := a.RoomStatus("en")
	assert.False(t, st.Joined)
	assert.Empty(t, h.Map().Providers)

	_, err = a.JoinRoom(h.JoinAddress(), h.Code(), "ben", "en")
	require.NoError(t, err, "joining again with the same name works after leaving")
	require.NoError(t, a.Close())
	assert.Empty(t, h.Map().Providers)
}

func TestRoomMethodsNeedControl(t *testing.T) {
	a, _ := newTestApp(t)
	m := Methods(a)
	for _, name := range []string{"joinRoom", "leaveRoom", "roomStatus"} {
		c, ok := m[name]
		require.True(t, ok, name)
		assert.True(t, c.control, "%s needs the control token (the status carries the password)", name)
	}
}

// The World settings show the room provider, and its DNS tab publishes
// SPF, DKIM and DMARC in the room DNS through the host.
func TestRoomDNSFromSettings(t *testing.T) {
	h := roomHost(t)
	a, _ := newTestApp(t)
	st, err := a.JoinRoom(h.JoinAddress(), h.Code(), "cleo", "en")
	require.NoError(t, err)
	ws, err := a.WorldSettings()
	require.NoError(t, err)
	var room *ProviderWorld
	for i := range ws.Providers {
		if ws.Providers[i].Domain == st.Domain {
			room = &ws.Providers[i]
		}
	}
	require.NotNil(t, room, "the settings list the room provider")
	assert.Equal(t, "v=spf1 ip4:"+st.Address+" -all", room.DNS.SPF)
	require.NotNil(t, room.DNS.DKIM)
	assert.Equal(t, "room", room.DNS.DKIM.Selector)
	assert.Equal(t, []AccountSettings{{Address: st.Account, Password: st.Password, Devices: st.Devices}}, room.Accounts)

	// Its MX goes down and comes back, in the running world.
	mx := net.JoinHostPort(st.Address, fmt.Sprint(st.Ports.SMTP))
	require.NoError(t, a.SetServerUp(st.Domain, "mx", false, "en"))
	_, err = net.DialTimeout("tcp", mx, 5*time.Second)
	assert.Error(t, err, "the MX is down")
	require.NoError(t, a.SetServerUp(st.Domain, "mx", true, "en"))
	c, err := net.DialTimeout("tcp", mx, 5*time.Second)
	require.NoError(t, err, "the MX is back")
	c.Close()

	zone := room.DNS.Clone()
	zone.SPF = "v=spf1 ip4:192.0.2.1 -all"
	got, err := a.SetDNS(st.Domain, zone)
	require.NoError(t, err)
	assert.Equal(t, zone.SPF, got.SPF)
	res := dns.NewResolver(h.DNSAddress(), (&net.Dialer{}).DialContext)
	txt, err := res.LookupTXT(t.Context(), st.Domain)
	require.NoError(t, err)
	assert.Equal(t, []string{zone.SPF}, txt, "the room DNS has the new record")
	page, err := a.Events(0, 0)
	require.NoError(t, err)
	noted := false
	for _, l := range page.Events {
		noted = noted || l.Code == "state.room-dns-changed" && l.Params["domain"] == st.Domain
	}
	assert.True(t, noted, "the transcript says the room DNS changed")
	spec := a.currentSpec()
	assert.Nil(t, spec.Provider(st.Domain), "the room's records are no part of the world file")

	zone.SPF = "v=spf1 ipv4:192.0.2.1 -all"
	_, err = a.SetDNS(st.Domain, zone)
	require.Error(t, err, "the host refuses a broken record")
	txt, err = dns.NewResolver(h.DNSAddress(), (&net.Dialer{}).DialContext).LookupTXT(t.Context(), st.Domain)
	require.NoError(t, err)
	assert.Equal(t, []string{"v=spf1 ip4:192.0.2.1 -all"}, txt, "and keeps the one before")
}

// The built-in mail client has the student's laptop and phone: a mail
// from the laptop to the student's own address goes the room's way (the
// MTA asks the room DNS) and the phone reads it with IMAP.
func TestRoomMailClient(t *testing.T) {
	h := roomHost(t)
	a, _ := newTestApp(t)
	st, err := a.JoinRoom(h.JoinAddress(), h.Code(), "dana", "en")
	require.NoError(t, err)
	devs, err := a.Devices()
	require.NoError(t, err)
	protocols := map[string]string{}
	for _, d := range devs {
		protocols[d.ID] = d.Protocol
	}
	assert.Equal(t, "imap", protocols["dana-laptop"])
	assert.Equal(t, "imap", protocols["dana-phone"])

	_, err = a.Compose(ComposeRequest{Lang: "en", Device: "dana-laptop", To: []string{st.Account}, Subject: "Note to self", Body: "Room mail", Route: "587"})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		if _, err := a.CheckMail(CheckRequest{Lang: "en", Device: "dana-phone"}); err != nil {
			return false
		}
		devs, _ := a.Devices()
		for _, d := range devs {
			for _, m := range d.Messages {
				if d.ID == "dana-phone" && m.Subject == "Note to self" {
					return true
				}
			}
		}
		return false
	}, 20*time.Second, 100*time.Millisecond, "the phone reads the mail")
	log, err := a.Events(0, 0)
	require.NoError(t, err)
	queried, explained := false, map[string]bool{}
	for _, l := range log.Events {
		if l.Server == netmap.RoomDNS && l.Text == "QUERY MX dana.room42.test." {
			queried = true
			explained["dns"] = l.Explain != nil && l.Explain.Key != ""
		}
		// The explanations key off the protocol, not the domain.
		if l.Server == "mx.dana.room42.test" && strings.HasPrefix(l.Text, "RCPT TO:") {
			explained["rcpt"] = l.Explain != nil && l.Explain.Key != ""
		}
	}
	assert.True(t, queried, "the transcript has the MTA's MX query to the room DNS")
	assert.Equal(t, map[string]bool{"dns": true, "rcpt": true}, explained, "the room's lines are explained")
}
