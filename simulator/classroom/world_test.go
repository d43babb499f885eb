package classroom_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/classroom"
	"maillab/simulator/dns"
	"maillab/simulator/event"
	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/netmap"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// worldStudent is a student whose provider runs inside a world, as in
// the app: tapped, with the student's laptop and phone.
type worldStudent struct {
	*classroom.Student
	w *world.World
}

// joinWorld enrols a student from address .n and starts a world with
// the room provider.
func (r *room) joinWorld(name string, n int) worldStudent {
	r.t.Helper()
	s, err := classroom.Enrol(context.Background(), classroom.JoinOptions{Host: r.host.JoinAddress(), Code: r.host.Code(),
		Name: name, Bind: r.addr(n), Password: "pw-" + name,
		Retry: mta.Retry{Delays: []time.Duration{100 * time.Millisecond}, MaxAttempts: 1000}})
	require.NoError(r.t, err, "enrol %s", name)
	w, err := world.Start(world.Options{Room: s.Room(), AutoQueue: true, AuthFailureDelay: -1})
	if err != nil {
		s.Leave(context.Background())
	}
	require.NoError(r.t, err, "world of %s", name)
	require.NoError(r.t, s.Ready(context.Background(), w.RoomQueue()))
	r.t.Cleanup(func() {
		s.Stop()
		w.Close()
	})
	return worldStudent{Student: s, w: w}
}

func TestWorldRoomProvider(t *testing.T) {
	r := newRoom(t, 31)
	anna := r.joinWorld("anna", 2)
	ben := r.joinWorld("ben", 3)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	assert.Equal(t, "anna.room42.test", anna.w.RoomDomain())
	node, ok := anna.w.Node("anna-laptop")
	require.True(t, ok, "anna's laptop is a node of her world")
	assert.Equal(t, "anna.room42.test", node.Domain)

	laptop := anna.w.Device("anna-laptop")
	require.NotNil(t, laptop)
	require.NoError(t, laptop.Submit(ctx, mua.Draft{From: anna.Account, To: []string{ben.Account},
		Subject: "Hello neighbour", Body: "Lunch at noon?"}, mua.SubmitOptions{}))

	phone := ben.w.Device("ben-phone")
	require.NotNil(t, phone)
	require.Eventually(t, func() bool {
		s, err := phone.OpenIMAP(ctx, mua.Implicit)
		if err != nil {
			return false
		}
		defer s.Logout()
		if s.Sync(ctx) != nil {
			return false
		}
		for _, m := range phone.Messages() {
			if m.Subject == "Hello neighbour" {
				return true
			}
		}
		return false
	}, wait, 50*time.Millisecond, "ben's phone never read anna's mail over IMAP")

	// Anna's transcript: her MTA asks the room DNS for ben's MX and talks
	// SMTP with it, STARTTLS and all, decrypted for the endpoint view.
	log := anna.w.Conductor.Log()
	assert.True(t, hasEvent(log, func(e event.Event) bool {
		return e.Server == netmap.RoomDNS && e.Client == "smtp.anna.room42.test" && e.Dir == event.ClientToServer &&
			e.Text == "QUERY MX ben.room42.test."
	}), "anna's MTA asks the room DNS for ben's MX")
	for _, line := range []string{"STARTTLS", "RCPT TO:<ben@ben.room42.test>"} {
		assert.True(t, hasEvent(log, func(e event.Event) bool {
			return e.Server == netmap.Classmate && e.Client == "smtp.anna.room42.test" && e.Proto == "smtp" &&
				e.Kind == event.KindLine && strings.HasPrefix(e.Text, line)
		}), "anna's transcript shows %q to ben's MX", line)
	}
	// Ben's transcript: anna's MTA is an outside client at her address,
	// his MX checks her records in the room DNS.
	blog := ben.w.Conductor.Log()
	assert.True(t, hasEvent(blog, func(e event.Event) bool {
		return e.Server == "mx.ben.room42.test" && e.Client == netmap.External &&
			strings.HasPrefix(e.ClientAddr, r.addr(2)+":") && strings.HasPrefix(e.Text, "MAIL FROM:<anna@anna.room42.test>")
	}), "ben's MX sees anna's MTA as an external client at her address")
	assert.True(t, hasEvent(blog, func(e event.Event) bool {
		return e.Server == netmap.RoomDNS && e.Client == "mx.ben.room42.test" && e.Text == "QUERY TXT _dmarc.anna.room42.test."
	}), "ben's MX asks the room DNS for anna's DMARC record")
	require.Eventually(t, func() bool {
		m := r.host.Map()
		for _, e := range m.Events {
			if e.From == anna.Domain && e.To == ben.Domain && e.Outcome == classroom.Delivered {
				return true
			}
		}
		return false
	}, wait, 20*time.Millisecond, "the room map hears of the delivery")
}

// A recipient outside the room bounces at once, from inside the world too.
func TestWorldRoomRefusesOutside(t *testing.T) {
	r := newRoom(t, 32)
	anna := r.joinWorld("anna", 2)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	require.NoError(t, anna.w.Device("anna-phone").Submit(ctx, mua.Draft{From: anna.Account, To: []string{"bob@example.net"},
		Subject: "Out", Body: "?"}, mua.SubmitOptions{}))
	p := anna.w.Provider(anna.Domain)
	require.Eventually(t, func() bool {
		msgs, err := p.Store.Messages(anna.Account, "INBOX")
		return err == nil && len(msgs) == 1 && strings.Contains(string(msgs[0].Raw), "never to the internet")
	}, wait, 20*time.Millisecond, "anna gets a bounce that says mail stays in the room")
}

func hasEvent(log []event.Event, ok func(event.Event) bool) bool {
	for _, e := range log {
		if ok(e) {
			return true
		}
	}
	return false
}

// A student who publishes a wrong SPF record sees her neighbour's MX
// refuse her mail: the room DNS has her record, his MX asks it.
func TestWorldRoomWrongSPF(t *testing.T) {
	r := newRoom(t, 34)
	anna := r.joinWorld("anna", 2)
	ben := r.joinWorld("ben", 3)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()

	// The host checks a record before it publishes it, and changes only
	// the records of the student who asks.
	_, err := anna.PublishRecords(ctx, classroom.Records{SPF: "v=spf1 ipv4:10.0.0.9 -all", DKIM: anna.Records().DKIM, DMARC: "v=DMARC1; p=reject"})
	var je *classroom.JoinError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "bad-record", je.Reason)
	assert.Contains(t, je.Message, "spf")

	wrong := classroom.Records{SPF: "v=spf1 ip4:192.0.2.1 -all", DKIM: anna.Records().DKIM, DMARC: "v=DMARC1; p=reject"}
	got, err := anna.PublishRecords(ctx, wrong)
	require.NoError(t, err)
	assert.Equal(t, wrong, got)
	assert.Equal(t, wrong, anna.Records())
	res := dns.NewResolver(r.host.DNSAddress(), (&net.Dialer{}).DialContext)
	txt, err := res.LookupTXT(ctx, anna.Domain)
	require.NoError(t, err)
	assert.Equal(t, []string{wrong.SPF}, txt, "the room DNS has anna's new SPF record")
	txt, err = res.LookupTXT(ctx, ben.Domain)
	require.NoError(t, err)
	assert.Equal(t, []string{"v=spf1 ip4:" + r.addr(3) + " -all"}, txt, "ben's record is his own still")

	// Her mail is signed with the key in the room DNS still: DMARC passes
	// on DKIM alone, and ben gets it.
	laptop := anna.w.Device("anna-laptop")
	require.NoError(t, laptop.Submit(ctx, mua.Draft{From: anna.Account, To: []string{ben.Account},
		Subject: "Signed", Body: "My SPF is wrong, my signature is not"}, mua.SubmitOptions{}))
	bp := ben.w.Provider(ben.Domain)
	require.Eventually(t, func() bool {
		msgs, err := bp.Store.Messages(ben.Account, "INBOX")
		return err == nil && len(msgs) == 1
	}, wait, 20*time.Millisecond, "DKIM alone passes DMARC")

	// With another key in DNS her signature fails too: DMARC refuses.
	other, err := world.NewDKIMKey()
	require.NoError(t, err)
	wrong.DKIM, err = world.DKIMRecord(other.Public())
	require.NoError(t, err)
	_, err = anna.PublishRecords(ctx, wrong)
	require.NoError(t, err)
	// Ben's MX keeps what it asked for the room's TTL (30 s): past it,
	// it asks again.
	require.NoError(t, ben.w.PassTime(ctx, 31*time.Second))
	require.NoError(t, laptop.Submit(ctx, mua.Draft{From: anna.Account, To: []string{ben.Account},
		Subject: "Forged?", Body: "Neither SPF nor DKIM says it is me"}, mua.SubmitOptions{}))
	p := anna.w.Provider(anna.Domain)
	var bounce string
	require.Eventually(t, func() bool {
		msgs, err := p.Store.Messages(anna.Account, "INBOX")
		if err != nil || len(msgs) == 0 {
			return false
		}
		bounce = string(msgs[0].Raw)
		return true
	}, wait, 20*time.Millisecond, "anna gets a bounce")
	assert.Contains(t, bounce, "5.7.1")
	assert.Contains(t, bounce, "DMARC")
	msgs, err := bp.Store.Messages(ben.Account, "INBOX")
	require.NoError(t, err)
	assert.Len(t, msgs, 1, "ben's MX refused the second mail")
	assert.True(t, hasEvent(anna.w.Conductor.Log(), func(e event.Event) bool {
		return e.Server == netmap.Classmate && e.Dir == event.ServerToClient && strings.HasPrefix(e.Text, "550 5.7.1")
	}), "anna's transcript shows ben's MX refusing")
}

// The world's own changes leave the room provider alone: its records are
// the host's, its accounts the join's (its policy is its own:
// policy_test.go).
func TestWorldRoomProviderRefusesWorldChanges(t *testing.T) {
	r := newRoom(t, 35)
	anna := r.joinWorld("anna", 2)
	assert.Error(t, anna.w.SetDNS(anna.Domain, worldspec.DNS{SPF: "v=spf1 -all"}))
	assert.Error(t, anna.w.AddAccount(worldspec.Account{Address: "eve@" + anna.Domain, Password: "x"}))
	require.NoError(t, anna.w.SetServerUp(anna.Domain, world.ServerMX, false))
	assert.False(t, anna.w.ServerUp(anna.Domain, world.ServerMX))
	require.NoError(t, anna.w.SetServerUp(anna.Domain, world.ServerMX, true))
	assert.True(t, anna.w.ServerUp(anna.Domain, world.ServerMX))
}
