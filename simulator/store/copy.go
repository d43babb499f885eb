package store

import (
	"slices"
)

// CopyResult pairs the UIDs of copied messages with their new UIDs in the
// destination, which IMAP reports as COPYUID (RFC 4315 §3).
type CopyResult struct {
	UIDValidity uint32   // of the destination mailbox
	SourceUIDs  []uint32 // ascending
	DestUIDs    []uint32 // DestUIDs[i] is the copy of SourceUIDs[i]
}

// Copy copies messages to another mailbox of the same account with their
// flags and internal date (RFC 9051 §6.4.7). Unknown UIDs are ignored.
func (s *Store) Copy(address, from, to string, uids []uint32) (CopyResult, error) {
	return s.transfer(address, from, to, uids, false)
}

// Move copies messages and then removes them from the source, reporting
// the additions before the expunges as RFC 6851 §3.3 orders them. Moving
// into the same mailbox is allowed, as RFC 6851 does not forbid it and
// Dovecot does it: the messages get new UIDs (and are new to IMAP
// sessions), and the expunges are reported first, as Dovecot does.
func (s *Store) Move(address, from, to string, uids []uint32) (CopyResult, error) {
	return s.transfer(address, from, to, uids, true)
}

func (s *Store) transfer(address, from, to string, uids []uint32, move bool) (CopyResult, error) {
	var res CopyResult
	err := s.mutate(func() ([]Change, error) {
		u, src, err := s.mailboxLocked(address, from)
		if err != nil {
			return nil, err
		}
		_, dst, err := s.mailboxLocked(address, to)
		if err != nil {
			return nil, err
		}
		res.UIDValidity = dst.uidValidity
		if !move { // a copy adds to the usage, a move does not (RFC 9208 §4.3)
			var n int64
			for _, m := range src.msgs {
				if slices.Contains(uids, m.uid) {
					n += int64(len(m.raw))
				}
			}
			if err := s.reserveLocked(u, n); err != nil {
				return nil, err
			}
		}
		var changes, expunged []Change
		var addSeq, expSeq uint64 // one modseq per mailbox for the whole transfer
		for _, m := range slices.Clone(src.msgs) {
			if !slices.Contains(uids, m.uid) {
				continue
			}
			if addSeq == 0 {
				if move && src == dst { // the expunges come first, see below
					expSeq = src.nextModSeq()
				}
				addSeq = dst.nextModSeq()
				if move && src != dst {
					expSeq = src.nextModSeq()
				}
			}
			c := u.add(dst, m.raw, slices.Clone(m.flags), m.date, addSeq)
			res.SourceUIDs = append(res.SourceUIDs, m.uid)
			res.DestUIDs = append(res.DestUIDs, c.uid)
			changes = append(changes, added(u, dst, c))
			if move {
				src.expunged(m.uid, expSeq)
				expunged = append(expunged, Change{Kind: ChangeExpunged, User: u.address,
					Mailbox: src.name, UID: m.uid, Flags: slices.Clone(m.flags), Size: int64(len(m.raw)), ModSeq: expSeq})
			}
		}
		if move {
			src.msgs = slices.DeleteFunc(src.msgs, func(m *message) bool {
				if !slices.Contains(res.SourceUIDs, m.uid) {
					return false
				}
				u.used -= int64(len(m.raw))
				return true
			})
		}
		if src == dst {
			// Within one mailbox a session is told "* 1 EXPUNGE" before
			// "* n EXISTS" for the new copies, as Dovecot does (imaptest
			// group move); the expunges have the lower MODSEQ then.
			return append(expunged, changes...), nil
		}
		return append(changes, expunged...), nil
	})
	return res, err
}
