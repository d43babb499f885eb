package world

import (
	"errors"
	"fmt"

	"maillab/simulator/netmap"
)

// ErrClosed is returned by world changes after Close.
var ErrClosed = errors.New("world: closed")

// SetMXUp takes the MX of domain off the network (up=false: its port 25
// listener is really closed, so a sending MTA gets "connection refused",
// RFC 5321 §4.5.4.1 makes it retry) or brings it back on the SAME address.
// Connections already open are not touched. Setting the current state again
// does nothing.
func (w *World) SetMXUp(domain string, up bool) error {
	p := w.providers[domain]
	if p == nil {
		return fmt.Errorf("world: no provider %q", domain)
	}
	host := "mx." + domain
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	switch {
	case !up && p.mxListener != nil:
		err := p.mxListener.Close()
		p.mxListener = nil
		return err
	case up && p.mxListener == nil:
		addr, ok := w.Dir.Addr(host, netmap.SMTP.Port)
		if !ok {
			return fmt.Errorf("world: %s has no port 25 address", host)
		}
		l, err := w.listenAt(addr, host, netmap.SMTP)
		if err != nil {
			return fmt.Errorf("world: reopening %s: %w", host, err)
		}
		p.mxListener = l
		// Under w.mu with closed unset, so Close waits for this loop too.
		w.serve(func() error { return p.MX.Serve(l) })
	}
	return nil
}

// MXUp reports whether the MX of domain is listening.
func (w *World) MXUp(domain string) bool {
	p := w.providers[domain]
	if p == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return p.mxListener != nil
}
