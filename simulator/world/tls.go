package world

import (
	"crypto/tls"
	"net"
)

// tlsListener terminates implicit TLS above the tap: the tap sees the
// records as they cross the wire, the server the plaintext.
func tlsListener(l net.Listener, cfg *tls.Config) net.Listener {
	return tls.NewListener(l, cfg)
}
