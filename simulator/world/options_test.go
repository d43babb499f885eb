package world

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/netmap"
)

// The MX really goes off the network and comes back on the same address:
// the queue sees "connection refused", defers, and delivers on the retry.
func TestSetMXUpClosesAndReopensTheSameAddress(t *testing.T) {
	clock := mta.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	w := start(t, Options{Clock: clock, Now: clock.Now})
	addr, ok := w.Dir.Addr("mx.example.net", netmap.SMTP.Port)
	require.True(t, ok)

	require.NoError(t, w.SetMXUp("example.net", false))
	require.NoError(t, w.SetMXUp("example.net", false), "twice is fine")
	assert.False(t, w.MXUp("example.net"))
	_, err := net.DialTimeout("tcp", addr, time.Second)
	require.Error(t, err, "nobody listens while the MX is down")

	deliver(t, w, "While the MX is down")
	q := w.Provider("example.org").Queue.Snapshot()
	require.Len(t, q, 1)
	assert.Equal(t, mta.StateDeferred, q[0].State)
	assert.Contains(t, q[0].LastError, "refused")

	require.NoError(t, w.SetMXUp("example.net", true))
	assert.True(t, w.MXUp("example.net"))
	got, _ := w.Dir.Addr("mx.example.net", netmap.SMTP.Port)
	assert.Equal(t, addr, got, "same address")
	clock.Advance(time.Minute)
	require.NoError(t, w.Provider("example.org").Queue.Flush(ctx(t)))
	assert.Equal(t, mta.StateSent, w.Provider("example.org").Queue.Snapshot()[0].State)
	inbox, err := w.Provider("example.net").Store.Messages("bob@example.net", "INBOX")
	require.NoError(t, err)
	assert.Len(t, inbox, 1)
	assert.Error(t, w.SetMXUp("example.com", false), "no such provider")
}

func TestSetMXUpAfterClose(t *testing.T) {
	w := start(t, Options{})
	require.NoError(t, w.SetMXUp("example.net", false))
	require.NoError(t, w.Close())
	assert.ErrorIs(t, w.SetMXUp("example.net", true), ErrClosed)
}

func TestMXMaxMessageBytesIsAdvertised(t *testing.T) {
	w := start(t, Options{MXMaxMessageBytes: 2000})
	conn, err := w.DialService(ctx(t), "impostor", "mx.example.net", 25)
	require.NoError(t, err)
	defer conn.Close()
	buf := make([]byte, 512)
	_, err = conn.Read(buf) // greeting
	require.NoError(t, err)
	_, err = conn.Write([]byte("EHLO test\r\n"))
	require.NoError(t, err)
	var reply []byte
	for !contains(reply, "\r\n250 ") {
		n, err := conn.Read(buf)
		require.NoError(t, err)
		reply = append(reply, buf[:n]...)
	}
	assert.Contains(t, string(reply), "SIZE 2000")
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }

func TestExtraDevicesAndAccounts(t *testing.T) {
	w := start(t, Options{ExtraDevices: true})
	require.NotNil(t, w.Device("carol-laptop"))
	require.NotNil(t, w.Device("dave-laptop"))
	assert.Len(t, w.Snapshot().Devices, 5)
	st := w.Provider("example.net").Store
	assert.NoError(t, st.CheckPassword("carol@example.net", "carol"))
	assert.NoError(t, st.CheckPassword("dave@example.net", "dave"))
	n, err := w.Device("dave-laptop").FetchPOP3(ctx(t), mua.POP3Options{})
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Nil(t, start(t, Options{}).Device("carol-laptop"), "off by default")
	_, ok := w.Node("impostor")
	require.True(t, ok)
	clients := clientsByPort(w.Conductor.Log())
	assert.Equal(t, []string{"dave-laptop"}, clients[110])
}

func TestInsecureAuthOnlyForTheListedDomain(t *testing.T) {
	w := start(t, Options{InsecureAuth: []string{"example.org"}})
	d := mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Subject: "plain",
		Body: "Hi\r\n", Date: w.Now()}
	require.NoError(t, w.Device("alice-laptop").Submit(ctx(t), d, mua.SubmitOptions{Security: mua.Plain}))
	d = mua.Draft{From: "bob@example.net", To: []string{"alice@example.org"}, Subject: "plain",
		Body: "Hi\r\n", Date: w.Now()}
	assert.Error(t, w.Device("bob-laptop").Submit(ctx(t), d, mua.SubmitOptions{Security: mua.Plain}),
		"example.net still wants STARTTLS first")
}
