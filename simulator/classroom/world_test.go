package classroom_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/classroom"
	"maillab/simulator/event"
	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/netmap"
	"maillab/simulator/world"
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
