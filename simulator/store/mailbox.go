package store

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Delim separates the levels of mailbox names ("Archive/2024"); the IMAP
// server reports it in LIST (RFC 9051 §6.3.9).
const Delim = "/"

type mailbox struct {
	name        string
	uidValidity uint32
	uidNext     uint32
	msgs        []*message // ascending UID
	// firstRecent is the lowest UID no IMAP session has claimed as
	// \Recent yet (RFC 3501 §2.3.2); see ClaimRecent.
	firstRecent uint32
	// highestModSeq is CONDSTORE's HIGHESTMODSEQ (RFC 7162 §3.1.1): it
	// grows by one with every operation that changes the mailbox (arrival,
	// flag change, expunge), and the messages it touched get the new value
	// as their MODSEQ.
	highestModSeq uint64
	// vanished remembers expunged UIDs with the modseq of their expunge,
	// oldest first, for QRESYNC's VANISHED (RFC 7162 §3.2.10); see
	// Vanished for what happens past MaxVanished.
	vanished []vanishedUID
	// forgotten is the highest modseq of an expunge no longer in vanished.
	forgotten uint64
}

type vanishedUID struct {
	uid    uint32
	modSeq uint64
}

// MailboxInfo describes a mailbox without its messages.
type MailboxInfo struct {
	Name        string `json:"name"`
	UIDValidity uint32 `json:"uidValidity"`
	UIDNext     uint32 `json:"uidNext"`
	Count       int    `json:"count"` // messages in the mailbox
	Unseen      int    `json:"unseen"`
	Deleted     int    `json:"deleted"` // messages flagged \Deleted
	Size        int64  `json:"size"`
	// Subscribed: the name is in the user's subscriptions (a set of
	// names, see Subscriptions).
	Subscribed bool `json:"subscribed"`
	// Recent counts the messages no IMAP session has seen yet, IMAP4rev1's
	// STATUS RECENT (RFC 3501 §6.3.10); FirstRecent is the lowest UID among
	// them (UIDNext when there are none).
	Recent      int    `json:"-"`
	FirstRecent uint32 `json:"-"`
	// HighestModSeq is the mailbox's HIGHESTMODSEQ (RFC 7162 §3.1.1).
	HighestModSeq uint64 `json:"-"`
}

// CanonicalName returns the stored spelling of a mailbox name: INBOX is
// case-insensitive (RFC 9051 §5.1), every other name is case-sensitive.
func CanonicalName(name string) string {
	if strings.EqualFold(name, Inbox) {
		return Inbox
	}
	return name
}

// validName rejects names IMAP cannot express or that would confuse the
// hierarchy: empty levels, wildcards and control characters.
func validName(name string) error {
	bad := name == "" || strings.HasPrefix(name, Delim) || strings.HasSuffix(name, Delim) ||
		strings.Contains(name, Delim+Delim) || strings.ContainsAny(name, "*%") ||
		strings.ContainsFunc(name, unicode.IsControl)
	if bad {
		return fmt.Errorf("%w: %q", ErrInvalidName, name)
	}
	return nil
}

func (s *Store) newMailboxLocked(name string) *mailbox {
	s.nextValidity++
	return &mailbox{name: name, uidValidity: s.nextValidity, uidNext: 1, firstRecent: 1, highestModSeq: 1}
}

func (u *user) info(mb *mailbox) MailboxInfo {
	in := MailboxInfo{Name: mb.name, UIDValidity: mb.uidValidity, UIDNext: mb.uidNext,
		Count: len(mb.msgs), Subscribed: u.subscriptions[mb.name], FirstRecent: max(mb.firstRecent, 1),
		HighestModSeq: mb.highestModSeq}
	for _, m := range mb.msgs {
		if m.uid >= in.FirstRecent {
			in.Recent++
		}
		if !hasFlag(m.flags, FlagSeen) {
			in.Unseen++
		}
		if hasFlag(m.flags, FlagDeleted) {
			in.Deleted++
		}
		in.Size += int64(len(m.raw))
	}
	return in
}

// Mailboxes lists an account's mailboxes, INBOX first, then by name.
func (s *Store) Mailboxes(address string) ([]MailboxInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userLocked(address)
	if err != nil {
		return nil, err
	}
	return u.infos(), nil
}

func (u *user) infos() []MailboxInfo {
	out := make([]MailboxInfo, 0, len(u.mailboxes))
	for _, mb := range u.mailboxes {
		out = append(out, u.info(mb))
	}
	slices.SortFunc(out, func(a, b MailboxInfo) int { return compareNames(a.Name, b.Name) })
	return out
}

func compareNames(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == Inbox:
		return -1
	case b == Inbox:
		return 1
	}
	return strings.Compare(a, b)
}

// Mailbox describes one mailbox.
func (s *Store) Mailbox(address, name string) (MailboxInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, mb, err := s.mailboxLocked(address, name)
	if err != nil {
		return MailboxInfo{}, err
	}
	return u.info(mb), nil
}

// CreateMailbox adds an empty mailbox with a fresh UIDVALIDITY, so a name
// that is deleted and created again never reuses UIDs (RFC 9051 §2.3.1.1).
func (s *Store) CreateMailbox(address, name string) error {
	name = CanonicalName(name)
	if err := validName(name); err != nil {
		return err
	}
	return s.mutate(func() ([]Change, error) {
		u, err := s.userLocked(address)
		if err != nil {
			return nil, err
		}
		if _, ok := u.mailboxes[name]; ok {
			return nil, fmt.Errorf("%w: %q", ErrMailboxExists, name)
		}
		u.mailboxes[name] = s.newMailboxLocked(name)
		return []Change{{Kind: ChangeMailboxCreated, User: u.address, Mailbox: name}}, nil
	})
}

// DeleteMailbox removes a mailbox and its messages. INBOX cannot be
// deleted (RFC 9051 §6.3.4). Mailboxes below it in the hierarchy stay.
func (s *Store) DeleteMailbox(address, name string) error {
	name = CanonicalName(name)
	if name == Inbox {
		return fmt.Errorf("%w: INBOX cannot be deleted", ErrInvalidName)
	}
	return s.mutate(func() ([]Change, error) {
		u, mb, err := s.mailboxLocked(address, name)
		if err != nil {
			return nil, err
		}
		for _, m := range mb.msgs {
			u.used -= int64(len(m.raw))
		}
		delete(u.mailboxes, name)
		return []Change{{Kind: ChangeMailboxDeleted, User: u.address, Mailbox: name}}, nil
	})
}

// RenameMailbox renames a mailbox and the mailboxes below it (RFC 9051
// §6.3.6), keeping UIDVALIDITY and UIDs. Renaming INBOX, which RFC 9051
// defines as moving all its messages, is not supported.
func (s *Store) RenameMailbox(address, oldName, newName string) error {
	oldName, newName = CanonicalName(oldName), CanonicalName(newName)
	if oldName == Inbox || newName == Inbox {
		return fmt.Errorf("%w: INBOX cannot be renamed", ErrInvalidName)
	}
	if err := validName(newName); err != nil {
		return err
	}
	return s.mutate(func() ([]Change, error) {
		u, _, err := s.mailboxLocked(address, oldName)
		if err != nil {
			return nil, err
		}
		return u.renameLocked(oldName, newName)
	})
}

func (u *user) renameLocked(oldName, newName string) ([]Change, error) {
	if oldName == newName || strings.HasPrefix(newName, oldName+Delim) {
		return nil, fmt.Errorf("%w: cannot rename %q into itself", ErrInvalidName, oldName)
	}
	renames := map[string]string{oldName: newName}
	for name := range u.mailboxes {
		if rest, ok := strings.CutPrefix(name, oldName+Delim); ok {
			renames[name] = newName + Delim + rest
		}
	}
	for _, to := range renames {
		if _, ok := u.mailboxes[to]; ok {
			return nil, fmt.Errorf("%w: %q", ErrMailboxExists, to)
		}
	}
	var changes []Change
	for from, to := range renames {
		mb := u.mailboxes[from]
		delete(u.mailboxes, from)
		mb.name = to
		u.mailboxes[to] = mb
		if u.subscriptions[from] {
			delete(u.subscriptions, from)
			u.subscribe(to)
		}
		changes = append(changes, Change{Kind: ChangeMailboxRenamed, User: u.address, Mailbox: from, NewName: to})
	}
	slices.SortFunc(changes, func(a, b Change) int { return strings.Compare(a.Mailbox, b.Mailbox) })
	return changes, nil
}

// SetSubscribed records IMAP SUBSCRIBE/UNSUBSCRIBE (RFC 9051 §6.3.7).
// Subscriptions are a set of names per user, as in Dovecot: CREATE does
// not subscribe, DELETE keeps the name subscribed (LIST shows it
// \Subscribed \NonExistent), RENAME takes the subscriptions of the
// mailbox and its children along. SUBSCRIBE needs an existing mailbox;
// UNSUBSCRIBE takes any subscribed name, existing or not.
func (s *Store) SetSubscribed(address, name string, subscribed bool) error {
	name = CanonicalName(name)
	return s.mutate(func() ([]Change, error) {
		u, err := s.userLocked(address)
		if err != nil {
			return nil, err
		}
		if !subscribed && u.subscriptions[name] {
			delete(u.subscriptions, name)
			return nil, nil
		}
		if _, _, err := s.mailboxLocked(address, name); err != nil {
			return nil, err
		}
		if subscribed {
			u.subscribe(name)
		}
		return nil, nil
	})
}

// Subscriptions returns the names the user subscribed to, sorted as
// Mailboxes; a name may belong to a mailbox that no longer exists.
func (s *Store) Subscriptions(address string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.userLocked(address)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(u.subscriptions))
	for name := range u.subscriptions {
		out = append(out, name)
	}
	slices.SortFunc(out, compareNames)
	return out, nil
}

func (u *user) subscribe(name string) {
	if u.subscriptions == nil {
		u.subscriptions = map[string]bool{}
	}
	u.subscriptions[name] = true
}
