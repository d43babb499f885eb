package worldspec

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"maillab/simulator/dnsrecord"
	"maillab/simulator/netmap"
)

// DNS is a provider's zone as the student edits it: the records the
// world's DNS server answers for the domain. A provider without it
// publishes DefaultDNS. With it, the zone holds exactly what it lists: a
// key left out publishes no such record (no SPF, no DMARC, no MX: mail
// then goes to the domain's own A record, RFC 5321 §5.1).
type DNS struct {
	// MX are the domain's mail exchangers; senders try the lowest
	// preference first and the next when one does not answer.
	MX []MXRecord `yaml:"mx,omitempty" json:"mx,omitempty"`
	// A are the addresses of names in the domain. A name without a server
	// behind its address cannot be reached (connection refused).
	A []ARecord `yaml:"a,omitempty" json:"a,omitempty"`
	// SPF is the TXT record at the domain (RFC 7208): which hosts may send
	// its mail.
	SPF string `yaml:"spf,omitempty" json:"spf,omitempty"`
	// DKIM is the MSA's signing selector and the key record published at
	// <selector>._domainkey.<domain> (RFC 6376 §3.6.1).
	DKIM *DKIM `yaml:"dkim,omitempty" json:"dkim,omitempty"`
	// DMARC is the TXT record at _dmarc.<domain> (RFC 7489 §6.3).
	DMARC string `yaml:"dmarc,omitempty" json:"dmarc,omitempty"`
}

// MXRecord is one MX record (RFC 1035 §3.3.9).
type MXRecord struct {
	Preference int    `yaml:"preference" json:"preference"`
	Host       string `yaml:"host" json:"host"`
}

// ARecord is one A record: name (in the provider's domain) → IPv4
// address. Addresses of the address plan (127.77.x.y, netmap) are where
// that host runs in this run: its own address, or 127.0.0.1 where hosts
// share one.
type ARecord struct {
	Name    string `yaml:"name" json:"name"`
	Address string `yaml:"address" json:"address"`
}

// DKIM is a provider's DKIM selector and published key.
type DKIM struct {
	// Selector names the key: the MSA signs with s=<selector> and
	// verifiers look up <selector>._domainkey.<domain>.
	Selector string `yaml:"selector" json:"selector"`
	// Algorithm is the MSA's signing algorithm: ed25519 (ed25519-sha256,
	// RFC 8463; left out) or rsa (rsa-sha256 with a 2048-bit key, RFC 6376
	// and RFC 8301, what most providers sign with today).
	Algorithm string `yaml:"algorithm,omitempty" json:"algorithm,omitempty"`
	// Key is the key record, "v=DKIM1; k=ed25519; p=<base64>". Left out: the
	// public half of the MSA's own signing key, which the world makes when
	// it starts (the private key never leaves the MSA). A key that does
	// not match the MSA's breaks every signature; an empty p= revokes it.
	Key string `yaml:"key,omitempty" json:"key,omitempty"`
}

// DefaultDKIMSelector is the selector every MSA signs with by default.
const DefaultDKIMSelector = "mail"

// The DKIM signing algorithms a world's MSA may use. Ed25519 is the
// default: its public key is 44 base64 characters a learner can read in
// the DNS answer, and signing costs a fraction of RSA-2048's.
const (
	DKIMEd25519 = "ed25519"
	DKIMRSA     = "rsa"
)

// DefaultDMARC asks receivers to refuse mail whose From: domain is
// confirmed neither by SPF nor by DKIM, with relaxed alignment.
const DefaultDMARC = "v=DMARC1; p=reject; adkim=r; aspf=r"

// Limits on a zone.
const (
	MaxMXRecords = 10
	MaxARecords  = 50
)

// planIP is a node's address in the address plan (netmap).
func planIP(node string) string {
	for _, n := range netmap.NodesWith(true, true) {
		if n.ID == node {
			return n.IP
		}
	}
	return ""
}

// DefaultDNS is the zone every provider has unless its file says
// otherwise: MX 10 mx.<domain>, an A record for each of its four
// servers, SPF allowing only smtp.<domain>'s address, the MSA's own DKIM
// key under selector "mail", and DMARC p=reject.
func DefaultDNS(domain string) DNS {
	h := StandardHosts(domain)
	d := DNS{MX: []MXRecord{{Preference: 10, Host: h.MX}},
		SPF:   "v=spf1 ip4:" + planIP(h.Submission) + " -all",
		DKIM:  &DKIM{Selector: DefaultDKIMSelector},
		DMARC: DefaultDMARC}
	for _, host := range []string{h.Submission, h.MX, h.Mailbox, h.Delivery} {
		d.A = append(d.A, ARecord{Name: host, Address: planIP(host)})
	}
	return d
}

// DNSOf is the zone p publishes: its own, or DefaultDNS.
func (p Provider) DNSOf() DNS {
	if p.DNS != nil {
		return p.DNS.Clone()
	}
	return DefaultDNS(p.Domain)
}

// Selector is the DKIM selector p's MSA signs with.
func (p Provider) Selector() string {
	if p.DNS != nil && p.DNS.DKIM != nil && p.DNS.DKIM.Selector != "" {
		return p.DNS.DKIM.Selector
	}
	return DefaultDKIMSelector
}

// DKIMAlgorithm is the algorithm p's MSA signs with.
func (p Provider) DKIMAlgorithm() string {
	if p.DNS != nil && p.DNS.DKIM != nil && p.DNS.DKIM.Algorithm != "" {
		return p.DNS.DKIM.Algorithm
	}
	return DKIMEd25519
}

// Clone returns a deep copy.
func (d DNS) Clone() DNS {
	c := d
	c.MX = slices.Clone(d.MX)
	c.A = slices.Clone(d.A)
	c.DKIM = clonePtr(d.DKIM)
	return c
}

// clone copies a *DNS (nil stays nil).
func cloneDNS(d *DNS) *DNS {
	if d == nil {
		return nil
	}
	c := d.Clone()
	return &c
}

func init() {
	maps.Copy(comments, map[string]string{
		"providers.dns": "The domain's DNS zone (left out: MX 10 mx.<domain>, A records of its servers,\n" +
			"SPF allowing smtp.<domain>, DKIM selector mail with the MSA's key, DMARC p=reject).\n" +
			"Listed, the zone holds exactly these records.",
		"providers.dns.mx":  "Lowest preference first; a host that does not answer makes senders try the next.",
		"providers.dns.a":   "127.77.x.y are the hosts' addresses (where hosts share 127.0.0.1, that one).",
		"providers.dns.spf": "Which servers may send the domain's mail (RFC 7208).",
		"providers.dns.dkim": "The MSA signs with s=<selector> and algorithm: ed25519 (the default, RFC 8463) or rsa (2048 bits,\n" +
			"what most providers use); key: the record at <selector>._domainkey.<domain>\n" +
			"(left out: the public half of the MSA's own key; another key breaks DKIM).",
		"providers.dns.dmarc": "What receivers do with mail that fails SPF and DKIM: p=none, quarantine or reject.",
	})
}

// validateDNS checks a provider's zone; at is its path.
func validateDNS(p *problems, at, domain string, d *DNS) {
	if d == nil {
		return
	}
	if len(d.MX) > MaxMXRecords {
		p.add(at+".mx", "%d MX records; at most %d", len(d.MX), MaxMXRecords)
	} else {
		var hosts []string
		for i, mx := range d.MX {
			if err := dnsrecord.CheckMX(mx.Preference, mx.Host); err != nil {
				field := "host"
				if mx.Preference < 0 || mx.Preference > 65535 || mx.Host == "." {
					field = "preference"
				}
				p.add(fmt.Sprintf("%s.mx[%d].%s", at, i, field), "%v", err)
			}
			hosts = append(hosts, mx.Host)
		}
		if err := dnsrecord.CheckMXSet(hosts); err != nil {
			p.add(at+".mx", "%v", err)
		}
	}
	if len(d.A) > MaxARecords {
		p.add(at+".a", "%d A records; at most %d", len(d.A), MaxARecords)
	} else {
		seen := map[string]int{}
		for i, a := range d.A {
			ai := fmt.Sprintf("%s.a[%d]", at, i)
			name := strings.ToLower(strings.TrimSuffix(a.Name, "."))
			if err := dnsrecord.CheckHost(a.Name); err != nil {
				p.add(ai+".name", "%v", err)
			} else if domain != "" && name != domain && !strings.HasSuffix(name, "."+domain) {
				p.add(ai+".name", "%s is not in %s: a provider's zone holds only names in its domain", a.Name, domain)
			}
			if err := dnsrecord.CheckA(a.Address); err != nil {
				p.add(ai+".address", "%v", err)
			}
			key := name + " " + a.Address
			if j, dup := seen[key]; dup {
				p.add(ai, "the same record as %s.a[%d]", at, j)
			}
			seen[key] = i
		}
	}
	if d.SPF != "" {
		if err := dnsrecord.CheckSPF(d.SPF); err != nil {
			p.add(at+".spf", "%v", err)
		}
	}
	if k := d.DKIM; k != nil {
		if k.Selector == "" {
			p.add(at+".dkim.selector", "is missing (the MSA signs with it; mail is the usual one)")
		} else if err := dnsrecord.CheckHost(k.Selector + ".x"); err != nil {
			p.add(at+".dkim.selector", "%q is not a selector: labels of letters, digits and hyphens (RFC 6376 §3.1)", k.Selector)
		}
		if k.Algorithm != "" && k.Algorithm != DKIMEd25519 && k.Algorithm != DKIMRSA {
			p.add(at+".dkim.algorithm", "%q is not a signing algorithm: ed25519 (RFC 8463) or rsa (RFC 6376)", k.Algorithm)
		}
		if k.Key != "" {
			if err := dnsrecord.CheckDKIM(k.Key); err != nil {
				p.add(at+".dkim.key", "%v", err)
			}
		}
	}
	if d.DMARC != "" {
		if err := dnsrecord.CheckDMARC(d.DMARC); err != nil {
			p.add(at+".dmarc", "%v", err)
		}
	}
}
