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

// ErrNeedsRestart is wrapped by SetPolicy's error for a change the
// running servers cannot take: the world must be started again with it
// (a world file, OpenWorld in the app).
var ErrNeedsRestart = errors.New("takes effect when the world starts again")

// SetPolicy changes domain's server policy while the world runs, after
// checking it as a world file would be. What the servers take at once:
// starttls-on-25 between offered and required, greylisting and its delay
// (a new delay starts an empty greylist), relay-networks, auth-checks, mailbox-quota
// and down (as SetServerUp, with its state lines). A change to
// plaintext-auth, mx-size-limit, outgoing-tls or starttls-on-25 from or
// to off is refused with ErrNeedsRestart and changes nothing.
func (w *World) SetPolicy(domain string, pol worldspec.Policy) error {
	p := w.providers[domain]
	if p == nil {
		return fmt.Errorf("world: no provider %q", domain)
	}
	pol.RelayNetworks, pol.Down = slices.Clone(pol.RelayNetworks), slices.Clone(pol.Down)
	if pol.GreylistDelay != nil {
		d := *pol.GreylistDelay
		pol.GreylistDelay = &d
	}
	if pol.AuthChecks != nil {
		c := *pol.AuthChecks
		pol.AuthChecks = &c
	}
	var down, changed []string
	err := w.changeSpec(func(s *Spec) error {
		ps := s.Provider(domain)
		old := ps.Policy
		var restart []string
		if old.PlaintextAuth != pol.PlaintextAuth {
			restart = append(restart, "plaintext-auth")
		}
		if old.MXSizeLimit != pol.MXSizeLimit {
			restart = append(restart, "mx-size-limit")
		}
		if old.RequireOutgoingTLS() != pol.RequireOutgoingTLS() {
			restart = append(restart, "outgoing-tls")
		}
		if (old.StartTLS() == worldspec.TLSOff) != (pol.StartTLS() == worldspec.TLSOff) {
			restart = append(restart, "starttls-on-25")
		}
		if len(restart) > 0 {
			return fmt.Errorf("world: %s %s: %w", domain, strings.Join(restart, ", "), ErrNeedsRestart)
		}
		changed = changedKeys(old, pol)
		ps.Policy = pol // down is validated here and made true below
		return nil
	}, func(s Spec) error {
		ps := s.Provider(domain)
		mp := w.mxPolicy(ps.Policy)
		if cur := p.MX.Policy().Greylist; cur != nil && mp.Greylist != nil && cur.Delay() == mp.Greylist.Delay() {
			mp.Greylist = cur // the senders it knows stay known
		}
		p.MX.SetPolicy(mp)
		p.MX.SetAuthChecks(ps.Policy.Checks())
		if q := ps.Policy.MailboxQuota; q != 0 {
			p.Store.SetQuota(int64(q)) // negative: no limit
		} else {
			p.Store.SetQuota(store.DefaultQuota)
		}
		down = slices.Clone(pol.Down)
		return nil
	})
	if err != nil {
		return err
	}
	var errs []error
	if len(changed) > 0 {
		errs = append(errs, w.Note(context.Background(), "mx."+domain, "state.policy-changed",
			map[string]string{"domain": domain, "keys": strings.Join(changed, ", ")}))
	}
	for _, server := range worldspec.Servers {
		errs = append(errs, w.SetServerUp(domain, server, !slices.Contains(down, server)))
	}
	return errors.Join(errs...)
}

// changedKeys names the keys of the live-changeable policy that differ.
func changedKeys(old, pol worldspec.Policy) []string {
	var out []string
	for _, k := range []struct {
		key     string
		changed bool
	}{
		{"starttls-on-25", old.StartTLS() != pol.StartTLS()},
		{"greylisting", old.Greylisting != pol.Greylisting},
		{"greylist-delay", old.GreylistWait() != pol.GreylistWait()},
		{"relay-networks", !slices.Equal(old.RelayNetworks, pol.RelayNetworks)},
		{"auth-checks", old.Checks() != pol.Checks()},
		{"mailbox-quota", old.MailboxQuota != pol.MailboxQuota},
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
