package world

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"maillab/simulator/netmap"
	"maillab/simulator/worldspec"
)

// ErrClosed is returned by world changes after Close.
var ErrClosed = errors.New("world: closed")

// served is one listening port of a server and the loop that serves it.
type served struct {
	host  string
	svc   netmap.Service
	l     net.Listener // nil while the server is down
	serve func(net.Listener) error
}

// Servers a provider can take down (SetServerUp): the worldspec names.
const (
	ServerMX         = worldspec.ServerMX
	ServerSubmission = worldspec.ServerSubmission
	ServerMailbox    = worldspec.ServerMailbox
)

// serverHost is the host of domain's server role, "" for an unknown role.
func serverHost(domain, server string) string {
	h := worldspec.StandardHosts(domain)
	switch server {
	case ServerMX:
		return h.MX
	case ServerSubmission:
		return h.Submission
	case ServerMailbox:
		return h.Mailbox
	}
	return ""
}

// serveOn listens for host's service and runs serve on it until Close
// or until the server is taken down (SetServerUp).
func (w *World) serveOn(host string, svc netmap.Service, serve func(net.Listener) error) error {
	l, err := w.listen(host, svc)
	if err != nil {
		return fmt.Errorf("%s port %d: %w", host, svc.Port, err)
	}
	w.servedMu.Lock()
	w.served = append(w.served, &served{host: host, svc: svc, l: l, serve: serve})
	w.servedMu.Unlock()
	w.serve(func() error { return serve(l) })
	return nil
}

// SetServerUp takes a server of domain off the network (up=false: its
// listeners are really closed, so a client gets "connection refused") or
// brings it back on the same addresses; server is "mx" (port 25),
// "submission" (587, 465) or "mailbox" (110, 995, 143, 993). Connections
// already open are not touched. A change is logged as state.server-down
// or state.server-up with the host and its ports, for the transcript;
// setting the current state again does nothing and logs nothing.
func (w *World) SetServerUp(domain, server string, up bool) error {
	changed, ports, err := w.setServerUp(domain, server, up)
	if err != nil || !changed {
		return err
	}
	w.noteDown(domain, server, up)
	code := "state.server-down"
	if up {
		code = "state.server-up"
	}
	return w.Note(context.Background(), serverHost(domain, server), code,
		map[string]string{"server": serverHost(domain, server), "role": server, "ports": ports})
}

// ServerUp reports whether a server of domain is listening.
func (w *World) ServerUp(domain, server string) bool {
	host := serverHost(domain, server)
	w.servedMu.Lock()
	defer w.servedMu.Unlock()
	for _, s := range w.served {
		if s.host == host {
			return s.l != nil
		}
	}
	return false
}

// SetMXUp is SetServerUp for the MX, without the state line: the
// scenario that uses it tells the story itself.
func (w *World) SetMXUp(domain string, up bool) error {
	_, _, err := w.setServerUp(domain, ServerMX, up)
	return err
}

// MXUp reports whether the MX of domain is listening.
func (w *World) MXUp(domain string) bool { return w.ServerUp(domain, ServerMX) }

func (w *World) setServerUp(domain, server string, up bool) (changed bool, ports string, err error) {
	if w.providers[domain] == nil {
		return false, "", fmt.Errorf("world: no provider %q", domain)
	}
	host := serverHost(domain, server)
	if host == "" {
		return false, "", fmt.Errorf("world: no server %q (write %s)", server, strings.Join(worldspec.Servers, ", "))
	}
	w.servedMu.Lock() // one change at a time
	defer w.servedMu.Unlock()
	if w.isClosed() {
		return false, "", ErrClosed
	}
	var nums []string
	var errs []error
	for _, s := range w.served {
		if s.host != host {
			continue
		}
		nums = append(nums, strconv.Itoa(s.svc.Port))
		switch {
		case !up && s.l != nil:
			if err := s.l.Close(); err != nil && !isClosedErr(err) {
				errs = append(errs, err)
			}
			s.l, changed = nil, true
		case up && s.l == nil:
			if err := w.reopen(s); err != nil {
				if errors.Is(err, ErrClosed) {
					return changed, "", err
				}
				errs = append(errs, err)
				continue
			}
			changed = true
		}
	}
	slices.Sort(nums)
	return changed, strings.Join(slices.Compact(nums), ", "), errors.Join(errs...)
}

func (w *World) isClosed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closed
}

// takeDown closes the servers the spec lists as down, once the world is
// built: their addresses are known, so SetServerUp brings them back there.
func (w *World) takeDown() error {
	for _, p := range w.spec.Providers {
		for _, server := range p.Policy.Down {
			if err := w.SetServerUp(p.Domain, server, false); err != nil {
				return err
			}
		}
	}
	return nil
}
