package store

import (
	"bytes"
	"slices"
	"time"
)

// Deliver stores raw as a new message in a mailbox of address and returns
// it with its UID. The MDA delivers into INBOX, IMAP APPEND into any
// mailbox. A zero date means now.
func (s *Store) Deliver(address, mailbox string, raw []byte, flags []string, date time.Time) (Message, error) {
	flags, err := normalizeFlags(flags)
	if err != nil {
		return Message{}, err
	}
	if date.IsZero() {
		date = time.Now()
	}
	raw = bytes.Clone(raw)
	var out Message
	err = s.mutate(func() ([]Change, error) {
		u, mb, err := s.mailboxLocked(address, mailbox)
		if err != nil {
			return nil, err
		}
		if err := s.reserveLocked(u, int64(len(raw))); err != nil {
			return nil, err
		}
		m := u.add(mb, raw, flags, date, mb.nextModSeq())
		out = m.export()
		return []Change{added(u, mb, m)}, nil
	})
	return out, err
}

// add appends a message with the next UID; UIDs only ever grow (RFC 9051
// §2.3.1.1), so msgs stays in UID order. The caller checked the quota.
func (u *user) add(mb *mailbox, raw []byte, flags []string, date time.Time, modSeq uint64) *message {
	m := newMessage(mb.uidNext, raw, flags, date)
	m.modSeq = modSeq
	mb.uidNext++
	mb.msgs = append(mb.msgs, m)
	u.used += int64(len(raw))
	return m
}

func added(u *user, mb *mailbox, m *message) Change {
	return Change{Kind: ChangeAdded, User: u.address, Mailbox: mb.name, UID: m.uid,
		Flags: slices.Clone(m.flags), Size: int64(len(m.raw)), ModSeq: m.modSeq}
}

// Messages returns copies of all messages of a mailbox in UID order.
func (s *Store) Messages(address, mailbox string) ([]Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, mb, err := s.mailboxLocked(address, mailbox)
	if err != nil {
		return nil, err
	}
	out := make([]Message, len(mb.msgs))
	for i, m := range mb.msgs {
		out[i] = m.export()
	}
	return out, nil
}

// Delete removes messages for good: POP3's UPDATE state (RFC 1939 §6) and
// IMAP EXPUNGE (RFC 9051 §6.4.3). UIDs that are not (or no longer) in the
// mailbox are ignored, so POP3 and IMAP may race to delete the same mail.
func (s *Store) Delete(address, mailbox string, uids []uint32) error {
	return s.mutate(func() ([]Change, error) {
		u, mb, err := s.mailboxLocked(address, mailbox)
		if err != nil {
			return nil, err
		}
		var changes []Change
		var modSeq uint64
		mb.msgs = slices.DeleteFunc(mb.msgs, func(m *message) bool {
			if !slices.Contains(uids, m.uid) {
				return false
			}
			if modSeq == 0 {
				modSeq = mb.nextModSeq() // one modseq for the whole expunge
			}
			mb.expunged(m.uid, modSeq)
			changes = append(changes, Change{Kind: ChangeExpunged, User: u.address, Mailbox: mb.name,
				UID: m.uid, Flags: slices.Clone(m.flags), Size: int64(len(m.raw)), ModSeq: modSeq})
			u.used -= int64(len(m.raw))
			return true
		})
		return changes, nil
	})
}

// SetFlags changes the flags of the given messages (IMAP STORE, RFC 9051
// §6.4.6) and returns the resulting flags of every message it found.
// Only messages whose flags really change produce a ChangeFlags.
func (s *Store) SetFlags(address, mailbox string, uids []uint32, op FlagOp, flags []string) (map[uint32][]string, error) {
	res, err := s.StoreFlags(address, mailbox, FlagRequest{UIDs: uids, Op: op, Flags: flags})
	return res.Flags, err
}
