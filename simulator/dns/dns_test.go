package dns_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	mdns "github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/dns"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// wrapped hides *net.UDPConn, as the lead's tap does.
type wrapped struct{ net.PacketConn }

func zone() dns.Zone {
	return dns.Zone{
		MX: map[string][]dns.MX{
			"example.org": {{Pref: 10, Host: "mx.example.org"}},
			"example.net": {{Pref: 20, Host: "mx2.example.net"}, {Pref: 10, Host: "MX.example.net."}},
		},
		A: map[string][]net.IP{
			"mx.example.org":   {net.ParseIP("127.0.0.10")},
			"mx.example.net":   {net.ParseIP("127.0.0.20")},
			"smtp.example.org": {net.ParseIP("127.0.0.11")},
		},
		TXT: map[string][]string{"example.org": {"v=spf1 ip4:127.0.0.11 -all"}},
		SRV: map[string][]dns.SRV{"_submission._tcp.example.org": {{Port: 10587, Target: "smtp.example.org"}}},
	}
}

// start serves UDP and TCP on the same port number where possible.
func start(t *testing.T) (*dns.Server, *dns.Resolver, string) {
	t.Helper()
	srv := dns.New(dns.Options{Zone: zone()})
	t.Cleanup(func() { srv.Close() })
	pc, l := listenBoth(t)
	go srv.ServePacket(wrapped{pc})
	go srv.Serve(l)
	var d net.Dialer
	return srv, dns.NewResolver(pc.LocalAddr().String(), d.DialContext), pc.LocalAddr().String()
}

// listenBoth binds UDP and TCP on one port, as a resolver expects. Another
// process may hold the TCP side of a free UDP port, so it tries a few.
func listenBoth(t *testing.T) (net.PacketConn, net.Listener) {
	t.Helper()
	for range 50 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		require.NoError(t, err, "ListenPacket()")
		l, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, l
		}
		pc.Close()
	}
	t.Fatal("no port free for both UDP and TCP")
	return nil, nil
}

func TestLookups(t *testing.T) {
	srv, r, _ := start(t)
	ctx := context.Background()

	mx, err := r.LookupMX(ctx, "example.net")
	require.NoError(t, err, "LookupMX()")
	require.Len(t, mx, 2)
	assert.Equal(t, net.MX{Host: "mx.example.net.", Pref: 10}, *mx[0], "most preferred first")

	ips, err := r.LookupA(ctx, "MX.example.org")
	require.NoError(t, err, "LookupA()")
	assert.Equal(t, "127.0.0.10", ips[0].String())

	txt, err := r.LookupTXT(ctx, "example.org")
	require.NoError(t, err, "LookupTXT()")
	assert.Equal(t, []string{"v=spf1 ip4:127.0.0.11 -all"}, txt)

	none, err := r.LookupMX(ctx, "mx.example.org")
	assert.NoError(t, err, "NODATA is not an error")
	assert.Empty(t, none)

	dkim := "v=DKIM1; k=rsa; p=" + strings.Repeat("A", 700) // > 255 and > 512 octets
	srv.AddTXT("sel._domainkey.example.org", dkim)
	txt, err = r.LookupTXT(ctx, "sel._domainkey.example.org")
	require.NoError(t, err, "LookupTXT() over TCP after TC")
	assert.Equal(t, []string{dkim}, txt)
	_, err = r.LookupTXT(ctx, "_domainkey.example.org")
	assert.NoError(t, err, "an empty non-terminal exists (RFC 8020)")

	srv.DeleteTXT("example.org")
	txt, err = r.LookupTXT(ctx, "example.org")
	assert.NoError(t, err)
	assert.Equal(t, []string{"v=spf1 ip4:127.0.0.11 -all"}, txt, "the cached answer lives for its TTL")
	var d net.Dialer
	txt, err = dns.NewResolver(r.Server(), d.DialContext).LookupTXT(ctx, "example.org")
	assert.NoError(t, err)
	assert.Empty(t, txt, "a resolver that never asked sees the change")
}

// counting counts the queries a resolver sends (one connection each).
func counting(n *int) dns.DialFunc {
	var d net.Dialer
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		*n++
		return d.DialContext(ctx, network, addr)
	}
}

func TestCacheKeepsAnswersForTheirTTL(t *testing.T) {
	z := zone()
	z.TTL = 60
	srv := dns.New(dns.Options{Zone: z})
	t.Cleanup(func() { srv.Close() })
	pc, l := listenBoth(t)
	go srv.ServePacket(wrapped{pc})
	go srv.Serve(l)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	ctx := context.Background()
	tests := []struct {
		name     string
		lookup   func(r *dns.Resolver) error
		notFound bool
	}{
		{"MX", func(r *dns.Resolver) error { _, err := r.LookupMX(ctx, "example.org"); return err }, false},
		{"A, name in another case", func(r *dns.Resolver) error { _, err := r.LookupA(ctx, "MX.example.org"); return err }, false},
		{"TXT", func(r *dns.Resolver) error { _, err := r.LookupTXT(ctx, "example.org"); return err }, false},
		{"NODATA by the SOA", func(r *dns.Resolver) error { _, err := r.LookupA(ctx, "example.org"); return err }, false},
		{"NXDOMAIN by the SOA", func(r *dns.Resolver) error { _, err := r.LookupA(ctx, "nosuch.example.org"); return err }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			queries := 0
			r := dns.NewResolver(pc.LocalAddr().String(), counting(&queries))
			at := now
			r.SetClock(func() time.Time { return at })
			check := func(want int, msg string) {
				t.Helper()
				err := tc.lookup(r)
				var de *net.DNSError
				if tc.notFound {
					require.True(t, errors.As(err, &de) && de.IsNotFound, "NXDOMAIN, also from the cache: %v", err)
				} else {
					require.NoError(t, err)
				}
				assert.Equal(t, want, queries, msg)
			}
			check(1, "first lookup asks")
			at = now.Add(59 * time.Second)
			check(1, "within the TTL the cache answers")
			at = now.Add(60 * time.Second)
			check(2, "at the TTL it asks again")
		})
	}
	t.Run("failures are not kept", func(t *testing.T) {
		queries := 0
		r := dns.NewResolver(pc.LocalAddr().String(), counting(&queries))
		for want := 1; want <= 2; want++ {
			_, err := r.LookupA(ctx, "www.example.com") // REFUSED: not our zone
			require.Error(t, err)
			assert.Equal(t, want, queries)
		}
	})
}

func TestErrors(t *testing.T) {
	_, r, _ := start(t)
	ctx := context.Background()
	var de *net.DNSError

	_, err := r.LookupMX(ctx, "nosuch.example.net")
	require.True(t, errors.As(err, &de), "NXDOMAIN is a *net.DNSError: %v", err)
	assert.True(t, de.IsNotFound)

	_, err = r.LookupA(ctx, "www.example.com")
	require.True(t, errors.As(err, &de), "REFUSED: %v", err)
	assert.False(t, de.IsNotFound)
	assert.Equal(t, "query REFUSED", de.Err)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = r.LookupA(cctx, "mx.example.org")
	assert.Error(t, err)
}

func TestWireFormat(t *testing.T) {
	_, _, addr := start(t)
	tests := []struct {
		name, qname string
		qtype       uint16
		rcode       int
		aa          bool
		answers     int
		extra       int
		authority   int
	}{
		{"MX with additional A", "example.org.", mdns.TypeMX, mdns.RcodeSuccess, true, 1, 1, 0},
		{"A", "mx.example.net.", mdns.TypeA, mdns.RcodeSuccess, true, 1, 0, 0},
		{"SOA at the apex", "example.net.", mdns.TypeSOA, mdns.RcodeSuccess, true, 1, 0, 0},
		{"NXDOMAIN with SOA", "bob.example.org.", mdns.TypeA, mdns.RcodeNameError, true, 0, 0, 1},
		{"NODATA with SOA", "example.org.", mdns.TypeA, mdns.RcodeSuccess, true, 0, 0, 1},
		{"outside the zones", "example.com.", mdns.TypeMX, mdns.RcodeRefused, false, 0, 0, 0},
		{"SRV", "_submission._tcp.example.org.", mdns.TypeSRV, mdns.RcodeSuccess, true, 1, 0, 0},
		{"SRV name, no SRV of that type", "_imap._tcp.example.org.", mdns.TypeSRV, mdns.RcodeNameError, true, 0, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := new(mdns.Msg)
			q.SetQuestion(tc.qname, tc.qtype)
			m, err := mdns.Exchange(q, addr)
			require.NoError(t, err, "Exchange()")
			assert.Equal(t, tc.rcode, m.Rcode, mdns.RcodeToString[m.Rcode])
			assert.Equal(t, tc.aa, m.Authoritative, "AA")
			assert.Len(t, m.Answer, tc.answers, "answer")
			assert.Len(t, m.Extra, tc.extra, "additional")
			assert.Len(t, m.Ns, tc.authority, "authority")
			if srv, ok := firstSRV(m); ok {
				assert.Equal(t, uint16(10587), srv.Port)
				assert.Equal(t, "smtp.example.org.", srv.Target)
			}
		})
	}
}

func TestGarbageAndClose(t *testing.T) {
	srv, r, addr := start(t)
	c, err := net.Dial("udp", addr)
	require.NoError(t, err)
	defer c.Close()
	c.Write([]byte("\x00\x01garbage"))
	tc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer tc.Close()
	tc.Write([]byte("\x00\x05junk!"))
	_, err = r.LookupA(context.Background(), "mx.example.org")
	assert.NoError(t, err, "still answering")
	require.NoError(t, srv.Close())
	assert.ErrorIs(t, srv.ServePacket(wrapped{}), net.ErrClosed)
}

func TestSetZoneAndForget(t *testing.T) {
	srv := dns.New(dns.Options{Zone: dns.Zone{MX: map[string][]dns.MX{"example.org": {{Pref: 10, Host: "mx.example.org"}}}}})
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	go srv.ServePacket(pc)
	defer srv.Close()
	var d net.Dialer
	r := dns.NewResolver(pc.LocalAddr().String(), d.DialContext)
	ctx := context.Background()
	mxs, err := r.LookupMX(ctx, "example.org")
	require.NoError(t, err)
	require.Len(t, mxs, 1)
	srv.SetZone(dns.Zone{MX: map[string][]dns.MX{"example.org": {{Pref: 20, Host: "backup.example.org"}}}})
	mxs, err = r.LookupMX(ctx, "example.org")
	require.NoError(t, err)
	assert.Equal(t, "mx.example.org.", mxs[0].Host, "cached until its TTL runs out")
	r.Forget()
	mxs, err = r.LookupMX(ctx, "example.org")
	require.NoError(t, err)
	assert.Equal(t, "backup.example.org.", mxs[0].Host)
}

func firstSRV(m *mdns.Msg) (*mdns.SRV, bool) {
	for _, rr := range m.Answer {
		if srv, ok := rr.(*mdns.SRV); ok {
			return srv, true
		}
	}
	return nil, false
}
