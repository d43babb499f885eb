package interop_test

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"net"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/store"
	"maillab/simulator/world"
)

// env is one running port-map world as an external client sees it.
type env struct {
	w    *world.World
	base int
	ca   string // path of the run's CA certificate
}

// Well-known ports; example.net's services are at base+10000.
const (
	portSMTP        = 25
	portSubmission  = 587
	portSubmissions = 465
	portPOP3        = 110
	portPOP3S       = 995
	portIMAP        = 143
	portIMAPS       = 993
	netOffset       = 10000
)

// startWorld starts a world at a random free port base in [11000, 19000),
// retrying other bases while ports are taken by parallel test packages;
// opts adjust the world's options.
func startWorld(t *testing.T, opts ...func(*world.Options)) *env {
	t.Helper()
	var lastErr error
	for range 12 {
		base := pickBase()
		o := world.Options{Bind: "127.0.0.1", PortBase: base, AutoQueue: true}
		for _, opt := range opts {
			opt(&o)
		}
		w, err := world.Start(o)
		if err == nil {
			e := &env{w: w, base: base, ca: filepath.Join(t.TempDir(), "ca.pem")}
			t.Cleanup(func() { require.NoError(t, w.Close(), "world.Close()") })
			require.NoError(t, w.CA.WriteFile(e.ca), "CA.WriteFile()")
			return e
		}
		lastErr = err
		if !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	require.NoError(t, lastErr, "world.Start()")
	return nil
}

// withoutAuthChecks: tests that send as Alice straight to the MX (to probe
// line handling, not sender checks) need an MX that skips SPF, DKIM and
// DMARC, or example.org's p=reject refuses them.
func withoutAuthChecks(o *world.Options) { o.NoAuthChecks = true }

// pickBase is a random port base in [11000, 19000), in steps of 100.
func pickBase() int { return 11000 + 100*rand.IntN(80) }

// org and net are the addresses of example.org's and example.net's
// service on a well-known port.
func (e *env) org(port int) string     { return addr(e.base + port) }
func (e *env) net(port int) string     { return addr(e.base + netOffset + port) }
func (e *env) orgPort(port int) string { return strconv.Itoa(e.base + port) }
func (e *env) netPort(port int) string { return strconv.Itoa(e.base + netOffset + port) }

func addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// inbox is Bob's INBOX now.
func (e *env) inbox(t *testing.T) []store.Message {
	t.Helper()
	msgs, err := e.w.Provider("example.net").Store.Messages("bob@example.net", "INBOX")
	require.NoError(t, err, "Messages(bob)")
	return msgs
}

// waitInbox waits until Bob's INBOX holds n messages (delivery runs on
// its own through queue, DNS, MX and LMTP).
func (e *env) waitInbox(t *testing.T, n int) []store.Message {
	t.Helper()
	require.Eventually(t, func() bool { return len(e.inbox(t)) >= n }, 10*time.Second, 20*time.Millisecond,
		"Bob's INBOX never reached %d messages", n)
	msgs := e.inbox(t)
	require.Len(t, msgs, n, "Bob's INBOX")
	return msgs
}

// countSubject counts Bob's messages whose raw text holds subject.
func countSubject(msgs []store.Message, subject string) int {
	n := 0
	for _, m := range msgs {
		if bytes.Contains(m.Raw, []byte("Subject: "+subject+"\r\n")) {
			n++
		}
	}
	return n
}

// externalLines are the line events of clients the world did not start.
func (e *env) externalLines() []event.Event {
	var out []event.Event
	for _, ev := range e.w.Conductor.Log() {
		if ev.Kind == event.KindLine && ev.Client == "external" {
			out = append(out, ev)
		}
	}
	return out
}

// queueItems counts the items of both queues, finished ones included.
func (e *env) queueItems() int {
	n := 0
	for _, d := range world.Domains {
		n += len(e.w.Provider(d).Queue.Snapshot())
	}
	return n
}

// message is a small RFC 5322 message from Alice to Bob.
func message(subject string) string {
	return "From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\nSubject: " + subject +
		"\r\nDate: Mon, 02 Jun 2025 10:00:00 +0000\r\n\r\nHello Bob,\r\nthis is " + subject + ".\r\n"
}
