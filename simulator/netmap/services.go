package netmap

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Service is a well-known mail service: its protocol name and port.
type Service struct {
	Name     string `json:"name"`  // smtp, submission, submissions, pop3, pop3s, imap, imaps, lmtp, dns
	Proto    string `json:"proto"` // the protocol spoken after TLS: smtp, submission, pop3, imap, lmtp, dns
	Port     int    `json:"port"`
	Implicit bool   `json:"implicitTLS"`
	StartTLS bool   `json:"startTLS"`
}

// Well-known services (RFC 5321, RFC 6409, RFC 8314, RFC 1939, RFC 9051).
var (
	SMTP        = Service{Name: "smtp", Proto: "smtp", Port: 25, StartTLS: true}
	Submission  = Service{Name: "submission", Proto: "submission", Port: 587, StartTLS: true}
	Submissions = Service{Name: "submissions", Proto: "submission", Port: 465, Implicit: true}
	POP3        = Service{Name: "pop3", Proto: "pop3", Port: 110, StartTLS: true}
	POP3S       = Service{Name: "pop3s", Proto: "pop3", Port: 995, Implicit: true}
	IMAP        = Service{Name: "imap", Proto: "imap", Port: 143, StartTLS: true}
	IMAPS       = Service{Name: "imaps", Proto: "imap", Port: 993, Implicit: true}
	LMTP        = Service{Name: "lmtp", Proto: "lmtp", Port: 24}
	DNS         = Service{Name: "dns", Proto: "dns", Port: 53}
)

// Directory records where each (host, service) really listens.
type Directory struct {
	mu      sync.RWMutex
	entries map[string]string
}

// NewDirectory returns an empty directory.
func NewDirectory() *Directory { return &Directory{entries: map[string]string{}} }

func key(host string, port int) string { return fmt.Sprintf("%s|%d", host, port) }

// Set records the actual address of host's service on a well-known port.
func (d *Directory) Set(host string, wellKnown int, addr string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.entries[key(host, wellKnown)] = addr
}

// Addr returns the actual address for host's well-known port.
func (d *Directory) Addr(host string, wellKnown int) (string, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	a, ok := d.entries[key(host, wellKnown)]
	return a, ok
}

// Entry is one row of the port map.
type Entry struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	Addr string `json:"addr"`
}

// Entries lists the directory sorted by host and port.
func (d *Directory) Entries() []Entry {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []Entry
	for k, a := range d.entries {
		host, port, _ := strings.Cut(k, "|")
		var p int
		fmt.Sscan(port, &p)
		out = append(out, Entry{Host: host, Port: p, Addr: a})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Host != out[j].Host {
			return out[i].Host < out[j].Host
		}
		return out[i].Port < out[j].Port
	})
	return out
}

// PortOffset is how far above the port base a host (or domain) of a
// provider listens in a port-map world: 0 for example.org and the DNS,
// 10000 for example.net, 20000 for example.com (ThirdDomain).
func PortOffset(host string) int {
	host = strings.ToLower(host)
	switch {
	case strings.HasSuffix(host, "example.net"):
		return 10000
	case strings.HasSuffix(host, ThirdDomain):
		return 20000
	}
	return 0
}
