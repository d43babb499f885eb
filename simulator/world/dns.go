package world

import (
	"context"
	"net"

	"maillab/simulator/dns"
	"maillab/simulator/netmap"
	"maillab/simulator/wire"
)

// dnsService is the loopback DNS server and where it listens.
type dnsService struct {
	srv  *dns.Server
	addr string
}

// zone: each domain's MX points at its mx host; every host has an A record
// with the address it is reached at in this run.
func (w *World) zone() dns.Zone {
	// Root: the world is the whole internet; gmail.com does not exist here.
	z := dns.Zone{Root: true, MX: map[string][]dns.MX{}, A: map[string][]net.IP{}, TXT: map[string][]string{}}
	for _, d := range Domains {
		z.MX[d] = []dns.MX{{Pref: 10, Host: "mx." + d}}
		for _, h := range []string{"smtp.", "mx.", "mail.", "mda."} {
			z.A[h+d] = []net.IP{net.ParseIP(w.hostIP(h + d))}
		}
	}
	return z
}

func (w *World) startDNS() error {
	pc, err := net.ListenPacket("udp", w.listenAddr("dns", netmap.DNS))
	if err != nil {
		return err
	}
	srv := dns.New(dns.Options{Zone: w.zone()})
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

// DNS returns the DNS server (the security lessons add TXT records).
func (w *World) DNS() *dns.Server { return w.dns.srv }

func (w *World) dnsAddr() string { return w.dns.addr }

// LookupMX asks this world's DNS, from node's address, for domain's MX
// records: a device sending straight to an MX does so (mua.MXNet).
func (w *World) LookupMX(ctx context.Context, node, domain string) ([]*net.MX, error) {
	return dns.NewResolver(w.dnsAddr(), dns.DialFunc(w.dialerFor(node))).LookupMX(ctx, domain)
}
