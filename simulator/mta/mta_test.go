package mta_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/mail"
	"maillab/simulator/mta"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// recorder collects the states an item went through.
type recorder struct {
	mu     sync.Mutex
	states []mta.State
	ch     chan mta.Item
}

func record(q *mta.Queue) *recorder {
	r := &recorder{ch: make(chan mta.Item, 100)}
	q.Subscribe(func(it mta.Item) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if n := len(r.states); n == 0 || r.states[n-1] != it.State {
			r.states = append(r.states, it.State)
		}
		r.ch <- it
	})
	return r
}

func (r *recorder) seen() []mta.State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]mta.State(nil), r.states...)
}

// waitFor reads item updates until one is in state s. The timeout only
// guards against a hang; nothing here measures time.
func (r *recorder) waitFor(t *testing.T, s mta.State) mta.Item {
	t.Helper()
	for {
		select {
		case it := <-r.ch:
			if it.State == s {
				return it
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("no item reached %s; states %v", s, r.seen())
		}
	}
}

func TestRelayToMX(t *testing.T) {
	w := newWorld(t, nil)
	rec := record(w.q)
	id := w.send("alice@example.org", "bob@example.net")
	assert.Len(t, id, 10)
	w.flush()

	assert.Equal(t, []mta.State{mta.StateQueued, mta.StateLookingUp, mta.StateConnecting,
		mta.StateSending, mta.StateSent}, rec.seen())
	items := w.q.Snapshot()
	require.Len(t, items, 1)
	it := items[0]
	assert.Equal(t, id, it.ID)
	assert.Equal(t, "example.net", it.Domain)
	assert.Equal(t, "mx.example.net", it.MX)
	assert.Equal(t, 1, it.Attempts)
	assert.Equal(t, mta.StateSent, it.To[0].State)
	assert.Equal(t, "250 2.0.0 Ok: delivered to the mailbox", it.To[0].Reply)

	got := w.boxes["example.net"].messages()
	require.Len(t, got, 1)
	assert.True(t, strings.HasPrefix(got[0], "Received: from smtp.example.org ([127.0.0.1])\r\n\t(using TLSv1.3"), got[0])
	assert.Contains(t, got[0], "with ESMTPS\r\n\tfor <bob@example.net>;")
	raw, ok := w.q.Message(id)
	require.True(t, ok)
	assert.True(t, strings.HasSuffix(got[0], string(raw)), "the MX only prepends")
	assert.Empty(t, w.bounced())
}

func TestOneItemPerDomain(t *testing.T) {
	w := newWorld(t, nil)
	id := w.send("alice@example.org", "bob@example.net", "alice@example.org")
	w.flush()
	items := w.q.Snapshot()
	require.Len(t, items, 2)
	for i, d := range []string{"example.net", "example.org"} {
		assert.Equal(t, id, items[i].ID)
		assert.Equal(t, d, items[i].Domain)
		assert.Equal(t, mta.StateSent, items[i].State)
		assert.Len(t, w.boxes[d].messages(), 1)
	}
}

func TestUnknownUserBounces(t *testing.T) {
	w := newWorld(t, nil)
	w.send("alice@example.org", "bob@example.net", "bob2@example.net")
	w.flush()

	it := w.q.Snapshot()[0]
	assert.Equal(t, mta.StateBounced, it.State)
	assert.Equal(t, mta.StateSent, it.To[0].State, "bob got it")
	assert.Equal(t, mta.StateBounced, it.To[1].State)
	assert.Len(t, w.boxes["example.net"].messages(), 1)

	b := w.bounced()
	require.Len(t, b, 1)
	assert.Equal(t, mail.Envelope{From: "", To: []string{"alice@example.org"}, Size: len(b[0].dsn), Arrived: start},
		b[0].env, "null sender (RFC 5321 §4.5.5)")
	r := parseDSN(t, b[0].dsn)
	ct, params, _ := r.header.ContentType()
	assert.Equal(t, "multipart/report", ct)
	assert.Equal(t, "delivery-status", params["report-type"])
	assert.Equal(t, "Mail Delivery System <MAILER-DAEMON@example.org>", r.header.Get("From"))
	assert.Equal(t, "auto-replied", r.header.Get("Auto-Submitted"))
	assert.Equal(t, []string{"text/plain", "message/delivery-status", "text/rfc822-headers"}, r.types)
	require.Len(t, r.fields, 2, "per-message block and one recipient")
	assert.Equal(t, "dns; smtp.example.org", r.fields[0].Get("Reporting-MTA"))
	rc := r.fields[1]
	assert.Equal(t, "rfc822; bob2@example.net", rc.Get("Final-Recipient"))
	assert.Equal(t, "failed", rc.Get("Action"))
	assert.Equal(t, "5.1.1", rc.Get("Status"))
	assert.Equal(t, "dns; mx.example.net", rc.Get("Remote-MTA"))
	assert.Equal(t, "smtp; 550 5.1.1 <bob2@example.net>: Recipient address rejected: User unknown", rc.Get("Diagnostic-Code"))
	assert.Contains(t, r.headers, "Subject: test 2\r\n")
}

func TestDeferredThenRetry(t *testing.T) {
	w := newWorld(t, nil)
	w.boxes["example.net"].setFail(true)
	w.send("alice@example.org", "bob@example.net")
	w.flush()

	it := w.q.Snapshot()[0]
	assert.Equal(t, mta.StateDeferred, it.State)
	assert.Equal(t, start.Add(time.Minute), it.NextRetry)
	assert.Equal(t, "451 4.3.0 Error: local delivery failed, try again later", it.LastError)
	assert.Equal(t, mta.StateDeferred, it.To[0].State)

	w.flush() // not due yet
	assert.Equal(t, 1, w.q.Snapshot()[0].Attempts)

	w.boxes["example.net"].setFail(false)
	w.clock.Advance(time.Minute)
	w.flush()
	it = w.q.Snapshot()[0]
	assert.Equal(t, mta.StateSent, it.State)
	assert.Equal(t, 2, it.Attempts)
	assert.True(t, it.NextRetry.IsZero())
	assert.Empty(t, w.bounced())
}

func TestGiveUpBounces(t *testing.T) {
	w := newWorld(t, func(o *mta.Options) {
		o.Retry = mta.Retry{Delays: []time.Duration{time.Minute, 5 * time.Minute}, MaxAttempts: 3}
	})
	w.send("alice@example.org", "carol@example.com") // its MX refuses connections
	var next []time.Time
	for range 3 {
		w.flush()
		it := w.q.Snapshot()[0]
		next = append(next, it.NextRetry)
		w.clock.Advance(time.Hour)
	}
	assert.Equal(t, []time.Time{start.Add(time.Minute), start.Add(time.Hour + 5*time.Minute), {}}, next)
	it := w.q.Snapshot()[0]
	assert.Equal(t, mta.StateBounced, it.State)
	assert.Equal(t, 3, it.Attempts)
	assert.Contains(t, it.To[0].Reply, "connect to mx.example.com[127.0.0.1]:")

	b := w.bounced()
	require.Len(t, b, 1)
	rc := parseDSN(t, b[0].dsn).fields[1]
	assert.Equal(t, "failed", rc.Get("Action"))
	assert.Equal(t, "4.4.1", rc.Get("Status"), "the last temporary status (RFC 3464 §2.3.4)")
	assert.Empty(t, rc.Get("Diagnostic-Code"), "no SMTP reply to quote")
}

func TestNoSuchDomainBounces(t *testing.T) {
	w := newWorld(t, nil)
	w.send("alice@example.org", "x@nosuch.example.net")
	w.flush()
	assert.Equal(t, mta.StateBounced, w.q.Snapshot()[0].State)
	b := w.bounced()
	require.Len(t, b, 1)
	rc := parseDSN(t, b[0].dsn).fields[1]
	assert.Equal(t, "5.1.2", rc.Get("Status"))
}

func TestRefusedDomainBouncesWithoutALookup(t *testing.T) {
	w := newWorld(t, func(o *mta.Options) {
		o.Refuse = func(domain string) string {
			if domain == "example.net" {
				return ""
			}
			return "mail to " + domain + " stays in the classroom"
		}
	})
	w.send("alice@example.org", "x@example.com", "bob@example.net")
	w.flush()
	byDomain := map[string]mta.Item{}
	for _, it := range w.q.Snapshot() {
		byDomain[it.Domain] = it
	}
	assert.Equal(t, mta.StateSent, byDomain["example.net"].State, "a domain Refuse allows goes out")
	refused := byDomain["example.com"]
	assert.Equal(t, mta.StateBounced, refused.State)
	assert.Empty(t, refused.MX, "no MX was looked up or tried")
	assert.Equal(t, "5.7.1", refused.To[0].Status)
	b := w.bounced()
	require.Len(t, b, 1)
	rc := parseDSN(t, b[0].dsn).fields[1]
	assert.Equal(t, "5.7.1", rc.Get("Status"))
	assert.Contains(t, string(b[0].dsn), "mail to example.com stays in the classroom")
}

func TestNeverBounceABounce(t *testing.T) {
	w := newWorld(t, nil)
	w.send("", "bob2@example.net")
	w.flush()
	it := w.q.Snapshot()[0]
	assert.Equal(t, mta.StateFailed, it.State)
	assert.Equal(t, mta.StateFailed, it.To[0].State)
	assert.Empty(t, w.bounced())
}

func TestDSNQueuedLocallyWithoutBounceFunc(t *testing.T) {
	w := newWorld(t, func(o *mta.Options) { o.Bounce = nil })
	w.send("alice@example.org", "bob2@example.net")
	w.flush() // delivers the DSN it queued, too

	items := w.q.Snapshot()
	require.Len(t, items, 2)
	assert.Equal(t, mta.StateBounced, items[0].State)
	assert.Equal(t, "", items[1].From)
	assert.Equal(t, mta.StateSent, items[1].State)
	got := w.boxes["example.org"].messages()
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "Subject: Undelivered Mail Returned to Sender")
}

func TestAutoRun(t *testing.T) {
	w := newWorld(t, func(o *mta.Options) { o.AutoRun = true })
	rec := record(w.q)
	w.boxes["example.net"].setFail(true)
	w.send("alice@example.org", "bob@example.net")
	rec.waitFor(t, mta.StateDeferred)
	w.boxes["example.net"].setFail(false)
	// The worker sets its retry timer on the fake clock after it reported
	// "deferred", so one Advance may come too early: keep the clock moving
	// until the retry has happened.
	require.Eventually(t, func() bool {
		w.clock.Advance(time.Minute)
		items := w.q.Snapshot()
		return len(items) == 1 && items[0].State == mta.StateSent
	}, 10*time.Second, 5*time.Millisecond, "the retry delivers")
	it := rec.waitFor(t, mta.StateSent)
	assert.Equal(t, 2, it.Attempts)
}

func TestClosed(t *testing.T) {
	w := newWorld(t, nil)
	require.NoError(t, w.q.Close())
	_, err := w.q.Enqueue(mail.Envelope{From: "a@example.org", To: []string{"b@example.net"}}, []byte("x"))
	assert.ErrorIs(t, err, mta.ErrClosed)
	assert.ErrorIs(t, w.q.Flush(context.Background()), mta.ErrClosed)
}

func TestFlushHonoursContext(t *testing.T) {
	w := newWorld(t, nil)
	w.send("alice@example.org", "bob@example.net")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := w.q.Flush(ctx)
	assert.Error(t, err)
	it := w.q.Snapshot()[0]
	assert.NotEqual(t, mta.StateSent, it.State, "nothing was sent with a dead context")
}

func TestPlainWithoutTLSConfig(t *testing.T) {
	w := newWorld(t, func(o *mta.Options) { o.TLSConfig = nil })
	w.send("alice@example.org", "bob@example.net")
	w.flush()
	got := w.boxes["example.net"].messages()
	require.Len(t, got, 1)
	assert.Contains(t, got[0], "by mx.example.net (Maillab) with ESMTP\r\n", "no STARTTLS, no S")
	assert.NotContains(t, got[0], "using TLS")
}

// TestAutoRunCachesSessionsOnDemand: with mail for a domain waiting, an
// AutoRun worker sends it over the session it has open (connection
// caching), so eight waiting messages need at most one connection per
// worker; a message that finds no backlog gets a session of its own, which
// ends with QUIT as before.
func TestAutoRunCachesSessionsOnDemand(t *testing.T) {
	for _, backlog := range []bool{true, false} {
		t.Run(fmt.Sprintf("backlog=%v", backlog), func(t *testing.T) {
			var mu sync.Mutex
			dials := 0
			ready := make(chan struct{})
			w := newWorld(t, func(o *mta.Options) {
				o.AutoRun = true
				next := o.Dial
				o.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
					if network == "tcp" {
						<-ready // with a backlog, sessions open once all mail is queued
						mu.Lock()
						dials++
						mu.Unlock()
					}
					return next(ctx, network, addr)
				}
			})
			sent := func(n int) func() bool {
				return func() bool {
					got := 0
					for _, it := range w.q.Snapshot() {
						if it.State == mta.StateSent {
							got++
						}
					}
					return got == n
				}
			}
			if backlog {
				const n = 8
				for range n {
					w.send("alice@example.org", "bob@example.net")
				}
				close(ready)
				require.Eventually(t, sent(n), 20*time.Second, 5*time.Millisecond, "all delivered")
				assert.Len(t, w.boxes["example.net"].messages(), n, "each message once")
				mu.Lock()
				defer mu.Unlock()
				assert.LessOrEqual(t, dials, mta.Workers, "one session per worker at most")
				return
			}
			close(ready)
			for i := 1; i <= 2; i++ {
				w.send("alice@example.org", "bob@example.net")
				require.Eventually(t, sent(i), 20*time.Second, 5*time.Millisecond)
			}
			mu.Lock()
			defer mu.Unlock()
			assert.Equal(t, 2, dials, "without a backlog each message has its own session")
		})
	}
}

// TestForgetsOldFinished: a queue remembers only the newest finished
// items (and their messages), so a long day's queue stays small.
func TestForgetsOldFinished(t *testing.T) {
	w := newWorld(t, func(o *mta.Options) { o.KeepFinished = 2 })
	var ids []string
	for range 6 {
		ids = append(ids, w.send("alice@example.org", "bob@example.net"))
		w.flush()
	}
	items := w.q.Snapshot()
	assert.LessOrEqual(t, len(items), 4, "at most twice KeepFinished are remembered")
	assert.Equal(t, ids[5], items[len(items)-1].ID, "the newest is remembered")
	_, ok := w.q.Message(ids[0])
	assert.False(t, ok, "the oldest message is forgotten")
	_, ok = w.q.Message(ids[5])
	assert.True(t, ok)
	assert.Len(t, w.boxes["example.net"].messages(), 6, "every message was delivered")
}

// RetryNow (postqueue -f) makes a deferred item due at once: after the
// fix, the next flush delivers it without waiting for its retry time.
func TestRetryNow(t *testing.T) {
	w := newWorld(t, nil)
	w.boxes["example.net"].setFail(true)
	w.send("alice@example.org", "bob@example.net")
	w.flush()
	require.Equal(t, mta.StateDeferred, w.q.Snapshot()[0].State)

	w.boxes["example.net"].setFail(false)
	w.flush() // not due yet
	require.Equal(t, mta.StateDeferred, w.q.Snapshot()[0].State)

	w.q.RetryNow()
	assert.Equal(t, start, w.q.Snapshot()[0].NextRetry, "due now")
	w.flush()
	it := w.q.Snapshot()[0]
	assert.Equal(t, mta.StateSent, it.State)
	assert.Equal(t, 2, it.Attempts)
}

// A message still deferred after the queue's lifetime (Postfix's
// maximal_queue_lifetime) is returned at the attempt that finds it too
// old: "status=expired, returned to sender", the DSN quoting the last
// reply without counting attempts. SetLifetime changes it for mail
// already waiting.
func TestQueueLifetimeExpires(t *testing.T) {
	w := newWorld(t, nil)
	w.q.SetLifetime(10 * time.Minute)
	assert.Equal(t, 10*time.Minute, w.q.Lifetime())
	w.boxes["example.net"].setFail(true)
	w.send("alice@example.org", "bob@example.net")
	w.flush() // 0m: 451
	w.clock.Advance(time.Minute)
	w.flush() // 1m: 451, younger than 10m
	it := w.q.Snapshot()[0]
	require.Equal(t, mta.StateDeferred, it.State)
	assert.False(t, it.Expired)
	w.clock.Advance(10 * time.Minute)
	w.flush() // 11m: 451 again, and too old
	it = w.q.Snapshot()[0]
	assert.Equal(t, mta.StateBounced, it.State)
	assert.True(t, it.Expired)
	assert.Equal(t, 3, it.Attempts)
	b := w.bounced()
	require.Len(t, b, 1)
	d := parseDSN(t, b[0].dsn)
	assert.Contains(t, d.text, "said: 451 4.3.0 Error:\r\n    local delivery failed, try again later")
	assert.NotContains(t, d.text, "gave up after")
	assert.Equal(t, "4.3.0", d.fields[1].Get("Status"))

	w.q.SetLifetime(0)
	assert.Equal(t, 5*24*time.Hour, w.q.Lifetime(), "0: the default again")
}

// RealClock is the wall clock until Advance moves it on: a timer fires
// when an Advance reaches it, a stopped one never.
func TestRealClockAdvance(t *testing.T) {
	c := mta.NewRealClock()
	before := c.Now()
	due, _ := c.NewTimer(time.Hour)
	stopped, stop := c.NewTimer(time.Hour)
	later, _ := c.NewTimer(48 * time.Hour)
	stop()
	c.Advance(2 * time.Hour)
	assert.GreaterOrEqual(t, c.Now().Sub(before), 2*time.Hour)
	select {
	case <-due:
	case <-time.After(5 * time.Second):
		t.Fatal("the timer an hour away did not fire after two")
	}
	select {
	case <-stopped:
		t.Fatal("a stopped timer fired")
	case <-later:
		t.Fatal("a timer two days away fired after two hours")
	default:
	}
}
