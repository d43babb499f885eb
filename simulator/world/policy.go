package world

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"maillab/simulator/mail"
	"maillab/simulator/mx"
	"maillab/simulator/store"
	"maillab/simulator/worldspec"
)

// mxPolicy turns a provider's policy into its MX's: STARTTLS required,
// greylisting on the world's queue clock (the retry lesson's fake clock
// when there is one), relay networks.
func (w *World) mxPolicy(p worldspec.Policy) mx.Policy {
	out := mx.Policy{RequireTLS: p.StartTLS() == worldspec.TLSRequired, RelayNets: p.Relays()}
	if p.Greylisting {
		now := time.Now
		if w.opts.Clock != nil {
			now = w.opts.Clock.Now
		}
		out.Greylist = mx.NewGreylist(p.GreylistWait(), now)
	}
	return out
}

// relayQueue hands what the MX relays to the provider's outgoing queue,
// which is made after the MX.
type relayQueue struct{ p *Provider }

func (r relayQueue) Enqueue(env mail.Envelope, raw []byte) (string, error) {
	if r.p.Queue == nil {
		return "", errors.New("world: no queue yet")
	}
	return r.p.Queue.Enqueue(env, raw)
}

// addAccount creates a account in st with its own quota, if it has one.
func addAccount(st *store.Store, a worldspec.Account) error {
	if err := st.AddUser(a.Address, a.Password); err != nil {
		return err
	}
	return setAccountQuota(st, a)
}

func setAccountQuota(st *store.Store, a worldspec.Account) error {
	switch {
	case a.Quota == 0:
		return st.ResetUserQuota(a.Address)
	case a.Quota == worldspec.Unlimited:
		return st.SetUserQuota(a.Address, 0)
	}
	return st.SetUserQuota(a.Address, int64(a.Quota))
}

// changeSpec applies change to a copy of the spec and checks it: the
// world changes only into one a file could describe.
func (w *World) changeSpec(change func(s *Spec) error, apply func(s Spec) error) error {
	w.specMu.Lock()
	defer w.specMu.Unlock()
	w.mu.Lock()
	closed := w.closed
	w.mu.Unlock()
	if closed {
		return ErrClosed
	}
	next := w.spec.Clone()
	if err := change(&next); err != nil {
		return err
	}
	if err := next.Validate(); err != nil {
		return fmt.Errorf("world: %w", err)
	}
	if err := apply(next); err != nil {
		return err
	}
	w.spec = next
	return nil
}

// AddAccount adds an account to its provider while the world runs: the
// MX, the MSA, POP3 and IMAP know it at once. Its quota is its own, or
// the provider's when Quota is 0. Logged as state.account-added.
func (w *World) AddAccount(a worldspec.Account) error {
	domain := mail.Domain(a.Address)
	err := w.changeSpec(func(s *Spec) error {
		p := s.Provider(domain)
		if p == nil {
			return fmt.Errorf("world: no provider for %q", a.Address)
		}
		p.Accounts = append(p.Accounts, a)
		return nil
	}, func(Spec) error { return addAccount(w.providers[domain].Store, a) })
	if err != nil {
		return err
	}
	return w.Note(context.Background(), "mail."+domain, "state.account-added", map[string]string{"account": a.Address})
}

// RemoveAccount deletes an account and its mail while the world runs: a
// login fails from now on and the MX refuses mail to it as to an unknown
// user. An account a device uses cannot be removed. Logged as
// state.account-removed.
func (w *World) RemoveAccount(address string) error {
	domain := mail.Domain(address)
	err := w.changeSpec(func(s *Spec) error {
		_, p := s.Account(address)
		if p == nil {
			return fmt.Errorf("world: no account %q", address)
		}
		for _, d := range s.Devices {
			if strings.EqualFold(d.Account, address) {
				return fmt.Errorf("world: %s reads the mail of %s; give the device another account first", d.Name, address)
			}
		}
		p.Accounts = deleteAccount(p.Accounts, address)
		mbs := s.Mailboxes[:0]
		for _, mb := range s.Mailboxes {
			if !strings.EqualFold(mb.Account, address) {
				mbs = append(mbs, mb)
			}
		}
		s.Mailboxes = mbs
		return nil
	}, func(Spec) error { return w.providers[domain].Store.RemoveUser(address) })
	if err != nil {
		return err
	}
	return w.Note(context.Background(), "mail."+domain, "state.account-removed", map[string]string{"account": address})
}

func deleteAccount(accts []worldspec.Account, address string) []worldspec.Account {
	out := accts[:0]
	for _, a := range accts {
		if !strings.EqualFold(a.Address, address) {
			out = append(out, a)
		}
	}
	return out
}

// SetPassword changes an account's password while the world runs. The
// servers ask for the new one at the next login; sessions already logged
// in stay, and the devices keep the password they were set up with (a
// phone goes on trying the old one). Logged as state.account-password,
// without the password.
func (w *World) SetPassword(address, password string) error {
	domain := mail.Domain(address)
	err := w.changeSpec(func(s *Spec) error {
		a, _ := s.Account(address)
		if a == nil {
			return fmt.Errorf("world: no account %q", address)
		}
		a.Password = password
		return nil
	}, func(Spec) error { return w.providers[domain].Store.SetPassword(address, password) })
	if err != nil {
		return err
	}
	return w.Note(context.Background(), "mail."+domain, "state.account-password", map[string]string{"account": address})
}

// SetAccountQuota gives an account its own quota while the world runs
// (0: the provider's again, worldspec.Unlimited: none). Mail already
// stored stays. Logged as state.account-quota.
func (w *World) SetAccountQuota(address string, quota worldspec.Size) error {
	domain := mail.Domain(address)
	var acct worldspec.Account
	var err error
	if domain == w.RoomDomain() {
		err = w.setRoomAccountQuota(address, quota)
	} else {
		err = w.changeSpec(func(s *Spec) error {
			a, _ := s.Account(address)
			if a == nil {
				return fmt.Errorf("world: no account %q", address)
			}
			a.Quota = quota
			acct = *a
			return nil
		}, func(Spec) error { return setAccountQuota(w.providers[domain].Store, acct) })
	}
	if err != nil {
		return err
	}
	u, _ := w.providers[domain].Store.Usage(address)
	q := "none"
	if u.Quota > 0 {
		q = worldspec.FormatSize(u.Quota)
	}
	return w.Note(context.Background(), "mail."+domain, "state.account-quota", map[string]string{"account": address, "quota": q})
}
