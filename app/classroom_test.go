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
	"maillab/simulator/netmap"
	"maillab/simulator/scenario"
)

// roomHost hosts a room on 127.88.41.1: the student app joins from
// 127.0.0.1, the address the system picks towards it.
func roomHost(t *testing.T) *classroom.Host {
	t.Helper()
	h, err := classroom.StartHost(classroom.HostOptions{Room: "room42", Bind: "127.88.41.1", Code: "K7Q-M4P",
		JoinPort: -1, DNSPort: -1, PortOffset: 31000})
	if err != nil && strings.Contains(err.Error(), "assign requested address") {
		t.Skip("this system cannot bind 127.88.x.y")
	}
	require.NoError(t, err)
	t.Cleanup(func() { h.Close() })
	return h
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
	assert.Equal(t, 31025, st.Ports.SMTP)
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
