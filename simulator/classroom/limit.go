package classroom

import (
	"net"
	"sync"

	"maillab/simulator/limits"
)

// limitListener closes a connection at once when its address holds its
// share of the connections already, or the service is full.
func limitListener(l net.Listener, c *limits.Conns) net.Listener {
	return &limited{Listener: l, conns: c}
}

type limited struct {
	net.Listener
	conns *limits.Conns
}

func (l *limited) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		release, v := l.conns.Admit(limits.Host(c))
		if v != limits.Admitted {
			c.Close()
			continue
		}
		return &limitedConn{Conn: c, release: release}, nil
	}
}

type limitedConn struct {
	net.Conn
	release func()
	once    sync.Once
}

func (c *limitedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
