package world

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"maillab/simulator/store"
	"maillab/simulator/worldspec"
)

// SetPolicy changes domain's server policy while the world runs, after
// checking it as a world file would be. What the servers take at once:
// starttls-on-25 between offered and required, greylisting and its delay
// (a new delay starts an empty greylist), relay-networks, auth-checks,
// mailbox-quota, outgoing-tls and queue-lifetime (the sending MTA's next
// attempt), and down (as SetServerUp, with its state lines). What a
// server reads only when it starts restarts that server, as an
// administrator restarts Postfix or Dovecot (state.server-restarted):
// mx-size-limit and starttls-on-25 from or to off the MX, plaintext-auth
// the MSA and the mailbox server (POP3 and IMAP).
//
// The room provider (RoomProvider) takes the same keys but
// relay-networks: it relays for nobody, the room's rule. Its policy is
// kept beside the spec (RoomPolicy), and a restarted server of it comes
// back on the LAN address and room port it had, with the room CA's
// certificate.
func (w *World) SetPolicy(domain string, pol worldspec.Policy) error {
	w.changeMu.Lock()
	defer w.changeMu.Unlock()
	p := w.providers[domain]
	if p == nil {
		return fmt.Errorf("world: no provider %q", domain)
	}
	pol = clonePolicy(pol)
	var down, changed []string
	restart := map[string][]string{} // server → the keys that restart it
	plan := func(old worldspec.Policy) {
		if old.PlaintextAuth != pol.PlaintextAuth {
			restart[ServerSubmission] = append(restart[ServerSubmission], "plaintext-auth")
			restart[ServerMailbox] = append(restart[ServerMailbox], "plaintext-auth")
		}
		if old.MXSizeLimit != pol.MXSizeLimit {
			restart[ServerMX] = append(restart[ServerMX], "mx-size-limit")
		}
		if (old.StartTLS() == worldspec.TLSOff) != (pol.StartTLS() == worldspec.TLSOff) {
			restart[ServerMX] = append(restart[ServerMX], "starttls-on-25")
		}
		changed = changedKeys(old, pol, len(restart[ServerMX]) > 0)
	}
	apply := func(pol worldspec.Policy) {
		mp := w.mxPolicy(pol)
		if cur := p.MX.Policy().Greylist; cur != nil && mp.Greylist != nil && cur.Delay() == mp.Greylist.Delay() {
			mp.Greylist = cur // the senders it knows stay known
		}
		p.MX.SetPolicy(mp)
		p.MX.SetAuthChecks(pol.Checks())
		if q := pol.MailboxQuota; q != 0 {
			p.Store.SetQuota(int64(q)) // negative: no limit
		} else {
			p.Store.SetQuota(store.DefaultQuota)
		}
		p.Queue.SetRequireTLS(pol.RequireOutgoingTLS())
		p.Queue.SetLifetime(pol.Lifetime())
		down = slices.Clone(pol.Down)
	}
	var err error
	if domain == w.RoomDomain() {
		err = w.changeRoomPolicy(pol, plan, apply)
	} else {
		err = w.changeSpec(func(s *Spec) error {
			ps := s.Provider(domain)
			plan(ps.Policy)
			ps.Policy = pol // down is validated here and made true below
			return nil
		}, func(s Spec) error {
			apply(s.Provider(domain).Policy)
			return nil
		})
	}
	if err != nil {
		return err
	}
	var errs []error
	if len(changed) > 0 {
		errs = append(errs, w.Note(context.Background(), "mx."+domain, "state.policy-changed",
			map[string]string{"domain": domain, "keys": strings.Join(changed, ", ")}))
	}
	for _, server := range worldspec.Servers {
		if keys := restart[server]; len(keys) > 0 {
			errs = append(errs, w.restartServer(domain, server, keys))
		}
	}
	for _, server := range worldspec.Servers {
		errs = append(errs, w.SetServerUp(domain, server, !slices.Contains(down, server)))
	}
	return errors.Join(errs...)
}

// changeRoomPolicy is changeSpec for the room provider's policy, which
// no world file has: pol is checked as a file's would be, and the room's
// rule that it relays for nobody.
func (w *World) changeRoomPolicy(pol worldspec.Policy, plan func(old worldspec.Policy), apply func(worldspec.Policy)) error {
	w.specMu.Lock()
	defer w.specMu.Unlock()
	if w.isClosed() {
		return ErrClosed
	}
	if len(pol.RelayNetworks) > 0 {
		return fmt.Errorf("world: %w", roomRelayProblem(w.RoomDomain()))
	}
	if err := pol.Validate("policy"); err != nil {
		return fmt.Errorf("world: %w", err)
	}
	plan(w.roomPolicy)
	apply(pol)
	w.roomPolicy = pol
	return nil
}

// clonePolicy copies pol's lists and pointers.
func clonePolicy(pol worldspec.Policy) worldspec.Policy {
	pol.RelayNetworks, pol.Down = slices.Clone(pol.RelayNetworks), slices.Clone(pol.Down)
	pol.GreylistDelay = clonePtr(pol.GreylistDelay)
	pol.QueueLifetime = clonePtr(pol.QueueLifetime)
	pol.AuthChecks = clonePtr(pol.AuthChecks)
	return pol
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// changedKeys names the keys that change without a restart and differ;
// starttls-on-25 is left out when the MX restarts for it (mxRestarts).
func changedKeys(old, pol worldspec.Policy, mxRestarts bool) []string {
	var out []string
	for _, k := range []struct {
		key     string
		changed bool
	}{
		{"starttls-on-25", old.StartTLS() != pol.StartTLS() && !mxRestarts},
		{"greylisting", old.Greylisting != pol.Greylisting},
		{"greylist-delay", old.GreylistWait() != pol.GreylistWait()},
		{"relay-networks", !slices.Equal(old.RelayNetworks, pol.RelayNetworks)},
		{"auth-checks", old.Checks() != pol.Checks()},
		{"mailbox-quota", old.MailboxQuota != pol.MailboxQuota},
		{"outgoing-tls", old.RequireOutgoingTLS() != pol.RequireOutgoingTLS()},
		{"queue-lifetime", old.Lifetime() != pol.Lifetime()},
	} {
		if k.changed {
			out = append(out, k.key)
		}
	}
	return out
}

// noteDown keeps the spec's down list in step with SetServerUp.
func (w *World) noteDown(domain, server string, up bool) {
	w.specMu.Lock()
	defer w.specMu.Unlock()
	ps := w.spec.Provider(domain)
	if domain == w.RoomDomain() {
		ps = &worldspec.Provider{Policy: w.roomPolicy}
		defer func() { w.roomPolicy = ps.Policy }()
	}
	if ps == nil {
		return
	}
	switch {
	case up:
		ps.Policy.Down = slices.DeleteFunc(ps.Policy.Down, func(s string) bool { return s == server })
	case !slices.Contains(ps.Policy.Down, server):
		ps.Policy.Down = append(ps.Policy.Down, server)
	}
	if len(ps.Policy.Down) == 0 {
		ps.Policy.Down = nil
	}
}
