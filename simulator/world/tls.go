package world

import (
	"context"
	"crypto/tls"
	"net"
	"time"
)

// DefaultHandshakeTimeout bounds an implicit-TLS handshake (465, 993,
// 995): a client that connects and says nothing is closed after it.
const DefaultHandshakeTimeout = 15 * time.Second

// tlsListener terminates implicit TLS above the tap: the tap sees the
// records as they cross the wire, the server the plaintext. Servers tell
// implicit TLS by the *tls.Conn they get, so Accept hands it over at once
// and the handshake runs beside, with a deadline: a silent connection is
// closed then, also one over a server's cap whose refusal would otherwise
// wait for a handshake that never comes.
func tlsListener(l net.Listener, cfg *tls.Config, timeout time.Duration) net.Listener {
	if timeout <= 0 {
		timeout = DefaultHandshakeTimeout
	}
	return &handshakeListener{Listener: tls.NewListener(l, cfg), timeout: timeout}
}

type handshakeListener struct {
	net.Listener
	timeout time.Duration
}

func (l *handshakeListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if tc, ok := c.(*tls.Conn); ok {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), l.timeout)
			defer cancel()
			if tc.HandshakeContext(ctx) != nil {
				tc.Close() // the server's read or write on it fails and the session ends
			}
		}()
	}
	return c, nil
}
