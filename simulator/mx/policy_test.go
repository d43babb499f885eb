package mx_test

import (
	"errors"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/mail"
	"maillab/simulator/mail/mailtest"
	"maillab/simulator/mx"
)

// queue records relayed mail.
type queue struct {
	mu   sync.Mutex
	envs []mail.Envelope
	fail bool
}

func (q *queue) Enqueue(env mail.Envelope, _ []byte) (string, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.fail {
		return "", errors.New("queue closed")
	}
	q.envs = append(q.envs, env)
	return "4F2A1C3B9E", nil
}

func withPolicy(p mx.Policy, relay mx.Enqueuer) func(*mx.Options) {
	return func(o *mx.Options) { o.Policy, o.Relay = p, relay }
}

// With RequireTLS, MAIL before STARTTLS gets Postfix's 530 (encrypt), and
// the same MAIL after it is accepted; EHLO still offers STARTTLS.
func TestRequireTLS(t *testing.T) {
	w := start(t, "", withPolicy(mx.Policy{RequireTLS: true}, nil))
	r := w.session(t)
	assert.Equal(t, "530 5.7.0 Must issue a STARTTLS command first", r.Cmd("MAIL FROM:<alice@example.org>"))
	r.StartTLS(w.ca.ClientConfig("mx.example.net"))
	require.True(t, strings.HasPrefix(r.Cmd("EHLO smtp.example.org"), "250 "))
	assert.Equal(t, "250 2.1.0 Sender <alice@example.org> OK", r.Cmd("MAIL FROM:<alice@example.org>"))
}

// Without a TLS config the MX offers no STARTTLS (starttls-on-25: off)
// and takes mail in the clear.
func TestNoTLSOffered(t *testing.T) {
	w := start(t, "", func(o *mx.Options) { o.TLSConfig = nil })
	r, _ := mailtest.Dial(t, w.addr)
	assert.NotContains(t, r.Cmd("EHLO smtp.example.org"), "STARTTLS")
	assert.Equal(t, "502 5.5.1 TLS not supported", r.Cmd("STARTTLS"))
	assert.True(t, strings.HasPrefix(r.Cmd("MAIL FROM:<alice@example.org>"), "250 "))
}

// Greylisting (RFC 6647): a new triple's first try and an early retry get
// 450 4.2.0, a retry after the delay passes and from then on at once;
// another recipient is a new triple.
func TestGreylisting(t *testing.T) {
	clock := now
	var mu sync.Mutex
	tick := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
	g := mx.NewGreylist(time.Minute, func() time.Time { mu.Lock(); defer mu.Unlock(); return clock })
	w := start(t, "", withPolicy(mx.Policy{Greylist: g}, nil))
	grey := "450 4.2.0 <bob@example.net>: Recipient address rejected: Greylisted, see RFC 6647"
	ok := "250 2.1.5 Recipient <bob@example.net> OK"
	steps := []struct {
		name string
		wait time.Duration
		rcpt string
		want string
	}{
		{"first try", 0, "bob@example.net", grey},
		{"retry too early", 30 * time.Second, "bob@example.net", grey},
		{"retry after the delay", 31 * time.Second, "bob@example.net", ok},
		{"passed triple, at once", 0, "bob@example.net", ok},
		{"another recipient", 0, "carol@example.net",
			"450 4.2.0 <carol@example.net>: Recipient address rejected: Greylisted, see RFC 6647"},
	}
	for _, st := range steps {
		tick(st.wait)
		r := w.session(t)
		r.Cmd("MAIL FROM:<alice@example.org>")
		assert.Equal(t, st.want, r.Cmd("RCPT TO:<"+st.rcpt+">"), st.name)
		r.Close()
	}
	r := w.session(t)
	r.Cmd("MAIL FROM:<alice@example.org>")
	require.Equal(t, ok, r.Cmd("RCPT TO:<bob@example.net>"))
	require.True(t, strings.HasPrefix(r.Cmd("DATA"), "354 "))
	assert.Equal(t, "250 2.0.0 Ok: delivered to the mailbox", r.Cmd("Subject: x\r\n\r\nx\r\n."))
}

// The MX relays for its relay networks only: other clients get "Relay
// access denied" as before; the relayed copy goes to the queue, the local
// one to the MDA, and one reply tells both.
func TestRelayNetworks(t *testing.T) {
	loop := netip.MustParsePrefix("127.0.0.0/8")
	other := netip.MustParsePrefix("192.0.2.0/24")
	tests := []struct {
		name      string
		nets      []netip.Prefix
		failQueue bool
		to        []string
		rcpt      []string // replies to RCPT
		data      string   // reply after the dot ("" when no DATA)
		relayed   []string
		local     int
	}{
		{"not in the networks", []netip.Prefix{other}, false, []string{"eve@example.com"},
			[]string{"550 5.7.1 <eve@example.com>: Relay access denied"}, "", nil, 0},
		{"in the networks", []netip.Prefix{loop}, false, []string{"eve@example.com"},
			[]string{"250 2.1.5 Recipient <eve@example.com> OK"}, "250 2.0.0 Ok: queued as 4F2A1C3B9E",
			[]string{"eve@example.com"}, 0},
		{"open relay", []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}, false, []string{"bob@example.net", "eve@example.com"},
			[]string{"250 2.1.5 Recipient <bob@example.net> OK", "250 2.1.5 Recipient <eve@example.com> OK"},
			"250 2.0.0 Ok: queued as 4F2A1C3B9E", []string{"eve@example.com"}, 1},
		{"queue refuses", []netip.Prefix{loop}, true, []string{"eve@example.com"},
			[]string{"250 2.1.5 Recipient <eve@example.com> OK"},
			"451 4.3.0 Error: local delivery failed, try again later", nil, 0},
		{"queue refuses, local delivered", []netip.Prefix{loop}, true, []string{"bob@example.net", "eve@example.com"},
			[]string{"250 2.1.5 Recipient <bob@example.net> OK", "250 2.1.5 Recipient <eve@example.com> OK"},
			"451 4.3.0 Error: delivery failed for some recipients, try again later", nil, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := &queue{fail: tc.failQueue}
			w := start(t, "", withPolicy(mx.Policy{RelayNets: tc.nets}, q))
			r := w.session(t)
			r.Cmd("MAIL FROM:<alice@example.org>")
			for i, to := range tc.to {
				assert.Equal(t, tc.rcpt[i], r.Cmd("RCPT TO:<"+to+">"))
			}
			if tc.data != "" {
				require.True(t, strings.HasPrefix(r.Cmd("DATA"), "354 "))
				assert.Equal(t, tc.data, r.Cmd("Subject: x\r\n\r\nx\r\n."))
			}
			var relayed []string
			for _, env := range q.envs {
				relayed = append(relayed, env.To...)
				assert.Equal(t, "alice@example.org", env.From)
			}
			assert.Equal(t, tc.relayed, relayed)
			assert.Equal(t, tc.local, w.st.count())
		})
	}
}
