package dns

import (
	"github.com/miekg/dns"
)

// answer builds the authoritative reply to req (RFC 1034 §4.3.2).
func (r *records) answer(req *dns.Msg) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(req)
	if req.Opcode != dns.OpcodeQuery || len(req.Question) != 1 {
		m.Rcode = dns.RcodeNotImplemented
		return m
	}
	q := req.Question[0]
	name := canonical(q.Name)
	origin := r.origin(name)
	if origin == "" && r.root && q.Qclass == dns.ClassINET {
		// In the world there is no other internet: the name does not exist.
		m.Authoritative = true
		m.Rcode = dns.RcodeNameError
		m.Ns = []dns.RR{r.soa(".")}
		return m
	}
	if origin == "" || q.Qclass != dns.ClassINET {
		m.Rcode = dns.RcodeRefused // not our zone: we are no recursive resolver
		return m
	}
	m.Authoritative = true
	if !r.exists(name) {
		m.Rcode = dns.RcodeNameError // NXDOMAIN
	}
	m.Answer = r.rrs(name, q.Qtype)
	if len(m.Answer) == 0 {
		m.Ns = []dns.RR{r.soa(origin)} // negative caching (RFC 2308 §3)
	}
	if q.Qtype == dns.TypeMX {
		m.Extra = r.glue(m.Answer) // additional section processing (RFC 1035 §3.3.9)
	}
	return m
}

func (r *records) hdr(name string, t uint16) dns.RR_Header {
	return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: r.ttl}
}

func (r *records) rrs(name string, t uint16) []dns.RR {
	var out []dns.RR
	switch t {
	case dns.TypeMX:
		for _, mx := range r.mx[name] {
			out = append(out, &dns.MX{Hdr: r.hdr(name, t), Preference: mx.Pref, Mx: canonical(mx.Host)})
		}
	case dns.TypeA:
		for _, ip := range r.a[name] {
			if ip4 := ip.To4(); ip4 != nil {
				out = append(out, &dns.A{Hdr: r.hdr(name, t), A: ip4})
			}
		}
	case dns.TypeTXT:
		for _, txt := range r.txt[name] {
			out = append(out, &dns.TXT{Hdr: r.hdr(name, t), Txt: chunks(txt)})
		}
	case dns.TypeSRV:
		for _, v := range r.srv[name] {
			out = append(out, &dns.SRV{Hdr: r.hdr(name, t), Priority: v.Priority, Weight: v.Weight, Port: v.Port, Target: canonical(v.Target)})
		}
	case dns.TypeSOA:
		if r.origin(name) == name {
			out = append(out, r.soa(name))
		}
	}
	return out
}

// chunks splits a TXT value into character-strings of at most 255 octets
// (RFC 1035 §3.3.14); DKIM keys are longer than that (RFC 6376 §3.6.2.2).
func chunks(s string) []string {
	var out []string
	for len(s) > 255 {
		out, s = append(out, s[:255]), s[255:]
	}
	return append(out, s)
}

func (r *records) soa(origin string) dns.RR {
	zone := origin
	if zone == "." {
		zone = "" // the root's SOA names ns. and hostmaster. without a dot between
	}
	return &dns.SOA{Hdr: r.hdr(origin, dns.TypeSOA), Ns: "ns." + zone, Mbox: "hostmaster." + zone,
		Serial: 1, Refresh: 3600, Retry: 600, Expire: 86400, Minttl: r.ttl}
}

func (r *records) glue(answer []dns.RR) []dns.RR {
	var out []dns.RR
	for _, rr := range answer {
		if mx, ok := rr.(*dns.MX); ok {
			out = append(out, r.rrs(mx.Mx, dns.TypeA)...)
		}
	}
	return out
}

// pack encodes m for a transport that carries at most size octets, setting
// TC when it had to drop records (RFC 1035 §4.2.1, RFC 2181 §9).
func pack(m *dns.Msg, req *dns.Msg, udp bool) ([]byte, error) {
	if udp {
		size := dns.MinMsgSize
		if opt := req.IsEdns0(); opt != nil {
			size = int(max(opt.UDPSize(), dns.MinMsgSize))
			m.SetEdns0(uint16(size), false)
		}
		m.Truncate(size)
	}
	return m.Pack()
}
