package mta_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
	"github.com/stretchr/testify/require"

	"maillab/simulator/dns"
	"maillab/simulator/mail"
	"maillab/simulator/mail/mailtest"
	"maillab/simulator/mta"
	"maillab/simulator/mx"
	"maillab/simulator/pki"
)

var start = time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

// mailbox is an MX's fake MDA: it can be told to fail (a 4xx after DATA).
type mailbox struct {
	mu   sync.Mutex
	fail bool
	got  []string
}

func (m *mailbox) HasUser(addr string) bool {
	return addr == "bob@example.net" || addr == "alice@example.org"
}

func (m *mailbox) Deliver(_ context.Context, env mail.Envelope, raw []byte) (map[string]error, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return nil, errors.New("MDA down")
	}
	m.got = append(m.got, string(raw))
	return map[string]error{env.To[0]: nil}, nil
}

func (m *mailbox) messages() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.got...)
}

func (m *mailbox) setFail(v bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = v
}

// world: DNS for example.org, example.net and example.com; a real MX for
// the first two, and mx.example.com that refuses connections.
type world struct {
	t       *testing.T
	clock   *mta.FakeClock
	q       *mta.Queue
	boxes   map[string]*mailbox // by domain
	ports   map[string]int      // by MX host
	mu      sync.Mutex
	bounces []bounce
}

type bounce struct {
	env mail.Envelope
	dsn []byte
}

func newWorld(t *testing.T, tweak func(*mta.Options)) *world {
	t.Helper()
	w := &world{t: t, clock: mta.NewFakeClock(start), boxes: map[string]*mailbox{}, ports: map[string]int{}}
	ca, err := pki.NewCA()
	require.NoError(t, err)
	for _, d := range []string{"example.org", "example.net"} {
		w.boxes[d] = &mailbox{}
		w.startMX(ca, d)
	}
	w.ports["mx.example.com"] = refusedPort

	opts := mta.Options{
		Hostname: "smtp.example.org", LocalDomain: "example.org",
		Resolver: w.startDNS(), Dial: dial,
		SMTPPort:  func(host string) int { return w.ports[host] },
		TLSConfig: func(host string) *tls.Config { return ca.ClientConfig(host) },
		Bounce:    w.bounce,
		Clock:     w.clock,
	}
	if tweak != nil {
		tweak(&opts)
	}
	w.q, err = mta.New(opts)
	require.NoError(t, err, "mta.New()")
	t.Cleanup(func() { w.q.Close() })
	return w
}

// refusedPort stands for an MX that is down: dial refuses it without
// depending on a port being free.
const refusedPort = 1

func dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if strings.HasSuffix(addr, ":"+strconv.Itoa(refusedPort)) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

func (w *world) startMX(ca *pki.CA, domain string) {
	host := "mx." + domain
	cfg, err := ca.ServerConfig(host)
	require.NoError(w.t, err)
	srv, err := mx.New(mx.Options{Hostname: host, Domain: domain, Users: w.boxes[domain],
		Deliver: w.boxes[domain], TLSConfig: cfg})
	require.NoError(w.t, err)
	w.t.Cleanup(func() { srv.Close() })
	l := mailtest.Listen(w.t)
	w.ports[host] = l.Addr().(*net.TCPAddr).Port
	go srv.Serve(l)
}

func (w *world) startDNS() *dns.Resolver {
	lo := []net.IP{net.ParseIP("127.0.0.1")}
	srv := dns.New(dns.Options{Zone: dns.Zone{
		Origins: []string{"example.org", "example.net", "example.com"},
		MX: map[string][]dns.MX{
			"example.org": {{Pref: 10, Host: "mx.example.org"}},
			"example.net": {{Pref: 10, Host: "mx.example.net"}},
			"example.com": {{Pref: 10, Host: "mx.example.com"}},
		},
		A: map[string][]net.IP{"mx.example.org": lo, "mx.example.net": lo, "mx.example.com": lo},
	}})
	w.t.Cleanup(func() { srv.Close() })
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(w.t, err)
	go srv.ServePacket(pc)
	var d net.Dialer
	return dns.NewResolver(pc.LocalAddr().String(), d.DialContext)
}

func (w *world) bounce(env mail.Envelope, dsn []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.bounces = append(w.bounces, bounce{env, dsn})
	return nil
}

func (w *world) bounced() []bounce {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]bounce(nil), w.bounces...)
}

func (w *world) send(from string, to ...string) string {
	w.t.Helper()
	raw := []byte("From: <" + from + ">\r\nSubject: test " + strconv.Itoa(len(to)) + "\r\n\r\nHello\r\n")
	id, err := w.q.Enqueue(mail.Envelope{From: from, To: to, Size: len(raw)}, raw)
	require.NoError(w.t, err, "Enqueue()")
	return id
}

func (w *world) flush() {
	w.t.Helper()
	require.NoError(w.t, w.q.Flush(context.Background()), "Flush()")
}

// dsnReport is a parsed DSN: its top header, part types and status blocks.
type dsnReport struct {
	header  message.Header
	types   []string
	fields  []textproto.Header // [0] per-message, then one per recipient
	headers string             // the text/rfc822-headers part
	text    string             // the human-readable text/plain part
}

func parseDSN(t *testing.T, raw []byte) dsnReport {
	t.Helper()
	e, err := message.Read(bytes.NewReader(raw))
	require.NoError(t, err, "message.Read()")
	r := dsnReport{header: e.Header}
	mr := e.MultipartReader()
	require.NotNil(t, mr, "multipart")
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "NextPart()")
		ct, _, _ := p.Header.ContentType()
		r.types = append(r.types, ct)
		body, err := io.ReadAll(p.Body)
		require.NoError(t, err)
		switch ct {
		case "message/delivery-status":
			br := bufio.NewReader(bytes.NewReader(body))
			for {
				if _, err := br.Peek(1); err != nil {
					break
				}
				h, err := textproto.ReadHeader(br)
				require.NoError(t, err, "a delivery-status block")
				r.fields = append(r.fields, h)
			}
		case "text/rfc822-headers":
			r.headers = string(body)
		case "text/plain":
			r.text = string(body)
		}
	}
	return r
}
