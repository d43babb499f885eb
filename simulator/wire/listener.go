package wire

import "net"

// Listener taps every connection it accepts.
type Listener struct {
	net.Listener
	svc      Service
	sink     Sink
	identify Identify
	secrets  Secrets
}

// Listen wraps l. secrets (the run's key log) lets the tap decrypt TLS for
// the endpoint view; nil keeps only the wire view.
func Listen(l net.Listener, svc Service, sink Sink, identify Identify, secrets Secrets) *Listener {
	return &Listener{Listener: l, svc: svc, sink: sink, identify: identify, secrets: secrets}
}

// Accept returns the next connection, tapped.
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	client := ""
	if l.identify != nil {
		client = l.identify(c.RemoteAddr().String())
	}
	return newConn(c, l.svc, l.sink, client, l.secrets), nil
}
