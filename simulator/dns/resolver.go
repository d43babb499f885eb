package dns

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// DialFunc opens a connection; the caller binds and taps it.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Resolver is a stub resolver (RFC 1034 §5.3.1) that asks one server and
// keeps its answers for their TTL, like the resolver a real MTA uses: a
// name is asked again only once its answer has expired. It frames
// messages itself: dns.Conn decides between UDP and TCP framing by
// checking for net.PacketConn, which a tapped connection is not.
type Resolver struct {
	server string
	dial   DialFunc
	cache  cache
}

// NewResolver asks server (ip:port) over connections from dial.
func NewResolver(server string, dial DialFunc) *Resolver {
	return &Resolver{server: server, dial: dial, cache: cache{now: time.Now}}
}

// Server is the address the resolver asks.
func (r *Resolver) Server() string { return r.server }

// SetClock makes the cache age by now instead of the real clock: a world
// whose queue runs on compressed time expires its answers on that time.
// Call it before the first lookup.
func (r *Resolver) SetClock(now func() time.Time) { r.cache.now = now }

// LookupMX returns the mail exchangers of domain, most preferred first. A
// domain without MX records yields none and no error: the caller falls back
// to the implicit MX (RFC 5321 §5.1).
func (r *Resolver) LookupMX(ctx context.Context, domain string) ([]*net.MX, error) {
	m, err := r.query(ctx, domain, dns.TypeMX)
	if err != nil {
		return nil, err
	}
	var out []*net.MX
	for _, rr := range m.Answer {
		if mx, ok := rr.(*dns.MX); ok {
			out = append(out, &net.MX{Host: mx.Mx, Pref: mx.Preference})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pref < out[j].Pref })
	return out, nil
}

// LookupA returns the IPv4 addresses of host.
func (r *Resolver) LookupA(ctx context.Context, host string) ([]net.IP, error) {
	m, err := r.query(ctx, host, dns.TypeA)
	if err != nil {
		return nil, err
	}
	var out []net.IP
	for _, rr := range m.Answer {
		if a, ok := rr.(*dns.A); ok {
			out = append(out, a.A)
		}
	}
	return out, nil
}

// LookupTXT returns the TXT records of name, each one string (its
// character-strings joined, RFC 7208 §3.3).
func (r *Resolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	m, err := r.query(ctx, name, dns.TypeTXT)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, rr := range m.Answer {
		if t, ok := rr.(*dns.TXT); ok {
			out = append(out, strings.Join(t.Txt, ""))
		}
	}
	return out, nil
}

// query asks over UDP and again over TCP when the answer was truncated
// (RFC 7766 §5). Errors are *net.DNSError, IsNotFound for NXDOMAIN.
func (r *Resolver) query(ctx context.Context, name string, t uint16) (*dns.Msg, error) {
	if m := r.cache.get(name, t); m != nil {
		return m, r.rcodeError(name, m.Rcode)
	}
	req := new(dns.Msg)
	req.SetQuestion(dns.Fqdn(name), t)
	m, err := r.exchange(ctx, "udp", req)
	if err == nil && m.Truncated {
		m, err = r.exchange(ctx, "tcp", req)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, &net.DNSError{Err: err.Error(), Name: name, Server: r.server, IsTemporary: true}
	}
	r.cache.put(name, t, m)
	return m, r.rcodeError(name, m.Rcode)
}

func (r *Resolver) rcodeError(name string, rcode int) error {
	switch rcode {
	case dns.RcodeSuccess:
		return nil
	case dns.RcodeNameError:
		return &net.DNSError{Err: "no such host", Name: name, Server: r.server, IsNotFound: true}
	case dns.RcodeServerFailure:
		return &net.DNSError{Err: "server misbehaving", Name: name, Server: r.server, IsTemporary: true}
	}
	return &net.DNSError{Err: "query " + dns.RcodeToString[rcode], Name: name, Server: r.server}
}

func (r *Resolver) exchange(ctx context.Context, network string, req *dns.Msg) (*dns.Msg, error) {
	c, err := r.dial(ctx, network, r.server)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	// No deadline of our own: a paused tap may hold the query. The context
	// ends the wait.
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	out, err := req.Pack()
	if err != nil {
		return nil, err
	}
	if network == "tcp" {
		return exchangeTCP(c, out)
	}
	return exchangeUDP(c, out, req.Id)
}

// udpBuffer holds any answer to a query without EDNS0, with room to spare.
const udpBuffer = 4096

func exchangeUDP(c net.Conn, out []byte, id uint16) (*dns.Msg, error) {
	if _, err := c.Write(out); err != nil {
		return nil, err
	}
	// Without EDNS0 a UDP answer has at most 512 bytes (RFC 1035 §4.2.1);
	// a longer one comes truncated and is asked again over TCP.
	buf := make([]byte, udpBuffer)
	for {
		n, err := c.Read(buf)
		if err != nil {
			return nil, err
		}
		m := new(dns.Msg)
		if m.Unpack(buf[:n]) == nil && m.Id == id {
			return m, nil // a stray datagram is ignored (RFC 5452 §9.1)
		}
	}
}

func exchangeTCP(c net.Conn, out []byte) (*dns.Msg, error) {
	if err := writeFramed(c, out); err != nil {
		return nil, err
	}
	var n uint16
	if err := binary.Read(c, binary.BigEndian, &n); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(c, b); err != nil {
		return nil, err
	}
	m := new(dns.Msg)
	if err := m.Unpack(b); err != nil {
		return nil, errors.New("malformed answer: " + err.Error())
	}
	return m, nil
}
