// Package clientconfig says how a mail program outside Maillab reaches the
// servers of a port-map world: the settings a person types into
// Thunderbird (server, port, connection security, user name), and the same
// as Thunderbird's autoconfig XML so it can set itself up.
package clientconfig

import (
	"net"
	"strconv"
	"strings"

	"maillab/simulator/netmap"
)

// PortMap is where a port-map world listens: world.Options' Bind and
// PortBase.
type PortMap struct {
	Bind     string
	PortBase int
}

// Account is a demo login of product.md.
type Account struct {
	Address  string
	Password string
}

// Security is the connection security in the words of Thunderbird's
// autoconfig format (socketType).
type Security string

const (
	// SSL is implicit TLS, encrypted from the first byte (RFC 8314 §3);
	// Thunderbird's settings call it "SSL/TLS".
	SSL Security = "SSL"
	// STARTTLS starts in plain text and switches to TLS before the login
	// (RFC 3207, RFC 2595, RFC 9051 §6.2.1).
	STARTTLS Security = "STARTTLS"
)

// PasswordCleartext is Thunderbird's "Normal password": AUTH PLAIN or
// LOGIN, USER/PASS, IMAP LOGIN, protected only by TLS.
const PasswordCleartext = "password-cleartext"

// Server is one way to reach one server of a provider.
type Server struct {
	Direction string   `json:"direction"` // incoming or outgoing
	Protocol  string   `json:"protocol"`  // imap, pop3 or smtp
	Service   string   `json:"service"`   // netmap name: imaps, imap, pop3s, pop3, submissions, submission
	Host      string   `json:"host"`      // its name in the world, mail.example.org
	WellKnown int      `json:"wellKnown"` // 993
	Security  Security `json:"security"`
	// Hostname and Port are what to type: the names of the world do not
	// resolve on the user's machine, so the bind address and base + port.
	Hostname string `json:"hostname"`
	Port     int    `json:"port"`
	Addr     string `json:"addr"` // Hostname:Port, bracketed for IPv6
	Username string `json:"username"`
	Auth     string `json:"auth"`
}

// Provider is one domain's settings for its demo account.
type Provider struct {
	Domain   string   `json:"domain"`
	Owner    string   `json:"owner"` // Alice, Bob
	Address  string   `json:"address"`
	Password string   `json:"password"`
	Incoming []Server `json:"incoming"`
	Outgoing []Server `json:"outgoing"`
}

// A service a mail program uses, in the order offered. Implicit TLS comes
// first: Thunderbird takes the first server of the autoconfig file as the
// default, and RFC 8314 §3 prefers implicit TLS, which no attacker can
// strip the way a STARTTLS offer can be.
type use struct {
	direction, protocol, prefix string
	svc                         netmap.Service
	sec                         Security
}

var uses = []use{
	{"incoming", "imap", "mail", netmap.IMAPS, SSL},
	{"incoming", "imap", "mail", netmap.IMAP, STARTTLS},
	{"incoming", "pop3", "mail", netmap.POP3S, SSL},
	{"incoming", "pop3", "mail", netmap.POP3, STARTTLS},
	{"outgoing", "smtp", "smtp", netmap.Submissions, SSL},
	{"outgoing", "smtp", "smtp", netmap.Submission, STARTTLS},
}

// Providers returns the settings of each domain's first account, in the
// order of domains.
func Providers(pm PortMap, domains []string, accounts []Account) []Provider {
	var out []Provider
	for _, d := range domains {
		if p, ok := ForDomain(pm, d, accounts); ok {
			out = append(out, p)
		}
	}
	return out
}

// ForDomain returns the settings of domain's first account; false when
// no account has an address there.
func ForDomain(pm PortMap, domain string, accounts []Account) (Provider, bool) {
	domain = strings.ToLower(domain)
	for _, a := range accounts {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && strings.EqualFold(d, domain) {
			return provider(pm, domain, a), true
		}
	}
	return Provider{}, false
}

func provider(pm PortMap, domain string, a Account) Provider {
	local, _, _ := strings.Cut(a.Address, "@")
	p := Provider{Domain: domain, Owner: capitalize(local), Address: a.Address, Password: a.Password,
		Incoming: []Server{}, Outgoing: []Server{}}
	host := ConnectHost(pm.Bind)
	for _, u := range uses {
		port := Base(pm, domain) + u.svc.Port
		s := Server{Direction: u.direction, Protocol: u.protocol, Service: u.svc.Name,
			Host: u.prefix + "." + domain, WellKnown: u.svc.Port, Security: u.sec, Hostname: host, Port: port,
			Addr: net.JoinHostPort(host, strconv.Itoa(port)), Username: a.Address, Auth: PasswordCleartext}
		if u.direction == "incoming" {
			p.Incoming = append(p.Incoming, s)
		} else {
			p.Outgoing = append(p.Outgoing, s)
		}
	}
	return p
}

// Base is the number added to a well-known port of domain's services: the
// port base for example.org, 10000 more for example.net (product.md),
// 20000 more for example.com (netmap.PortOffset; the world's listeners
// use the same rule).
func Base(pm PortMap, domain string) int {
	return pm.PortBase + netmap.PortOffset(domain)
}

// ConnectHost is the address a client on this machine dials: the bind
// address, or loopback when the world listens on every address.
func ConnectHost(bind string) string {
	if ip := net.ParseIP(bind); ip == nil || ip.IsUnspecified() {
		return "127.0.0.1"
	}
	return bind
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
