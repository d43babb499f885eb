package store

import (
	"fmt"
	"slices"
)

// MaxVanished is how many expunged UIDs a mailbox remembers with the
// modseq of their expunge, for QRESYNC's VANISHED (RFC 7162 §3.2.10).
// Past it the oldest are forgotten, and Vanished answers a question about
// a modseq before the forgotten ones with exact=false: the caller then
// reports every UID below UIDNEXT that is not in the mailbox, which RFC
// 7162 §3.2.5.2 allows (a VANISHED set may name UIDs the client never
// knew; Dovecot answers the same way when its log has been rotated).
const MaxVanished = 1000

// nextModSeq raises the mailbox's HIGHESTMODSEQ for one operation and
// returns it; the messages the operation touches get that value.
func (mb *mailbox) nextModSeq() uint64 {
	mb.highestModSeq++
	return mb.highestModSeq
}

// expunged remembers an expunged UID, forgetting the oldest past
// MaxVanished.
func (mb *mailbox) expunged(uid uint32, modSeq uint64) {
	mb.vanished = append(mb.vanished, vanishedUID{uid: uid, modSeq: modSeq})
	if n := len(mb.vanished) - MaxVanished; n > 0 {
		mb.forgotten = max(mb.forgotten, mb.vanished[n-1].modSeq)
		mb.vanished = slices.Delete(mb.vanished, 0, n)
	}
}

// Vanished returns the UIDs expunged from a mailbox after modseq since,
// ascending, for QRESYNC (RFC 7162 §3.2.5.2). exact is false when some
// expunge after since has been forgotten (MaxVanished): the list is then
// incomplete, and the caller must report every UID that is not in the
// mailbox instead.
func (s *Store) Vanished(address, mailbox string, since uint64) (uids []uint32, exact bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, mb, err := s.mailboxLocked(address, mailbox)
	if err != nil {
		return nil, false, err
	}
	for _, v := range mb.vanished {
		if v.modSeq > since {
			uids = append(uids, v.uid)
		}
	}
	slices.Sort(uids)
	return uids, since >= mb.forgotten, nil
}

// FlagRequest is one STORE: which messages, how and which flags, and
// CONDSTORE's UNCHANGEDSINCE (RFC 7162 §3.1.3) when Conditional is set.
type FlagRequest struct {
	UIDs           []uint32
	Op             FlagOp
	Flags          []string
	Conditional    bool
	UnchangedSince uint64
}

// FlagResult tells what a StoreFlags did.
type FlagResult struct {
	// Flags and ModSeq are the flags and MODSEQ after the operation of
	// every message found and not in Modified.
	Flags  map[uint32][]string
	ModSeq map[uint32]uint64
	// Changed are the messages whose flags this call changed.
	Changed map[uint32]bool
	// Modified are the UIDs that failed the UNCHANGEDSINCE test (their
	// MODSEQ is above it) and were left alone, ascending.
	Modified []uint32
}

// StoreFlags changes the flags of the given messages (IMAP STORE, RFC 9051
// §6.4.6), with CONDSTORE's UNCHANGEDSINCE test when asked: a message
// changed after that modseq is left as it is and listed in Modified, all
// under one lock, so the test and the change are atomic. The messages that
// change get one new MODSEQ; a message whose flags stay as they were keeps
// its MODSEQ and produces no Change.
func (s *Store) StoreFlags(address, mailbox string, req FlagRequest) (FlagResult, error) {
	flags, err := normalizeFlags(req.Flags)
	if err != nil {
		return FlagResult{}, err
	}
	if req.Op < FlagsAdd || req.Op > FlagsReplace {
		return FlagResult{}, fmt.Errorf("store: unknown flag operation %d", req.Op)
	}
	res := FlagResult{Flags: map[uint32][]string{}, ModSeq: map[uint32]uint64{}, Changed: map[uint32]bool{}}
	err = s.mutate(func() ([]Change, error) {
		u, mb, err := s.mailboxLocked(address, mailbox)
		if err != nil {
			return nil, err
		}
		var changes []Change
		var modSeq uint64
		for _, m := range mb.msgs {
			if !slices.Contains(req.UIDs, m.uid) {
				continue
			}
			if req.Conditional && m.modSeq > req.UnchangedSince {
				res.Modified = append(res.Modified, m.uid)
				continue
			}
			next := applyFlags(m.flags, req.Op, flags)
			res.Flags[m.uid] = slices.Clone(next)
			if !sameFlags(next, m.flags) {
				if modSeq == 0 {
					modSeq = mb.nextModSeq()
				}
				m.flags, m.modSeq = next, modSeq
				res.Changed[m.uid] = true
				changes = append(changes, Change{Kind: ChangeFlags, User: u.address, Mailbox: mb.name,
					UID: m.uid, Flags: slices.Clone(next), Size: int64(len(m.raw)), ModSeq: modSeq})
			}
			res.ModSeq[m.uid] = m.modSeq
		}
		return changes, nil
	})
	return res, err
}

// MailboxSnapshot returns a mailbox's messages and its description taken
// together, so HIGHESTMODSEQ and UIDNEXT describe exactly these messages:
// what IMAP SELECT needs (RFC 7162 §3.2: a client that records
// HIGHESTMODSEQ must not skip a change it was not told of).
func (s *Store) MailboxSnapshot(address, mailbox string) ([]Message, MailboxInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, mb, err := s.mailboxLocked(address, mailbox)
	if err != nil {
		return nil, MailboxInfo{}, err
	}
	out := make([]Message, len(mb.msgs))
	for i, m := range mb.msgs {
		out[i] = m.export()
	}
	return out, u.info(mb), nil
}
