package classroom_test

import (
	"context"
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/netmap"
	"maillab/simulator/worldspec"
)

// The room provider's server policy (#19): a student changes it while
// her Maillab runs, as example.org's, and her classmates see it on the
// wire. The subnets 60 and up are this file's.

// submit sends a message from s's laptop (the world's mail client).
func (s worldStudent) submit(t *testing.T, subject, body string, to ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	require.NoError(t, s.w.Device(s.w.RoomDevices()[0]).Submit(ctx, mua.Draft{From: s.Account, To: to,
		Subject: subject, Body: body}, mua.SubmitOptions{}))
}

// inboxOf waits until s's INBOX holds n messages.
func (s worldStudent) inboxOf(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	require.Eventually(t, func() bool {
		msgs, err := s.w.Provider(s.Domain).Store.Messages(s.Account, "INBOX")
		if err != nil || len(msgs) < n {
			return false
		}
		out = out[:0]
		for _, m := range msgs {
			out = append(out, string(m.Raw))
		}
		return true
	}, wait, 20*time.Millisecond, "%s's INBOX never held %d messages", s.Account, n)
	return out
}

// ehlo greets s's MX from another machine of the room and returns its
// EHLO extensions.
func ehlo(t *testing.T, from, addr string) *smtp.Client {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: wait}
	conn, err := d.Dial("tcp", addr)
	require.NoError(t, err)
	c := smtp.NewClient(conn)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.Hello("classmate.example"))
	return c
}

// restarted reports whether w's transcript says server restarted for key.
func restarted(log []event.Event, server, key string) bool {
	return hasEvent(log, func(e event.Event) bool {
		return e.Code == "state.server-restarted" && e.Params["server"] == server && strings.Contains(e.Params["keys"], key)
	})
}

// classmateLine reports whether a line between s's MTA and a classmate's
// MX went dir and starts with prefix.
func classmateLine(log []event.Event, dir event.Dir, prefix string) bool {
	return hasEvent(log, func(e event.Event) bool {
		return e.Server == netmap.Classmate && e.Kind == event.KindLine && e.Dir == dir && strings.HasPrefix(e.Text, prefix)
	})
}

// STARTTLS off on ben's MX restarts it on the same LAN address and room
// port: its EHLO has no STARTTLS and anna's MTA delivers in the clear.
// Anna's outgoing-tls required then defers her mail, until ben offers
// STARTTLS again with the room CA's certificate.
func TestRoomPolicyStartTLS(t *testing.T) {
	r := newRoom(t, 60)
	anna := r.joinWorld("anna", 2)
	ben := r.joinWorld("ben", 3)
	mxAddr := ben.Addr(netmap.SMTP)
	ok, _ := ehlo(t, r.addr(9), mxAddr).Extension("STARTTLS")
	assert.True(t, ok)

	require.NoError(t, ben.w.SetPolicy(ben.Domain, worldspec.Policy{StartTLSOn25: worldspec.TLSOff}))
	assert.True(t, restarted(ben.w.Conductor.Log(), "mx."+ben.Domain, "starttls-on-25"))
	assert.Equal(t, worldspec.TLSOff, ben.w.RoomPolicy().StartTLSOn25)
	got, ok := ben.w.Dir.Addr("mx."+ben.Domain, netmap.SMTP.Port)
	require.True(t, ok)
	assert.Equal(t, mxAddr, got, "the MX is back on its LAN address and room port")
	ok, _ = ehlo(t, r.addr(9), mxAddr).Extension("STARTTLS")
	assert.False(t, ok, "no STARTTLS in the EHLO")

	anna.submit(t, "in the clear", "Hello", ben.Account)
	ben.inboxOf(t, 1)
	log := anna.w.Conductor.Log()
	assert.True(t, classmateLine(log, event.ClientToServer, "MAIL FROM:<"+anna.Account+">"))
	assert.False(t, classmateLine(log, event.ClientToServer, "STARTTLS"), "anna's MTA delivers in plain text")

	require.NoError(t, anna.w.SetPolicy(anna.Domain, worldspec.Policy{OutgoingTLS: worldspec.TLSRequired}))
	anna.submit(t, "only with TLS", "Hello again", ben.Account)
	require.Eventually(t, func() bool {
		for _, it := range anna.w.RoomQueue().Snapshot() {
			if it.State == mta.StateDeferred && strings.Contains(it.LastError, "TLS") {
				return true
			}
		}
		return false
	}, wait, 20*time.Millisecond, "anna's MTA defers rather than deliver in the clear")

	require.NoError(t, ben.w.SetPolicy(ben.Domain, worldspec.Policy{}))
	msgs := ben.inboxOf(t, 2)
	assert.Contains(t, msgs[1], "only with TLS")
	assert.True(t, classmateLine(anna.w.Conductor.Log(), event.ClientToServer, "STARTTLS"),
		"anna's MTA uses STARTTLS, verified against the room CA")
}

// Greylisting on ben's MX: anna's MTA's first try gets 450 4.2.0 (postgrey
// through Postfix), its retry after the delay is taken.
func TestRoomPolicyGreylisting(t *testing.T) {
	r := newRoom(t, 61)
	anna := r.joinWorld("anna", 2)
	ben := r.joinWorld("ben", 3)
	delay := worldspec.Duration(time.Minute)
	require.NoError(t, ben.w.SetPolicy(ben.Domain, worldspec.Policy{Greylisting: true, GreylistDelay: &delay}))
	assert.True(t, hasEvent(ben.w.Conductor.Log(), func(e event.Event) bool {
		return e.Code == "state.policy-changed" && strings.Contains(e.Params["keys"], "greylisting")
	}))

	anna.submit(t, "greylisted", "Knock knock", ben.Account)
	require.Eventually(t, func() bool {
		return classmateLine(anna.w.Conductor.Log(), event.ServerToClient, "450 4.2.0")
	}, wait, 20*time.Millisecond, "ben's MX greylists anna's first try")
	msgs, err := ben.w.Provider(ben.Domain).Store.Messages(ben.Account, "INBOX")
	require.NoError(t, err)
	assert.Empty(t, msgs)

	require.NoError(t, ben.w.PassTime(context.Background(), time.Duration(delay)+time.Second))
	ben.inboxOf(t, 1)
}

// A mailbox quota on ben's provider: anna's mail over it gets 552 5.2.2
// and comes back to her.
func TestRoomPolicyQuota(t *testing.T) {
	r := newRoom(t, 62)
	anna := r.joinWorld("anna", 2)
	ben := r.joinWorld("ben", 3)
	require.NoError(t, ben.w.SetPolicy(ben.Domain, worldspec.Policy{MailboxQuota: 2 << 10}))
	anna.submit(t, "too big for ben", strings.Repeat("0123456789abcdef\n", 200), ben.Account)
	bounce := anna.inboxOf(t, 1)[0]
	assert.Contains(t, bounce, "5.2.2")
	assert.True(t, classmateLine(anna.w.Conductor.Log(), event.ServerToClient, "552 5.2.2"))

	// Ben's account gets a quota of its own, none: the next one arrives.
	assert.Error(t, ben.w.SetAccountQuota("eve@"+ben.Domain, worldspec.Unlimited), "the room provider has one account")
	require.NoError(t, ben.w.SetAccountQuota(ben.Account, worldspec.Unlimited))
	assert.Equal(t, worldspec.Unlimited, ben.w.RoomAccountQuota())
	anna.submit(t, "fits now", strings.Repeat("0123456789abcdef\n", 200), ben.Account)
	assert.Contains(t, ben.inboxOf(t, 1)[0], "fits now")
}

// SIZE and AUTH before TLS restart ben's MX, MSA and mailbox server on
// their LAN addresses and room ports, with the room CA's certificate.
func TestRoomPolicySizeAndPlaintextAuth(t *testing.T) {
	r := newRoom(t, 63)
	anna := r.joinWorld("anna", 2)
	ben := r.joinWorld("ben", 3)
	c := ehlo(t, r.addr(9), ben.Addr(netmap.Submission))
	ok, _ := c.Extension("AUTH")
	require.False(t, ok, "no AUTH before TLS by default")

	require.NoError(t, ben.w.SetPolicy(ben.Domain, worldspec.Policy{MXSizeLimit: 4000, PlaintextAuth: true}))
	log := ben.w.Conductor.Log()
	for _, srv := range []string{"mx.", "smtp.", "mail."} {
		key := "plaintext-auth"
		if srv == "mx." {
			key = "mx-size-limit"
		}
		assert.True(t, restarted(log, srv+ben.Domain, key), "%s restarted", srv)
	}
	ok, size := ehlo(t, r.addr(9), ben.Addr(netmap.SMTP)).Extension("SIZE")
	require.True(t, ok)
	assert.Equal(t, "4000", size)
	ok, _ = ehlo(t, r.addr(9), ben.Addr(netmap.Submission)).Extension("AUTH")
	assert.True(t, ok, "AUTH before TLS on 587")
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: wait}, "tcp", ben.Addr(netmap.IMAPS),
		&tls.Config{ServerName: "mail." + ben.Domain, RootCAs: ben.Room().CAs, MinVersion: tls.VersionTLS12})
	require.NoError(t, err, "IMAP on 993 has the room CA's certificate still")
	conn.Close()

	anna.submit(t, "over SIZE", strings.Repeat("0123456789abcdef\n", 300), ben.Account)
	assert.Contains(t, anna.inboxOf(t, 1)[0], "5.3.4")
}

// auth-checks off: ben's MX takes a forged sender DMARC would refuse;
// queue-lifetime: anna's MTA returns what ben's MX never took.
func TestRoomPolicyAuthChecksAndLifetime(t *testing.T) {
	r := newRoom(t, 64)
	anna := r.joinWorld("anna", 2)
	ben := r.joinWorld("ben", 3)
	off := false
	require.NoError(t, ben.w.SetPolicy(ben.Domain, worldspec.Policy{AuthChecks: &off}))
	c := ehlo(t, r.addr(9), ben.Addr(netmap.SMTP))
	msg := "From: <" + anna.Account + ">\r\nTo: <" + ben.Account + ">\r\nSubject: trust me\r\n\r\nSend me your password.\r\n"
	require.NoError(t, c.SendMail(anna.Account, []string{ben.Account}, strings.NewReader(msg)),
		"without the checks the forged sender gets in")
	ben.inboxOf(t, 1)

	life := worldspec.Duration(time.Minute)
	require.NoError(t, anna.w.SetPolicy(anna.Domain, worldspec.Policy{QueueLifetime: &life}))
	require.NoError(t, ben.w.SetServerUp(ben.Domain, "mx", false))
	assert.Equal(t, []string{"mx"}, ben.w.RoomPolicy().Down)
	anna.submit(t, "never arrives", "Hello?", ben.Account)
	require.Eventually(t, func() bool {
		for _, it := range anna.w.RoomQueue().Snapshot() {
			if it.State == mta.StateDeferred {
				return true
			}
		}
		return false
	}, wait, 20*time.Millisecond, "anna's MTA defers while ben's MX is down")
	require.NoError(t, anna.w.PassTime(context.Background(), 2*time.Minute))
	bounce := anna.inboxOf(t, 1)[0]
	assert.Contains(t, bounce, "never arrives")
	expired := false
	for _, it := range anna.w.RoomQueue().Snapshot() {
		expired = expired || it.Expired
	}
	assert.True(t, expired, "returned to sender at the end of its lifetime")
}

// The room's rules are no policy: a room provider relays for nobody.
func TestRoomPolicyNoRelay(t *testing.T) {
	r := newRoom(t, 65)
	anna := r.joinWorld("anna", 2)
	err := anna.w.SetPolicy(anna.Domain, worldspec.Policy{RelayNetworks: []string{"10.0.0.0/8"}})
	var fe *worldspec.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "policy.relay-networks", fe.Path)
	assert.Empty(t, anna.w.RoomPolicy().RelayNetworks)
	assert.Error(t, anna.w.SetPolicy(anna.Domain, worldspec.Policy{MXSizeLimit: 10}), "checked as a world file's")
}
