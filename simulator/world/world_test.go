package world

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/conductor"
	"maillab/simulator/dns"
	"maillab/simulator/event"
	"maillab/simulator/mta"
	"maillab/simulator/mua"
	"maillab/simulator/netmap"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func start(t *testing.T, opts Options) *World {
	t.Helper()
	w, err := Start(opts)
	require.NoError(t, err, "Start()")
	t.Cleanup(func() { w.Close() })
	return w
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// services every world runs: host -> well-known ports.
func services() map[string][]int {
	out := map[string][]int{"dns": {53}}
	for _, d := range Domains {
		out["smtp."+d] = []int{587, 465}
		out["mx."+d] = []int{25}
		out["mda."+d] = []int{24}
		out["mail."+d] = []int{110, 995, 143, 993}
	}
	return out
}

func TestStartCloseLeavesNoGoroutines(t *testing.T) {
	w, err := Start(Options{})
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.NoError(t, w.Close(), "Close twice")
	goleak.VerifyNone(t)
}

func TestDirectoryHasEveryService(t *testing.T) {
	w := start(t, Options{})
	total := 0
	for host, ports := range services() {
		n, ok := w.Node(host)
		require.True(t, ok, "node %s", host)
		for _, port := range ports {
			total++
			addr, ok := w.Dir.Addr(host, port)
			if !assert.True(t, ok, "%s port %d", host, port) {
				continue
			}
			ip, p, err := net.SplitHostPort(addr)
			require.NoError(t, err)
			assert.Equal(t, n.IP, ip, "%s listens on its own address", host)
			assert.NotEqual(t, "0", p)
		}
	}
	assert.Len(t, w.Dir.Entries(), total, "nothing else")
	for _, id := range []string{"alice-laptop", "bob-laptop", "bob-phone"} {
		assert.NotNil(t, w.Device(id), id)
		_, ok := w.Node(id)
		assert.True(t, ok, id)
	}
	for _, d := range Domains {
		assert.NotNil(t, w.Provider(d), d)
	}
	assert.Nil(t, w.Device("nobody"))
	assert.Nil(t, w.Provider("example.com"))
}

func TestIdentifyOwnAddresses(t *testing.T) {
	if !netmap.OwnAddressesWork() {
		t.Skip("this system cannot bind 127.77.x.y")
	}
	w := start(t, Options{})
	for _, n := range w.Nodes {
		assert.True(t, strings.HasPrefix(n.IP, "127.77.") || n.ID == netmap.External, n.ID)
	}
	tests := map[string]string{
		"127.77.1.10:40000": "alice-laptop",
		"127.77.2.11:1234":  "bob-phone",
		"127.77.1.20:5000":  "smtp.example.org",
		"127.77.2.25:5000":  "mx.example.net",
		"127.0.0.1:40000":   netmap.External,
		"127.77.9.9:40000":  netmap.External,
		"garbage":           netmap.External,
	}
	for addr, want := range tests {
		assert.Equal(t, want, w.identify(addr), addr)
	}
}

func TestSingleAddressDelivery(t *testing.T) {
	w := start(t, Options{SingleAddress: true})
	for _, n := range w.Nodes {
		assert.Equal(t, "127.0.0.1", n.IP, n.ID)
	}
	var changes atomic.Int64
	cancel := w.OnChange(func() { changes.Add(1) })
	defer cancel()

	deliver(t, w, "Hello from a shared address")

	inbox, err := w.Provider("example.net").Store.Messages("bob@example.net", "INBOX")
	require.NoError(t, err)
	require.Len(t, inbox, 1)
	assert.Contains(t, string(inbox[0].Raw), "Hello from a shared address")
	assert.Positive(t, changes.Load(), "OnChange fired")

	clients := clientsByPort(w.Conductor.Log())
	assert.Equal(t, []string{"alice-laptop"}, clients[587], "submission client known by its port")
	assert.Equal(t, []string{"smtp.example.org"}, clients[25], "the relaying MTA")
	assert.Equal(t, []string{"mx.example.net"}, clients[24], "the MX hands over by LMTP")
	assert.Equal(t, []string{"smtp.example.org", "mx.example.net"}, clients[53],
		"the MTA asks DNS for the MX, the MX for SPF, DKIM and DMARC")

	n, err := w.Device("bob-laptop").FetchPOP3(ctx(t), mua.POP3Options{})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, []string{"bob-laptop"}, clientsByPort(w.Conductor.Log())[110])
}

// deliver submits a mail from Alice to Bob and relays it.
func deliver(t *testing.T, w *World, subject string) {
	t.Helper()
	d := mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Subject: subject,
		Body: "Hi Bob\r\n", Date: w.Now()}
	require.NoError(t, w.Device("alice-laptop").Submit(ctx(t), d, mua.SubmitOptions{}), "Submit()")
	require.NoError(t, w.Provider("example.org").Queue.Flush(ctx(t)), "Flush()")
}

// clientsByPort lists the distinct clients of line and packet events per
// well-known port.
func clientsByPort(log []event.Event) map[int][]string {
	out := map[int][]string{}
	seen := map[string]bool{}
	for _, ev := range log {
		if ev.Kind != event.KindLine && ev.Kind != event.KindPacket {
			continue
		}
		k := fmt.Sprint(ev.Port, ev.Client)
		if !seen[k] {
			seen[k] = true
			out[ev.Port] = append(out[ev.Port], ev.Client)
		}
	}
	return out
}

func TestSnapshotAndOnChange(t *testing.T) {
	w := start(t, Options{})
	s := w.Snapshot()
	assert.Empty(t, s.Queue)
	require.Len(t, s.Mailboxes, 2)
	require.Len(t, s.Devices, 3)

	var changes atomic.Int64
	cancel := w.OnChange(func() { changes.Add(1) })
	deliver(t, w, "Snapshot test")
	assert.Positive(t, changes.Load(), "OnChange fired on delivery")

	s = w.Snapshot()
	require.Len(t, s.Queue, 1)
	q := s.Queue[0]
	assert.Equal(t, "example.org", q.Provider)
	assert.Equal(t, "example.net", q.Domain)
	assert.Equal(t, mta.StateSent, q.State)
	assert.Equal(t, []string{"bob@example.net"}, q.Addresses)

	var subjects []string
	for _, mb := range s.Mailboxes {
		for _, u := range mb.Users {
			for _, box := range u.Mailboxes {
				for _, m := range box.Messages {
					subjects = append(subjects, mb.Domain+" "+u.Address+" "+box.Name+" "+m.Subject)
				}
			}
		}
	}
	assert.Equal(t, []string{"example.net bob@example.net INBOX Snapshot test"}, subjects)

	cancel()
	before := changes.Load()
	deliver(t, w, "After cancel")
	assert.Equal(t, before, changes.Load(), "cancelled")
}

func TestDNSAnswersMX(t *testing.T) {
	w := start(t, Options{})
	var d net.Dialer
	r := dns.NewResolver(w.dnsAddr(), d.DialContext)
	for _, domain := range Domains {
		t.Run(domain, func(t *testing.T) {
			mxs, err := r.LookupMX(ctx(t), domain)
			require.NoError(t, err)
			require.Len(t, mxs, 1)
			assert.Equal(t, "mx."+domain+".", mxs[0].Host)
			assert.Equal(t, uint16(10), mxs[0].Pref)
			ips, err := r.LookupA(ctx(t), "mx."+domain)
			require.NoError(t, err)
			require.Len(t, ips, 1)
			n, _ := w.Node("mx." + domain)
			assert.Equal(t, n.IP, ips[0].String())
		})
	}
	var packets int
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindPacket && strings.Contains(ev.Text, "MX") {
			packets++
		}
	}
	assert.Equal(t, 4, packets, "two queries and two answers, tapped")
}

func TestDescribeDNS(t *testing.T) {
	assert.Equal(t, "DNS (3 bytes, not parsable)", describeDNS([]byte{1, 2, 3}))
}

// startPortMap starts a port-map world on a random free base.
func startPortMap(t *testing.T) (*World, int) {
	t.Helper()
	var lastErr error
	for range 10 {
		base := 30000 + 100*rand.IntN(100)
		w, err := Start(Options{Bind: "127.0.0.1", PortBase: base})
		if err == nil {
			t.Cleanup(func() { w.Close() })
			return w, base
		}
		lastErr = err
	}
	t.Fatalf("no free port base: %v", lastErr)
	return nil, 0
}

func TestPortMapWorld(t *testing.T) {
	w, base := startPortMap(t)
	for host, ports := range services() {
		for _, port := range ports {
			want := base + port
			if strings.HasSuffix(host, "example.net") {
				want += 10000
			}
			addr, ok := w.Dir.Addr(host, port)
			require.True(t, ok, "%s %d", host, port)
			assert.Equal(t, fmt.Sprintf("127.0.0.1:%d", want), addr, "%s %d", host, port)
		}
	}

	greetings := map[int]string{base + 587: "220 ", base + 10000 + 25: "220 ", base + 110: "+OK"}
	for port, prefix := range greetings {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		require.NoError(t, err)
		c.SetDeadline(time.Now().Add(30 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		c.Close()
		require.NoError(t, err, "greeting on %d", port)
		assert.True(t, strings.HasPrefix(line, prefix), "port %d: %q", port, line)
	}

	var d net.Dialer
	mxs, err := dns.NewResolver(fmt.Sprintf("127.0.0.1:%d", base+53), d.DialContext).LookupA(ctx(t), "mx.example.net")
	require.NoError(t, err)
	require.Len(t, mxs, 1)
	assert.Equal(t, "127.0.0.1", mxs[0].String(), "DNS gives the bind address")

	var external int
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindLine && ev.Client == netmap.External {
			external++
		}
	}
	assert.Positive(t, external, "our own dials are external clients")
}

func TestStartFailsCleanlyOnBusyPort(t *testing.T) {
	// Occupy mail.example.net's IMAP port, one of the last started. Another
	// port of a random base may be taken by someone else: try again then.
	var err error
	for range 10 {
		base := 30000 + 100*rand.IntN(100)
		busy, lerr := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base+10000+143))
		if lerr != nil {
			continue
		}
		var w *World
		w, err = Start(Options{Bind: "127.0.0.1", PortBase: base})
		busy.Close()
		require.Error(t, err)
		assert.Nil(t, w)
		if strings.Contains(err.Error(), "mail.example.net port 143") {
			break
		}
	}
	require.ErrorContains(t, err, "mail.example.net port 143")
	goleak.VerifyNone(t)
}

// A held line must not keep Close from returning: the conductor wakes it.
func TestCloseWakesHeldLines(t *testing.T) {
	w, err := Start(Options{Mode: conductor.Step})
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		d := mua.Draft{From: "alice@example.org", To: []string{"bob@example.net"}, Subject: "held", Date: w.Now()}
		done <- w.Device("alice-laptop").Submit(context.Background(), d, mua.SubmitOptions{})
	}()
	require.Eventually(t, func() bool { return len(w.Conductor.Waiting()) > 0 }, 30*time.Second, time.Millisecond,
		"the greeting waits for a step")
	require.NoError(t, w.Close())
	assert.Error(t, <-done, "Submit fails once the world is gone")
	goleak.VerifyNone(t)
}
