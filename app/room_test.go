//go:build !(js && wasm)

package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/classroom"
	"maillab/simulator/mta"
	"maillab/simulator/netmap"
)

// roomWait only guards against a hang.
const roomWait = 30 * time.Second

// hostTestRoom opens a room on 127.0.0.1 with free ports and the test
// port plan; students join from 127.88.<subnet>.n.
func hostTestRoom(t *testing.T, a *App) RoomScreen {
	t.Helper()
	s, err := a.HostRoom(RoomOptions{Room: "room7", Bind: "127.0.0.1", Code: "TEST-ROOM", JoinPort: -1, DNSPort: -1, PortOffset: 21000}, "en")
	require.NoError(t, err)
	return s
}

func joinTestRoom(t *testing.T, s RoomScreen, name, addr string) *classroom.Student {
	t.Helper()
	st, err := classroom.Join(context.Background(), classroom.JoinOptions{Host: s.JoinAddress, Code: s.Code, Name: name,
		Bind: addr, Password: "pw-" + name, Retry: mta.Retry{Delays: []time.Duration{100 * time.Millisecond}, MaxAttempts: 100}})
	if err != nil && strings.Contains(err.Error(), "assign requested address") {
		t.Skip("this system cannot bind 127.88.x.y (only Linux routes all of 127/8 to loopback)")
	}
	require.NoError(t, err, "join %s", name)
	t.Cleanup(st.Stop)
	return st
}

// sendRoomMail submits a mail as a mail client does: STARTTLS on the
// submission port with the room CA, AUTH PLAIN.
func sendRoomMail(t *testing.T, s *classroom.Student, to string) {
	t.Helper()
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM([]byte(s.CA)))
	c, err := smtp.DialStartTLS(s.Addr(netmap.Submission), &tls.Config{ServerName: "smtp." + s.Domain, RootCAs: pool, MinVersion: tls.VersionTLS13})
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Auth(sasl.NewPlainClient("", s.Account, s.Password)))
	msg := "From: <" + s.Account + ">\r\nTo: <" + to + ">\r\nSubject: hello\r\nDate: " + time.Now().Format(time.RFC1123Z) +
		"\r\nMessage-ID: <room-" + s.Domain + ">\r\n\r\nHello across the room\r\n"
	require.NoError(t, c.SendMail(s.Account, []string{to}, strings.NewReader(msg)))
	require.NoError(t, c.Quit())
}

func TestHostRoomScreen(t *testing.T) {
	a, rec := newTestApp(t)
	s := hostTestRoom(t, a)
	assert.True(t, s.Open)
	assert.Equal(t, "room7.test", s.Zone)
	assert.Equal(t, "room7", s.Room)
	assert.Equal(t, "TEST-ROOM", s.Code)
	assert.Equal(t, "maillab classroom join "+s.JoinAddress+" --code TEST-ROOM --name YOUR-NAME", s.JoinCommand)
	assert.Equal(t, "http://"+s.JoinAddress+"/?code=TEST-ROOM", s.JoinLink)
	assert.Equal(t, 21025, s.Ports.SMTP)
	assert.Contains(t, s.PortsLine, "MX 21025, submission 21587 and 21465")
	assert.True(t, strings.HasPrefix(s.DNS, "127.0.0.1:"))
	require.NotEmpty(t, s.QR)
	assert.Len(t, s.QR[0], len(s.QR), "the QR code is square")
	assert.Empty(t, s.Nodes)
	assert.Equal(t, 1, rec.count(EventRoom), "the UI hears that the room opened")

	_, err := a.HostRoom(RoomOptions{Bind: "127.0.0.1", JoinPort: -1, DNSPort: -1}, "de")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Raum", "a second room is refused, in the user's language")

	anna := joinTestRoom(t, s, "anna", "127.88.61.2")
	ben := joinTestRoom(t, s, "ben", "127.88.61.3")
	sendRoomMail(t, anna, ben.Account)

	var got RoomScreen
	require.Eventually(t, func() bool {
		got, err = a.RoomScreen("en", 0)
		return err == nil && got.Counts.Delivered == 1
	}, roomWait, 20*time.Millisecond, "the delivery reaches the room screen")
	require.Len(t, got.Nodes, 2)
	assert.Equal(t, RoomNode{Name: "anna", Domain: "anna.room7.test", Address: "127.88.61.2", Online: true, Joined: got.Nodes[0].Joined, Sent: 1}, got.Nodes[0])
	assert.Equal(t, RoomNode{Name: "ben", Domain: "ben.room7.test", Address: "127.88.61.3", Online: true, Joined: got.Nodes[1].Joined, Received: 1}, got.Nodes[1])
	assert.Equal(t, RoomCounts{Deliveries: 1, Delivered: 1, Online: 2}, got.Counts)
	require.Len(t, got.Entries, 3)
	assert.Equal(t, []string{"joined", "joined", "delivery"}, []string{got.Entries[0].Kind, got.Entries[1].Kind, got.Entries[2].Kind})
	d := got.Entries[2]
	assert.Equal(t, RoomEntry{Seq: 3, Kind: "delivery", Time: d.Time, From: "anna.room7.test", To: "ben.room7.test", Outcome: "delivered", Status: d.Status}, d)
	assert.True(t, strings.HasPrefix(d.Status, "2."), d.Status)
	assert.Equal(t, uint64(3), got.Last)

	// The cursor: after seq 2 only the delivery; after the last nothing.
	page, err := a.RoomScreen("en", 2)
	require.NoError(t, err)
	require.Len(t, page.Entries, 1)
	assert.Equal(t, uint64(3), page.Entries[0].Seq)
	page, err = a.RoomScreen("en", 3)
	require.NoError(t, err)
	assert.Empty(t, page.Entries)
	assert.False(t, page.More)
	assert.Eventually(t, func() bool { return rec.count(EventRoom) >= 2 }, roomWait, 10*time.Millisecond, "new entries are announced")

	// A student who leaves stays on the map, offline.
	require.NoError(t, ben.Leave(context.Background()))
	require.Eventually(t, func() bool {
		got, _ = a.RoomScreen("en", 3)
		return len(got.Entries) == 1
	}, roomWait, 20*time.Millisecond)
	assert.Equal(t, RoomEntry{Seq: 4, Kind: "left", Time: got.Entries[0].Time, Domain: "ben.room7.test"}, got.Entries[0])
	assert.False(t, got.Nodes[1].Online)
	assert.Equal(t, 1, got.Counts.Online)

	// closeRoom stops every listener of the room.
	join := s.JoinAddress
	require.NoError(t, a.CloseRoom())
	got, err = a.RoomScreen("en", 0)
	require.NoError(t, err)
	assert.False(t, got.Open)
	_, err = http.Get("http://" + join + "/")
	assert.Error(t, err, "the join service is closed")
}

func TestRoomRefusedAndPaging(t *testing.T) {
	a, _ := newTestApp(t)
	hostTestRoom(t, a)
	r := &a.room
	at := time.Now()
	r.watch(classroom.Change{Kind: classroom.Joined, Provider: &classroom.Provider{Name: "anna", Domain: "anna.room7.test", Address: "10.0.0.2", Joined: at}})
	for i, tc := range []struct{ outcome, status, want string }{
		{classroom.Bounced, "5.7.26", RoomRefused}, // DMARC (RFC 7372)
		{classroom.Bounced, "5.1.1", classroom.Bounced},
		{classroom.Deferred, "4.4.1", classroom.Deferred},
		{classroom.Delivered, "2.0.0", classroom.Delivered},
	} {
		r.watch(classroom.Change{Kind: classroom.Report, Event: &classroom.Event{From: "anna.room7.test", To: "ben.room7.test",
			Time: at, Outcome: tc.outcome, Status: tc.status}})
		s, err := a.RoomScreen("en", uint64(i+1))
		require.NoError(t, err)
		require.Len(t, s.Entries, 1)
		assert.Equal(t, tc.want, s.Entries[0].Outcome, tc.status)
	}
	s, err := a.RoomScreen("en", 0)
	require.NoError(t, err)
	assert.Equal(t, RoomCounts{Deliveries: 4, Delivered: 1, Deferred: 1, Bounced: 1, Refused: 1, Online: 1}, s.Counts)

	// Mail deferred for ben marks him as waited for, until a delivery gets through.
	r.watch(classroom.Change{Kind: classroom.Joined, Provider: &classroom.Provider{Name: "ben", Domain: "ben.room7.test", Address: "10.0.0.3", Joined: at}})
	waiting := func() bool {
		s, err := a.RoomScreen("en", 0)
		require.NoError(t, err)
		return s.Nodes[1].Waiting
	}
	for _, tc := range []struct {
		outcome string
		want    bool
	}{{classroom.Deferred, true}, {classroom.Bounced, true}, {classroom.Delivered, false}} {
		r.watch(classroom.Change{Kind: classroom.Report, Event: &classroom.Event{From: "anna.room7.test", To: "ben.room7.test", Time: at, Outcome: tc.outcome, Status: "4.4.1"}})
		assert.Equal(t, tc.want, waiting(), tc.outcome)
	}
	s, err = a.RoomScreen("en", 0)
	require.NoError(t, err)
	assert.Equal(t, 7, s.Nodes[0].Sent)

	for range maxRoomEntries + RoomPage {
		r.watch(classroom.Change{Kind: classroom.Report, Event: &classroom.Event{From: "anna.room7.test", To: "ben.room7.test",
			Time: at, Outcome: classroom.Delivered, Status: "2.0.0"}})
	}
	s, err = a.RoomScreen("en", 0)
	require.NoError(t, err)
	assert.Len(t, s.Entries, RoomRecent, "a first look brings the newest")
	assert.Equal(t, s.Last, s.Entries[len(s.Entries)-1].Seq)
	s, err = a.RoomScreen("en", 1)
	require.NoError(t, err)
	assert.Len(t, s.Entries, RoomPage, "a page is bounded")
	assert.True(t, s.More)
	assert.Equal(t, s.Last-maxRoomEntries+1, s.Entries[0].Seq, "a cursor older than the kept log starts at its oldest")
}

// A reset and the app's end close the room; opening it needs the token
// in browser mode, looking at it does not.
func TestRoomClosesAndNeedsToken(t *testing.T) {
	a, srv := newServer(t)
	status, out := post(t, srv, "hostRoom", "", map[string]any{"bind": "127.0.0.1", "joinPort": -1, "dnsPort": -1}, "en")
	assert.Equal(t, http.StatusForbidden, status, "%s", out["error"])
	status, out = post(t, srv, "hostRoom", "secret", map[string]any{"room": "r1", "bind": "127.0.0.1", "joinPort": -1, "dnsPort": -1}, "en")
	require.Equal(t, http.StatusOK, status, "%s", out["error"])
	var s RoomScreen
	require.NoError(t, json.Unmarshal(out["result"], &s))
	assert.Equal(t, "r1.test", s.Zone)
	status, out = post(t, srv, "roomScreen", "", "pl")
	require.Equal(t, http.StatusOK, status)
	var viewer RoomScreen
	require.NoError(t, json.Unmarshal(out["result"], &viewer))
	assert.True(t, viewer.Open)
	assert.Contains(t, viewer.JoinCommand, "--name TWOJA-NAZWA")
	status, _ = post(t, srv, "closeRoom", "")
	assert.Equal(t, http.StatusForbidden, status)

	_, err := a.Start("send-pop3")
	require.NoError(t, err)
	_, err = a.Reset()
	require.NoError(t, err)
	got, err := a.RoomScreen("en", 0)
	require.NoError(t, err)
	assert.False(t, got.Open, "a reset closes the room")
	_, err = http.Get("http://" + s.JoinAddress + "/")
	assert.Error(t, err)

	_, err = a.HostRoom(RoomOptions{Bind: "127.0.0.1", JoinPort: -1, DNSPort: -1}, "en")
	require.NoError(t, err)
	require.NoError(t, a.Close())
	got, _ = a.RoomScreen("en", 0)
	assert.False(t, got.Open, "closing the app closes the room")
}
