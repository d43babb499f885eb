package classroom

import (
	"errors"
	"net"
)

// LANAddress is this machine's address on the local network: the first
// private IPv4 address of an interface that is up (RFC 1918), else the
// first other non-loopback one.
func LANAddress() (string, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return "", err
	}
	var other string
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			n, ok := a.(*net.IPNet)
			if !ok || n.IP.To4() == nil || n.IP.IsLoopback() || n.IP.IsLinkLocalUnicast() {
				continue
			}
			if n.IP.IsPrivate() {
				return n.IP.String(), nil
			}
			if other == "" {
				other = n.IP.String()
			}
		}
	}
	if other == "" {
		return "", errors.New("classroom: this machine has no network address; connect it to the classroom network or give --bind")
	}
	return other, nil
}
