//go:build !(js && wasm)

package app

import (
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// Host and Origin checks against DNS rebinding: a web page whose name is
// rebound to 127.0.0.1 reaches the server with its own name in Host, and a
// page of another site sends its own Origin. Only the listening address's
// own names are served.

// hostSet is the allowed "name:port" values of the Host header; empty
// allows every host (a handler not yet told where it listens, in tests).
type hostSet map[string]bool

// hostsFor lists the names a browser may use for the server listening at
// listen, started with --addr addr: the loopback names, the --addr host,
// and on a wildcard address every address of this machine and its name.
func hostsFor(listen net.Addr, addr string) hostSet {
	tcp, ok := listen.(*net.TCPAddr)
	if !ok {
		return nil
	}
	port := strconv.Itoa(tcp.Port)
	names := []string{"127.0.0.1", "localhost", "[::1]", tcp.IP.String()}
	if h, _, err := net.SplitHostPort(addr); err == nil && h != "" {
		names = append(names, h)
	}
	if tcp.IP.IsUnspecified() {
		names = append(names, machineNames()...)
	}
	set := hostSet{}
	for _, n := range names {
		n = strings.ToLower(n)
		if strings.Contains(n, ":") && !strings.HasPrefix(n, "[") {
			n = "[" + n + "]" // an IPv6 literal in a Host header
		}
		set[n+":"+port] = true
		if port == "80" {
			set[n] = true
		}
	}
	return set
}

// machineNames are the addresses of this machine's interfaces and its
// host name: what a student's browser uses on a classroom network.
func machineNames() []string {
	var out []string
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ip, ok := a.(*net.IPNet); ok {
				out = append(out, ip.IP.String())
			}
		}
	}
	if h, err := os.Hostname(); err == nil {
		out = append(out, h, h+".local")
	}
	return out
}

func (s hostSet) allows(host string) bool {
	return len(s) == 0 || s[strings.ToLower(host)]
}

// sameOrigin: a browser's Origin, where it sends one, must name this very
// server; requests without Origin (curl, a same-origin GET) pass.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	return o == "" || strings.EqualFold(o, "http://"+r.Host)
}

// guard answers 421 for a foreign Host and 403 for a foreign Origin on the
// API; it reports whether the request may go on.
func (h *HTTP) guard(w http.ResponseWriter, r *http.Request) bool {
	if !h.hosts.allows(r.Host) {
		http.Error(w, "421 this Maillab answers only to its own address (DNS rebinding protection); open the address it printed at start", http.StatusMisdirectedRequest)
		return false
	}
	if strings.HasPrefix(r.URL.Path, "/api/") && !sameOrigin(r) {
		http.Error(w, "403 requests from other web sites are refused", http.StatusForbidden)
		return false
	}
	return true
}
