package world

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/mta"
	"maillab/simulator/netmap"
	"maillab/simulator/worldspec"
)

// specWith is the default spec with f applied.
func specWith(f func(s *Spec)) *Spec {
	s := DefaultSpec()
	f(&s)
	return &s
}

// lineSeen reports whether a server line with text went over port.
func lineSeen(w *World, port int, text string) bool {
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindLine && ev.Port == port && ev.Text == text {
			return true
		}
	}
	return false
}

func bobsInbox(t *testing.T, w *World) []string {
	t.Helper()
	msgs, err := w.Provider("example.net").Store.Messages("bob@example.net", "INBOX")
	require.NoError(t, err)
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = string(m.Raw)
	}
	return out
}

// starttls-on-25 and outgoing-tls: the MX offers, demands or lacks
// STARTTLS; Alice's MTA uses it when offered, delivers in the clear when
// not (opportunistic), or defers when it must have TLS.
func TestStartTLSOn25(t *testing.T) {
	tests := []struct {
		name, mode, outgoing string
		ehloTLS              bool
		mailReply            string // a client's MAIL before STARTTLS
		state                mta.State
		with                 string // in Bob's Received field
		lastError            string
	}{
		{"offered (default)", "", "", true, "250 2.1.0 Sender <eve@example.com> OK", mta.StateSent, "with ESMTPS", ""},
		{"required", worldspec.TLSRequired, "", true, "530 5.7.0 Must issue a STARTTLS command first", mta.StateSent, "with ESMTPS", ""},
		{"off, opportunistic sender", worldspec.TLSOff, "", false, "250 2.1.0 Sender <eve@example.com> OK", mta.StateSent, "with ESMTP\r\n", ""},
		{"off, sender requires TLS", worldspec.TLSOff, worldspec.TLSRequired, false, "250 2.1.0 Sender <eve@example.com> OK",
			mta.StateDeferred, "", "TLS is required, but was not offered by host mx.example.net["},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := start(t, Options{Spec: specWith(func(s *Spec) {
				s.Provider("example.net").Policy.StartTLSOn25 = tc.mode
				s.Provider("example.org").Policy.OutgoingTLS = tc.outgoing
			})})
			mx := dialRaw(t, w, "mx.example.net", netmap.SMTP)
			ehlo := strings.Join(mx.send("EHLO client.test", func(l string) bool { return strings.HasPrefix(l, "250 ") }), "\n")
			assert.Equal(t, tc.ehloTLS, strings.Contains(ehlo, "STARTTLS"), ehlo)
			assert.Equal(t, tc.mailReply, smtpCmd(mx, "MAIL FROM:<eve@example.com>"))

			deliver(t, w, "TLS on 25")
			q := w.Provider("example.org").Queue.Snapshot()
			require.Len(t, q, 1)
			assert.Equal(t, tc.state, q[0].State)
			assert.Contains(t, q[0].LastError, tc.lastError)
			inbox := bobsInbox(t, w)
			if tc.state != mta.StateSent {
				assert.Empty(t, inbox)
				return
			}
			require.Len(t, inbox, 1)
			assert.Contains(t, inbox[0], tc.with)
		})
	}
}

// greylisting: the first try gets postgrey's 450, the queue defers as
// for any 4xx, and its retry after the delay (the fake clock moved on)
// is accepted and delivered.
func TestGreylistingDefersTheFirstTry(t *testing.T) {
	clock := mta.NewFakeClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	delay := worldspec.Duration(90 * time.Second)
	w := start(t, Options{Clock: clock, Now: clock.Now, Spec: specWith(func(s *Spec) {
		p := &s.Provider("example.net").Policy
		p.Greylisting, p.GreylistDelay = true, &delay
	})})
	deliver(t, w, "Greylisted once")
	grey := "450 4.2.0 <bob@example.net>: Recipient address rejected: Greylisted, see RFC 6647"
	assert.True(t, lineSeen(w, 25, grey), "postgrey's reply on the wire")
	q := w.Provider("example.org").Queue
	it := q.Snapshot()[0]
	require.Equal(t, mta.StateDeferred, it.State)
	assert.Equal(t, grey, it.LastError)
	assert.Empty(t, bobsInbox(t, w))

	clock.Advance(time.Minute) // the queue's first retry, 30 s too early for the greylist
	require.NoError(t, q.Flush(ctx(t)))
	assert.Equal(t, mta.StateDeferred, q.Snapshot()[0].State, "a retry before the delay is greylisted again")
	assert.Equal(t, 2, q.Snapshot()[0].Attempts)

	clock.Advance(5 * time.Minute) // the second retry
	require.NoError(t, q.Flush(ctx(t)))
	assert.Equal(t, mta.StateSent, q.Snapshot()[0].State)
	assert.Len(t, bobsInbox(t, w), 1)

	deliver(t, w, "The triple is known now")
	assert.Equal(t, mta.StateSent, q.Snapshot()[1].State, "a passed triple is not greylisted again")
}

// relay-networks: by default the MX relays for nobody; a network in the
// list (here every address: a misconfigured open relay) gets its mail to
// other domains queued and delivered there.
func TestRelayNetworks(t *testing.T) {
	tests := []struct {
		name  string
		nets  []string
		rcpt  string
		relay bool
	}{
		{"default: no relay", nil, "550 5.7.1 <alice@example.org>: Relay access denied", false},
		{"a network that is not the client's", []string{"192.0.2.0/24"}, "550 5.7.1 <alice@example.org>: Relay access denied", false},
		{"open relay", []string{"0.0.0.0/0"}, "250 2.1.5 Recipient <alice@example.org> OK", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := start(t, Options{Spec: specWith(func(s *Spec) {
				s.Provider("example.net").Policy.RelayNetworks = tc.nets
			})})
			mx := dialRaw(t, w, "mx.example.net", netmap.SMTP)
			smtpCmd(mx, "EHLO spammer.test")
			require.True(t, strings.HasPrefix(smtpCmd(mx, "MAIL FROM:<bob@example.net>"), "250 "))
			assert.Equal(t, tc.rcpt, smtpCmd(mx, "RCPT TO:<alice@example.org>"))
			if !tc.relay {
				return
			}
			require.True(t, strings.HasPrefix(smtpCmd(mx, "DATA"), "354 "))
			smtpCmd(mx, "Subject: cheap pills\r\n\r\nBuy now!\r\n.")
			q := w.Provider("example.net").Queue
			require.Len(t, q.Snapshot(), 1, "the MX queued it for example.org")
			assert.True(t, lineSeen(w, 25, "250 2.0.0 Ok: queued as "+q.Snapshot()[0].ID))
			require.NoError(t, q.Flush(ctx(t)))
			assert.Equal(t, mta.StateSent, q.Snapshot()[0].State)
			inbox, err := w.Provider("example.org").Store.Messages("alice@example.org", "INBOX")
			require.NoError(t, err)
			require.Len(t, inbox, 1, "relayed into Alice's mailbox")
			assert.Contains(t, string(inbox[0].Raw), "Buy now!")
		})
	}
}

// down: the servers listed are off the network from the start;
// SetServerUp brings them back on the same addresses and says so in the
// log; taking one down refuses new connections.
func TestServersDownAndUp(t *testing.T) {
	w := start(t, Options{Spec: specWith(func(s *Spec) {
		s.Provider("example.net").Policy.Down = []string{worldspec.ServerMailbox}
	})})
	refused := func(host string, svc netmap.Service) bool {
		addr, ok := w.Dir.Addr(host, svc.Port)
		require.True(t, ok)
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	}
	for _, svc := range []netmap.Service{netmap.POP3, netmap.POP3S, netmap.IMAP, netmap.IMAPS} {
		assert.True(t, refused("mail.example.net", svc), "port %d down from the start", svc.Port)
	}
	assert.False(t, w.ServerUp("example.net", ServerMailbox))
	assert.False(t, refused("mail.example.org", netmap.IMAP), "the other provider's is up")

	require.NoError(t, w.SetServerUp("example.net", ServerMailbox, true))
	assert.True(t, w.ServerUp("example.net", ServerMailbox))
	pop := dialRaw(t, w, "mail.example.net", netmap.POP3)
	assert.True(t, strings.HasPrefix(pop.send("CAPA", pop3List)[0], "+OK"))

	require.NoError(t, w.SetServerUp("example.org", ServerSubmission, false))
	require.NoError(t, w.SetServerUp("example.org", ServerSubmission, false), "twice is fine, logged once")
	assert.True(t, refused("smtp.example.org", netmap.Submission))
	assert.True(t, refused("smtp.example.org", netmap.Submissions))
	require.NoError(t, w.SetServerUp("example.org", ServerSubmission, true))
	assert.False(t, refused("smtp.example.org", netmap.Submission))

	var got []string
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindState && strings.HasPrefix(ev.Code, "state.server-") {
			got = append(got, ev.Code+" "+ev.Actor+" "+ev.Params["role"]+" "+ev.Params["ports"])
		}
	}
	assert.Equal(t, []string{
		"state.server-down mail.example.net mailbox 110, 143, 993, 995",
		"state.server-up mail.example.net mailbox 110, 143, 993, 995",
		"state.server-down smtp.example.org submission 465, 587",
		"state.server-up smtp.example.org submission 465, 587",
	}, got)
	assert.Error(t, w.SetServerUp("example.net", "dns", false))
	assert.Error(t, w.SetServerUp("example.com", ServerMX, false))
}

// Accounts change while the world runs; the MX, POP3 and IMAP see it at
// once, and Spec describes the world as it is now.
func TestAccountsWhileRunning(t *testing.T) {
	w := start(t, Options{AuthFailureDelay: -1, Spec: specWith(func(s *Spec) {
		s.Provider("example.net").Policy.PlaintextAuth = true
	})})
	login := func(user, pw string) string {
		im := dialRaw(t, w, "mail.example.net", netmap.IMAP)
		got := im.send("a LOGIN "+user+" "+pw, tagged)
		return got[len(got)-1]
	}
	rcpt := func(to string) string {
		mx := dialRaw(t, w, "mx.example.net", netmap.SMTP)
		smtpCmd(mx, "EHLO client.test")
		smtpCmd(mx, "MAIL FROM:<alice@example.org>")
		return smtpCmd(mx, "RCPT TO:<"+to+">")
	}

	assert.Equal(t, "550 5.1.1 <erin@example.net>: Recipient address rejected: User unknown", rcpt("erin@example.net"))
	require.NoError(t, w.AddAccount(worldspec.Account{Address: "erin@example.net", Password: "erin", Quota: 4 << 10}))
	assert.True(t, strings.HasPrefix(login("erin@example.net", "erin"), "a OK"))
	assert.Equal(t, "250 2.1.5 Recipient <erin@example.net> OK", rcpt("erin@example.net"))
	u, err := w.Provider("example.net").Store.Usage("erin@example.net")
	require.NoError(t, err)
	assert.Equal(t, int64(4<<10), u.Quota, "her own quota")
	u, err = w.Provider("example.net").Store.Usage("bob@example.net")
	require.NoError(t, err)
	assert.Equal(t, int64(50<<20), u.Quota, "Bob keeps the provider's")

	err = w.AddAccount(worldspec.Account{Address: "ERIN@example.net", Password: "x"})
	assert.ErrorContains(t, err, "providers[1].accounts[4].address: ERIN@example.net is listed twice (first at providers[1].accounts[3])")
	assert.ErrorContains(t, w.AddAccount(worldspec.Account{Address: "x@example.com", Password: "x"}), "no provider")

	require.NoError(t, w.SetPassword("bob@example.net", "new-secret"))
	assert.True(t, strings.HasPrefix(login("bob@example.net", "builder"), "a NO"), "the old password fails")
	assert.True(t, strings.HasPrefix(login("bob@example.net", "new-secret"), "a OK"))
	assert.ErrorContains(t, w.SetPassword("bob@example.net", " spaced"), "providers[1].accounts[0].password: starts or ends with a space")

	require.NoError(t, w.SetAccountQuota("bob@example.net", 2<<10))
	deliver(t, w, strings.Repeat("long subject ", 200))
	q := w.Provider("example.org").Queue.Snapshot()
	assert.Equal(t, mta.StateBounced, q[len(q)-1].State, "over Bob's new quota: 552 5.2.2")
	assert.True(t, lineSeen(w, 25, "552 5.2.2 <bob@example.net> Quota exceeded (mailbox for user is full)"))

	require.NoError(t, w.RemoveAccount("carol@example.net"))
	assert.Equal(t, "550 5.1.1 <carol@example.net>: Recipient address rejected: User unknown", rcpt("carol@example.net"))
	assert.ErrorContains(t, w.RemoveAccount("bob@example.net"), "bob-laptop reads the mail of bob@example.net")
	assert.ErrorContains(t, w.RemoveAccount("carol@example.net"), "no account")

	s := w.Spec()
	erin, _ := s.Account("erin@example.net")
	require.NotNil(t, erin)
	assert.Equal(t, worldspec.Size(4<<10), erin.Quota)
	bob, _ := s.Account("bob@example.net")
	assert.Equal(t, "new-secret", bob.Password)
	assert.Equal(t, worldspec.Size(2<<10), bob.Quota)
	carol, _ := s.Account("carol@example.net")
	assert.Nil(t, carol)
	require.NoError(t, s.Validate())

	var got []string
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindState && strings.HasPrefix(ev.Code, "state.account-") {
			got = append(got, ev.Code+" "+ev.Params["account"]+" "+ev.Params["quota"])
		}
	}
	assert.Equal(t, []string{"state.account-added erin@example.net ", "state.account-password bob@example.net ",
		"state.account-quota bob@example.net 2KiB", "state.account-removed carol@example.net "}, got)
}

// A world change after Close is refused.
func TestAccountChangesAfterClose(t *testing.T) {
	w := start(t, Options{})
	require.NoError(t, w.Close())
	assert.ErrorIs(t, w.AddAccount(worldspec.Account{Address: "erin@example.net", Password: "erin"}), ErrClosed)
	assert.ErrorIs(t, w.SetServerUp("example.net", ServerMX, false), ErrClosed)
}

// SetPolicy changes what the running MX does; what needs a new world is
// refused and changes nothing; a wrong value is refused with its path.
func TestSetPolicyWhileRunning(t *testing.T) {
	w := start(t, Options{})
	mail := func() string {
		mx := dialRaw(t, w, "mx.example.net", netmap.SMTP)
		smtpCmd(mx, "EHLO client.test")
		if r := smtpCmd(mx, "MAIL FROM:<eve@example.com>"); !strings.HasPrefix(r, "250 ") {
			return r
		}
		return smtpCmd(mx, "RCPT TO:<alice@example.org>")
	}
	require.Equal(t, "550 5.7.1 <alice@example.org>: Relay access denied", mail())

	pol := netPolicy(w)
	pol.StartTLSOn25 = worldspec.TLSRequired
	require.NoError(t, w.SetPolicy("example.net", pol))
	assert.Equal(t, "530 5.7.0 Must issue a STARTTLS command first", mail())

	pol.StartTLSOn25, pol.RelayNetworks = "", []string{"127.0.0.0/8"}
	require.NoError(t, w.SetPolicy("example.net", pol))
	assert.Equal(t, "250 2.1.5 Recipient <alice@example.org> OK", mail(), "relays now")

	pol.RelayNetworks, pol.Greylisting, pol.Down = nil, true, []string{worldspec.ServerSubmission}
	require.NoError(t, w.SetPolicy("example.net", pol))
	mx := dialRaw(t, w, "mx.example.net", netmap.SMTP)
	smtpCmd(mx, "EHLO client.test")
	smtpCmd(mx, "MAIL FROM:<eve@example.com>")
	assert.Equal(t, "450 4.2.0 <bob@example.net>: Recipient address rejected: Greylisted, see RFC 6647",
		smtpCmd(mx, "RCPT TO:<bob@example.net>"))
	assert.False(t, w.ServerUp("example.net", ServerSubmission))
	assert.Equal(t, []string{worldspec.ServerSubmission}, netPolicy(w).Down)

	pol.Down = nil
	require.NoError(t, w.SetPolicy("example.net", pol))
	assert.True(t, w.ServerUp("example.net", ServerSubmission))
	assert.Nil(t, netPolicy(w).Down)

	before := w.Spec()
	bad := netPolicy(w)
	bad.Down = []string{"dns"}
	assert.ErrorContains(t, w.SetPolicy("example.net", bad), `providers[1].policy.down[0]: "dns" is not a server`)
	assert.Equal(t, before, w.Spec(), "a refused change changes nothing")

	var got []string
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindState && (ev.Code == "state.policy-changed" || strings.HasPrefix(ev.Code, "state.server-")) {
			got = append(got, ev.Code+" "+ev.Actor+" "+ev.Params["keys"])
		}
	}
	assert.Equal(t, []string{
		"state.policy-changed mx.example.net starttls-on-25",
		"state.policy-changed mx.example.net starttls-on-25, relay-networks",
		"state.policy-changed mx.example.net greylisting, relay-networks",
		"state.server-down smtp.example.net ",
		"state.server-up smtp.example.net ",
	}, got)
}

func netPolicy(w *World) worldspec.Policy {
	s := w.Spec()
	return s.Provider("example.net").Policy
}

// ehlo is what a server on port 25 or 587 announces before STARTTLS.
func ehlo(t *testing.T, w *World, host string, svc netmap.Service) []string {
	r := dialRaw(t, w, host, svc)
	_, err := r.c.Write([]byte("EHLO client.test\r\n"))
	require.NoError(t, err)
	var out []string
	for {
		l := r.read()
		out = append(out, l[4:])
		if len(l) < 4 || l[3] != '-' {
			return out
		}
	}
}

// What a server reads only at start restarts it while the world runs:
// SIZE and STARTTLS at all on the MX, AUTH before TLS on the MSA and the
// mailbox server. The sending MTA's TLS and queue lifetime change without
// a restart. Each restart is a state line with the keys.
func TestSetPolicyRestartsServers(t *testing.T) {
	w := start(t, Options{})
	pol := netPolicy(w)
	pol.MXSizeLimit, pol.StartTLSOn25 = 4000, worldspec.TLSOff
	require.NoError(t, w.SetPolicy("example.net", pol))
	got := ehlo(t, w, "mx.example.net", netmap.SMTP)
	assert.Contains(t, got, "SIZE 4000")
	assert.NotContains(t, got, "STARTTLS")
	assert.True(t, w.ServerUp("example.net", ServerMX))

	pol.StartTLSOn25 = worldspec.TLSRequired
	require.NoError(t, w.SetPolicy("example.net", pol))
	assert.Contains(t, ehlo(t, w, "mx.example.net", netmap.SMTP), "STARTTLS")
	mx := dialRaw(t, w, "mx.example.net", netmap.SMTP)
	smtpCmd(mx, "EHLO client.test")
	assert.Equal(t, "530 5.7.0 Must issue a STARTTLS command first", smtpCmd(mx, "MAIL FROM:<eve@example.com>"))

	assert.NotContains(t, strings.Join(ehlo(t, w, "smtp.example.net", netmap.Submission), "\n"), "AUTH ")
	pol.PlaintextAuth = true
	require.NoError(t, w.SetPolicy("example.net", pol))
	assert.Contains(t, strings.Join(ehlo(t, w, "smtp.example.net", netmap.Submission), "\n"), "AUTH PLAIN")
	pop := dialRaw(t, w, "mail.example.net", netmap.POP3)
	_, err := pop.c.Write([]byte("USER bob@example.net\r\n"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(pop.read(), "+OK"), "USER before STLS")

	// down while restarted: stays down, comes back as the new server
	pol.Down = []string{worldspec.ServerMX}
	require.NoError(t, w.SetPolicy("example.net", pol))
	pol.MXSizeLimit, pol.Down = 5000, nil
	require.NoError(t, w.SetPolicy("example.net", pol))
	assert.Contains(t, ehlo(t, w, "mx.example.net", netmap.SMTP), "SIZE 5000")

	lt := worldspec.Duration(time.Hour)
	spec := w.Spec()
	org := spec.Provider("example.org").Policy
	org.OutgoingTLS, org.QueueLifetime = worldspec.TLSRequired, &lt
	require.NoError(t, w.SetPolicy("example.org", org))
	assert.Equal(t, time.Hour, w.Provider("example.org").Queue.Lifetime())

	var notes []string
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindState && (ev.Code == "state.policy-changed" || ev.Code == "state.server-restarted") {
			notes = append(notes, ev.Code+" "+ev.Actor+" "+ev.Params["keys"]+" "+ev.Params["ports"])
		}
	}
	assert.Equal(t, []string{
		"state.server-restarted mx.example.net mx-size-limit, starttls-on-25 25",
		"state.server-restarted mx.example.net starttls-on-25 25",
		"state.server-restarted smtp.example.net plaintext-auth 587, 465",
		"state.server-restarted mail.example.net plaintext-auth 110, 995, 143, 993",
		"state.server-restarted mx.example.net mx-size-limit 25",
		"state.policy-changed mx.example.org outgoing-tls, queue-lifetime ",
	}, notes)
}
