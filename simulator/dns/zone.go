// Package dns is the simulator's one authoritative name server for both
// mail domains (RFC 1034, RFC 1035), and the small stub resolver the MTA uses
// to query it over a dial function the caller controls.
package dns

import (
	"net"
	"strings"

	"github.com/miekg/dns"
)

// DefaultTTL is the TTL of every record when the Zone does not set one.
const DefaultTTL = 300

// MX is one mail exchanger of a domain (RFC 5321 §5.1, RFC 1035 §3.3.9).
type MX struct {
	Pref uint16
	Host string
}

// Zone is the data the server is authoritative for. Names may be written
// with or without the trailing dot, in any case.
type Zone struct {
	// Origins are the zones served; queries for other names are REFUSED.
	// Empty means example.org and example.net.
	Origins []string
	// Root makes the server the whole internet's DNS, as in the world:
	// a name outside Origins does not exist (NXDOMAIN, with the root's
	// SOA) instead of being REFUSED.
	Root bool
	MX   map[string][]MX
	A    map[string][]net.IP
	TXT  map[string][]string
	// SRV are service records (RFC 2782), owner "_service._proto.name":
	// a classroom publishes where its providers' ports are.
	SRV map[string][]SRV
	TTL uint32
}

// SRV is one service location (RFC 2782).
type SRV struct {
	Priority, Weight, Port uint16
	Target                 string
}

// records is the zone indexed by canonical owner name.
type records struct {
	origins []string
	root    bool
	mx      map[string][]MX
	a       map[string][]net.IP
	txt     map[string][]string
	srv     map[string][]SRV
	ttl     uint32
}

func canonical(name string) string { return dns.CanonicalName(name) }

func index(z Zone) *records {
	r := &records{mx: map[string][]MX{}, a: map[string][]net.IP{}, txt: map[string][]string{}, srv: map[string][]SRV{}, ttl: z.TTL}
	r.root = z.Root
	if r.ttl == 0 {
		r.ttl = DefaultTTL
	}
	origins := z.Origins
	if len(origins) == 0 {
		origins = []string{"example.org", "example.net"}
	}
	for _, o := range origins {
		r.origins = append(r.origins, canonical(o))
	}
	for n, v := range z.MX {
		r.mx[canonical(n)] = append([]MX(nil), v...)
	}
	for n, v := range z.A {
		r.a[canonical(n)] = append([]net.IP(nil), v...)
	}
	for n, v := range z.TXT {
		r.txt[canonical(n)] = append([]string(nil), v...)
	}
	for n, v := range z.SRV {
		r.srv[canonical(n)] = append([]SRV(nil), v...)
	}
	return r
}

// origin returns the zone name belongs to, or "".
func (r *records) origin(name string) string {
	for _, o := range r.origins {
		if name == o || strings.HasSuffix(name, "."+o) {
			return o
		}
	}
	return ""
}

// exists reports whether name is in the tree: it owns a record or has a
// name below it (an empty non-terminal such as _domainkey.example.org).
// Otherwise the answer is NXDOMAIN (RFC 8020).
func (r *records) exists(name string) bool {
	if r.origin(name) == name {
		return true
	}
	for _, m := range []map[string]int{keys(r.mx), keys(r.a), keys(r.txt), keys(r.srv)} {
		for owner, n := range m {
			if n > 0 && (owner == name || strings.HasSuffix(owner, "."+name)) {
				return true
			}
		}
	}
	return false
}

func keys[V any](m map[string][]V) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = len(v)
	}
	return out
}
