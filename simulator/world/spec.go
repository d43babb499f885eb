package world

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"maillab/simulator/mail"
	"maillab/simulator/mua"
	"maillab/simulator/store"
	"maillab/simulator/worldspec"
)

// Spec is the declarative description of a world (package worldspec):
// what a world file holds.
type Spec = worldspec.Spec

// DefaultSpec is the world of product.md, the one Options{} builds.
func DefaultSpec() Spec { return worldspec.Default() }

// EffectiveSpec is the world o builds: o.Spec (or DefaultSpec) with the
// option fields that are configuration laid over it. A field at its
// zero value keeps what the spec says.
func (o Options) EffectiveSpec() Spec {
	var s Spec
	if o.Spec != nil {
		s = o.Spec.Clone()
	} else {
		s = DefaultSpec()
	}
	if o.ThirdProvider { // before the switches, which apply to it too
		s.AddThirdProvider()
	}
	for i := range s.Providers {
		p := &s.Providers[i]
		for _, d := range o.InsecureAuth {
			if d == p.Domain {
				p.Policy.PlaintextAuth = true
			}
		}
		if o.NoAuthChecks {
			off := false
			p.Policy.AuthChecks = &off
		}
		if o.MXMaxMessageBytes != 0 {
			p.Policy.MXSizeLimit = worldspec.Size(o.MXMaxMessageBytes)
		}
		switch q := o.MailboxQuota; {
		case q < 0:
			p.Policy.MailboxQuota = worldspec.Unlimited
		case q > 0:
			p.Policy.MailboxQuota = worldspec.Size(q)
		}
	}
	if o.ExtraDevices {
		for _, d := range worldspec.ExtraDevices() {
			if s.Device(d.Name) == nil {
				s.Devices = append(s.Devices, d)
			}
		}
	}
	l := &s.Limits
	setInt := func(dst **int, v int) {
		if v != 0 {
			*dst = &v
		}
	}
	setInt(&l.MaxConns, o.MaxConns)
	setInt(&l.MaxConnsPerAddr, o.MaxConnsPerAddr)
	setDur := func(dst **worldspec.Duration, v time.Duration) {
		switch {
		case v < 0:
			zero := worldspec.Duration(0)
			*dst = &zero
		case v > 0:
			d := worldspec.Duration(v)
			*dst = &d
		}
	}
	setDur(&l.LoginTimeout, o.LoginTimeout)
	setDur(&l.StressTimeout, o.StressTimeout)
	setDur(&l.SessionTimeout, o.SessionTimeout)
	setDur(&l.AuthFailureDelay, o.AuthFailureDelay)
	return s
}

// applySpec makes the option fields the servers read agree with s.
func (o *Options) applySpec(s Spec) {
	o.InsecureAuth = nil
	for _, p := range s.Providers {
		if p.Policy.PlaintextAuth {
			o.InsecureAuth = append(o.InsecureAuth, p.Domain)
		}
	}
	l := s.Limits
	if l.MaxConns != nil {
		o.MaxConns = *l.MaxConns
	}
	if l.MaxConnsPerAddr != nil {
		o.MaxConnsPerAddr = *l.MaxConnsPerAddr
	}
	if l.LoginTimeout != nil {
		o.LoginTimeout = time.Duration(*l.LoginTimeout)
	}
	if l.StressTimeout != nil {
		o.StressTimeout = time.Duration(*l.StressTimeout)
	}
	if l.SessionTimeout != nil {
		o.SessionTimeout = time.Duration(*l.SessionTimeout)
	}
	if l.AuthFailureDelay != nil {
		o.AuthFailureDelay = time.Duration(*l.AuthFailureDelay)
		if o.AuthFailureDelay == 0 {
			o.AuthFailureDelay = -1 // no pause
		}
	}
}

// Spec returns the description this world was built from, with the
// changes made since (accounts, SetPolicy, SetServerUp): saved, it builds
// the same world again, with the mail it started with (SpecWithMail has
// the mail there is now instead).
func (w *World) Spec() Spec {
	w.specMu.Lock()
	defer w.specMu.Unlock()
	return w.spec.Clone()
}

// Title is the title of the world file this world was built from ("" when
// it has none), without copying the rest of the description.
func (w *World) Title() string { return w.spec.Title }

// SpecWithMail is Spec with the mail now in the providers' mailboxes
// (every folder of every account, in UID order), so a saved file starts
// where this world is.
func (w *World) SpecWithMail() (Spec, error) {
	s := w.Spec()
	s.Mailboxes = nil
	for _, d := range s.Domains() {
		p := w.providers[d]
		if p == nil {
			continue
		}
		for _, u := range p.Store.Users() {
			boxes, err := p.Store.Mailboxes(u)
			if err != nil {
				return Spec{}, err
			}
			for _, b := range boxes {
				msgs, err := p.Store.Messages(u, b.Name)
				if err != nil {
					return Spec{}, err
				}
				if len(msgs) == 0 {
					continue
				}
				mb := worldspec.Mailbox{Account: u}
				if b.Name != store.Inbox {
					mb.Folder = b.Name
				}
				for _, m := range msgs {
					mb.Messages = append(mb.Messages, worldspec.Message{Flags: m.Flags,
						Date: m.InternalDate.UTC(), Raw: string(m.Raw)})
				}
				s.Mailboxes = append(s.Mailboxes, mb)
			}
		}
	}
	return s, nil
}

// providerSpec is the spec of domain's provider.
func (w *World) providerSpec(domain string) worldspec.Provider {
	w.specMu.RLock()
	defer w.specMu.RUnlock()
	if domain == w.RoomDomain() {
		return worldspec.Provider{Domain: domain, Policy: w.roomPolicy}
	}
	if p := w.spec.Provider(domain); p != nil {
		return *p
	}
	return worldspec.Provider{Domain: domain}
}

// deviceAccount is the login a device of the spec uses.
func (w *World) deviceAccount(d worldspec.Device) mua.Account {
	a, p := w.spec.Account(d.Account)
	acct := mua.Account{Address: d.Account}
	if a != nil {
		acct.Password = a.Password
	}
	if p != nil {
		h := p.HostsOf()
		acct.SMTPHost, acct.MailHost = h.Submission, h.Mailbox
	} else {
		acct.SMTPHost, acct.MailHost = "smtp."+mail.Domain(d.Account), "mail."+mail.Domain(d.Account)
	}
	return acct
}

// fillMailboxes stores the spec's messages, in order, before anyone
// connects.
func (w *World) fillMailboxes() error {
	for i, mb := range w.spec.Mailboxes {
		p := w.providers[mail.Domain(mb.Account)]
		if p == nil {
			return fmt.Errorf("mailboxes[%d]: no provider for %s", i, mb.Account)
		}
		folder := mb.FolderName()
		if err := p.Store.CreateMailbox(mb.Account, folder); err != nil && !errors.Is(err, store.ErrMailboxExists) {
			return fmt.Errorf("mailboxes[%d].folder: %w", i, err)
		}
		for j, m := range mb.Messages {
			date := m.Date
			if date.IsZero() {
				date = w.opts.Now()
			}
			if _, err := p.Store.Deliver(mb.Account, folder, crlf(m.Raw), m.Flags, date); err != nil {
				return fmt.Errorf("mailboxes[%d].messages[%d]: %w", i, j, err)
			}
		}
	}
	return nil
}

// crlf gives every line of a message the CRLF ending RFC 5322 asks for.
func crlf(s string) []byte {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}
