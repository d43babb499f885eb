package mail

import (
	"crypto/tls"
	"net"
	"strings"
)

// connStater is what *tls.Conn offers; wrappers around TLS connections (a
// tap, a tracked conn) can forward it so the agents still see the session.
type connStater interface {
	ConnectionState() tls.ConnectionState
}

// TLSState returns the TLS state of c once its handshake has completed.
func TLSState(c net.Conn) (tls.ConnectionState, bool) {
	s, ok := c.(connStater)
	if !ok {
		return tls.ConnectionState{}, false
	}
	st := s.ConnectionState()
	return st, st.HandshakeComplete
}

// TLSNote describes a TLS session the way Postfix's Received: comment does:
// "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256".
func TLSNote(st tls.ConnectionState) string {
	v := strings.Replace(tls.VersionName(st.Version), "TLS 1.", "TLSv1.", 1)
	return v + " with cipher " + tls.CipherSuiteName(st.CipherSuite)
}

// RemoteIP returns the IP address of c's peer as text ("" if unknown).
func RemoteIP(c net.Conn) string {
	if c == nil || c.RemoteAddr() == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(c.RemoteAddr().String())
	if err != nil {
		return c.RemoteAddr().String()
	}
	return host
}
