package world

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"

	"maillab/simulator/netmap"
)

// restartServer builds domain's server role (mx, submission, mailbox)
// anew from the spec as it is now and puts it on the same addresses, as
// an administrator restarts Postfix or Dovecot after changing what they
// read only at start (SIZE, STARTTLS at all, AUTH before TLS, the DKIM
// selector and algorithm). Sessions open on the old server end with it; a server that
// is down stays down and starts with the new settings when it comes back.
// Logged as state.server-restarted with the keys that made it necessary.
// The caller holds changeMu.
func (w *World) restartServer(domain, server string, keys []string) error {
	p := w.providers[domain]
	if p == nil {
		return fmt.Errorf("world: no provider %q", domain)
	}
	host := serverHost(domain, server)
	serves := map[netmap.Service]func(net.Listener) error{}
	var old, fresh []io.Closer
	switch server {
	case ServerMX:
		s, err := w.newMX(p)
		if err != nil {
			return err
		}
		if cur := p.MX.Policy().Greylist; cur != nil {
			if pol := s.Policy(); pol.Greylist != nil && pol.Greylist.Delay() == cur.Delay() {
				pol.Greylist = cur // the senders it knows stay known
				s.SetPolicy(pol)
			}
		}
		serves[netmap.SMTP] = s.Serve
		old, fresh = []io.Closer{p.MX}, []io.Closer{s}
		defer func() { p.MX = s }()
	case ServerSubmission:
		s, err := w.newMSA(p)
		if err != nil {
			return err
		}
		serves[netmap.Submission], serves[netmap.Submissions] = s.Serve, s.Serve
		old, fresh = []io.Closer{p.MSA}, []io.Closer{s}
		defer func() { p.MSA = s }()
	case ServerMailbox:
		pop, im, err := w.newMailboxes(p)
		if err != nil {
			return err
		}
		serves[netmap.POP3], serves[netmap.POP3S] = pop.Serve, pop.Serve
		serves[netmap.IMAP], serves[netmap.IMAPS] = im.Serve, im.Serve
		old, fresh = []io.Closer{p.POP3, p.IMAP}, []io.Closer{pop, im}
		defer func() { p.POP3, p.IMAP = pop, im }()
	default:
		return fmt.Errorf("world: no server %q", server)
	}
	if err := w.swapClosers(old, fresh); err != nil {
		for _, c := range fresh {
			c.Close()
		}
		return err
	}
	var errs []error
	var ports []string
	w.servedMu.Lock()
	for _, s := range w.served {
		if s.host != host {
			continue
		}
		ports = append(ports, fmt.Sprint(s.svc.Port))
		if serve := serves[s.svc]; serve != nil {
			s.serve = serve
		}
		if s.l == nil {
			continue // down: it comes back as the new server
		}
		if err := s.l.Close(); err != nil && !isClosedErr(err) {
			errs = append(errs, err)
		}
		s.l = nil
		if err := w.reopen(s); err != nil {
			errs = append(errs, err)
		}
	}
	w.servedMu.Unlock()
	for _, c := range old {
		if err := c.Close(); err != nil && !isClosedErr(err) {
			errs = append(errs, err)
		}
	}
	errs = append(errs, w.Note(context.Background(), host, "state.server-restarted",
		map[string]string{"server": host, "role": server, "ports": strings.Join(slices.Compact(ports), ", "),
			"keys": strings.Join(keys, ", ")}))
	return errors.Join(errs...)
}

// swapClosers puts fresh where old were in the list Close closes.
func (w *World) swapClosers(old, fresh []io.Closer) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return ErrClosed
	}
	for i, o := range old {
		if j := slices.Index(w.closers, o); j >= 0 {
			w.closers[j] = fresh[i]
		} else {
			w.closers = append(w.closers, fresh[i])
		}
	}
	return nil
}

// reopen listens for s again on its address and serves it; s.l is nil.
// The caller holds servedMu.
func (w *World) reopen(s *served) error {
	addr, ok := w.Dir.Addr(s.host, s.svc.Port)
	if !ok {
		return fmt.Errorf("world: %s has no port %d address", s.host, s.svc.Port)
	}
	l, err := w.listenAt(addr, s.host, s.svc) // takes w.mu for TLS configs
	if err != nil {
		return fmt.Errorf("world: reopening %s port %d: %w", s.host, s.svc.Port, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		l.Close()
		return ErrClosed
	}
	// Under w.mu with closed unset, so Close waits for this loop too.
	serve := s.serve
	w.serve(func() error { return serve(l) })
	s.l = l
	return nil
}
