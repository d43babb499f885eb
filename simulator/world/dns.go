package world

import (
	"context"
	"fmt"
	"net"
	"sync"

	"maillab/simulator/dns"
	"maillab/simulator/netmap"
	"maillab/simulator/wire"
	"maillab/simulator/worldspec"
)

// dnsService is the loopback DNS server and where it listens.
type dnsService struct {
	srv  *dns.Server
	addr string

	mu        sync.Mutex
	resolvers []*dns.Resolver // every resolver of the world's servers, to Forget when a zone changes
}

// zone is every provider's zone as its spec says (worldspec.DNS; left
// out, the default one: MX 10 mx.<domain>, A records of its servers, SPF,
// the MSA's DKIM key, DMARC). Addresses of the address plan become where
// the host runs in this run.
func (w *World) zone(spec Spec) (dns.Zone, error) {
	// Root: the world is the whole internet; gmail.com does not exist here.
	z := dns.Zone{Root: true, Origins: w.Domains(), MX: map[string][]dns.MX{}, A: map[string][]net.IP{}, TXT: map[string][]string{}}
	for _, d := range w.Domains() {
		zd, err := w.zoneOf(spec, d)
		if err != nil {
			return dns.Zone{}, fmt.Errorf("%s: %w", d, err)
		}
		for _, mx := range zd.MX {
			z.MX[d] = append(z.MX[d], dns.MX{Pref: uint16(mx.Preference), Host: mx.Host})
		}
		for _, a := range zd.A {
			z.A[a.Name] = append(z.A[a.Name], net.ParseIP(w.runIP(a.Address)))
		}
		if zd.SPF != "" {
			z.TXT[d] = append(z.TXT[d], zd.SPF)
		}
		if k := zd.DKIM; k != nil {
			name := k.Selector + "._domainkey." + d
			z.TXT[name] = append(z.TXT[name], k.Key)
		}
		if zd.DMARC != "" {
			z.TXT["_dmarc."+d] = append(z.TXT["_dmarc."+d], zd.DMARC)
		}
	}
	return z, nil
}

// zoneOf is the zone domain publishes, with the DKIM key filled in where
// the spec leaves it to the MSA's own key.
func (w *World) zoneOf(spec Spec, domain string) (worldspec.DNS, error) {
	ps := worldspec.Provider{Domain: domain}
	if p := spec.Provider(domain); p != nil {
		ps = *p
	}
	zd := ps.DNSOf()
	if ps.DNS == nil {
		zd.SPF = w.spfRecord(domain) // "v=spf1 -all" where every host is 127.0.0.1
	}
	if zd.DKIM != nil && zd.DKIM.Key == "" {
		key, err := w.dkimKeys.For(domain, ps.DKIMAlgorithm())
		if err != nil {
			return worldspec.DNS{}, err
		}
		if zd.DKIM.Key, err = dkimRecord(key.Public()); err != nil {
			return worldspec.DNS{}, err
		}
	}
	return zd, nil
}

// runIP is where an address of the spec is in this run: a host's address
// in the address plan (127.77.x.y) becomes the address it really has
// (its own, the bind address, or 127.0.0.1); any other stays.
func (w *World) runIP(addr string) string {
	for _, n := range netmap.NodesWith(true, w.third) {
		if n.IP == addr && n.ID != netmap.External {
			return w.hostIP(n.ID)
		}
	}
	return addr
}

// planHost is the world host whose plan address addr is ("" if none).
func planHost(addr string) string {
	for _, n := range netmap.NodesWith(true, true) {
		if n.IP == addr && n.ID != netmap.External {
			return n.ID
		}
	}
	return ""
}

func (w *World) startDNS() error {
	pc, err := net.ListenPacket("udp", w.listenAddr("dns", netmap.DNS))
	if err != nil {
		return err
	}
	z, err := w.zone(w.spec)
	if err != nil {
		pc.Close()
		return err
	}
	srv := dns.New(dns.Options{Zone: z})
	w.dns = &dnsService{srv: srv, addr: pc.LocalAddr().String()}
	w.Dir.Set("dns", netmap.DNS.Port, w.dns.addr)
	var tapped net.PacketConn = pc
	if !w.opts.NoTap {
		tapped = wire.ListenPacket(pc, wire.Service{Node: "dns", Proto: "dns", Port: netmap.DNS.Port},
			w.Conductor, w.identify, describeDNS)
	}
	w.addCloser(srv)
	w.addCloser(tapped)
	w.serve(func() error { return srv.ServePacket(tapped) })
	return nil
}

// DNS returns the DNS server.
func (w *World) DNS() *dns.Server { return w.dns.srv }

func (w *World) dnsAddr() string { return w.dns.addr }

// resolver is a new stub resolver for host's queries to the world's DNS,
// one the world makes forget its cache when a zone changes.
func (w *World) resolver(host string) *dns.Resolver {
	r := dns.NewResolver(w.dnsAddr(), dns.DialFunc(w.dialerFor(host)))
	w.dns.mu.Lock()
	w.dns.resolvers = append(w.dns.resolvers, r)
	w.dns.mu.Unlock()
	return r
}

// LookupMX asks this world's DNS, from node's address, for domain's MX
// records: a device sending straight to an MX does so (mua.MXNet).
func (w *World) LookupMX(ctx context.Context, node, domain string) ([]*net.MX, error) {
	// A resolver of its own, never cached: it always sees the zone as it is.
	return dns.NewResolver(w.dnsAddr(), dns.DialFunc(w.dialerFor(node))).LookupMX(ctx, domain)
}
