package store

import (
	"slices"
	"strings"
	"time"
)

// UserSnapshot is one account with all its mailboxes.
type UserSnapshot struct {
	Address   string            `json:"address"`
	Mailboxes []MailboxSnapshot `json:"mailboxes"`
	// Usage is the account's storage against its quota; the panel shows
	// it as a bar.
	Usage Usage `json:"usage"`
}

// MailboxSnapshot is one mailbox with a summary of each message.
type MailboxSnapshot struct {
	MailboxInfo
	Messages []MessageSummary `json:"messages"`
}

// MessageSummary is what the UI's "where is the mail" panel shows; the
// body stays in the store.
type MessageSummary struct {
	UID          uint32    `json:"uid"`
	Flags        []string  `json:"flags"`
	Size         int64     `json:"size"`
	InternalDate time.Time `json:"internalDate"`
	From         string    `json:"from"`
	Subject      string    `json:"subject"`
}

// Snapshot returns every account's mailboxes and messages, accounts sorted
// by address and mailboxes as Mailboxes orders them.
func (s *Store) Snapshot() []UserSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]UserSnapshot, 0, len(s.users))
	for _, addr := range s.userAddressesLocked() {
		u := s.users[strings.ToLower(addr)]
		us := UserSnapshot{Address: u.address, Usage: s.usageLocked(u)}
		for _, in := range u.infos() {
			us.Mailboxes = append(us.Mailboxes, u.mailboxes[in.Name].snapshot(in))
		}
		out = append(out, us)
	}
	return out
}

func (mb *mailbox) snapshot(in MailboxInfo) MailboxSnapshot {
	ms := MailboxSnapshot{MailboxInfo: in, Messages: make([]MessageSummary, len(mb.msgs))}
	for i, m := range mb.msgs {
		ms.Messages[i] = MessageSummary{UID: m.uid, Flags: slices.Clone(m.flags), Size: int64(len(m.raw)),
			InternalDate: m.date, From: m.from, Subject: m.subject}
	}
	return ms
}

func (s *Store) userAddressesLocked() []string {
	out := make([]string, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u.address)
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}
