package imap

import (
	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/store"
)

// QRESYNC (RFC 7162 §3.2): a client that enabled it learns of expunges as
// "* VANISHED uids" instead of "* n EXPUNGE" (view.poll), and
// resynchronises a mailbox in the SELECT itself: SELECT INBOX (QRESYNC
// (uidvalidity modseq [known-uids])) answers with VANISHED (EARLIER) for
// the UIDs expunged since that modseq and a FETCH (UID FLAGS MODSEQ) for
// each message changed since. UID FETCH … (CHANGEDSINCE n VANISHED) asks
// the same in the selected state.

var _ imapserver.SessionQResync = (*session)(nil)

// resync is what a SELECT with QRESYNC owes the client after its untagged
// responses, worked out from the snapshot the view was loaded from.
type resync struct {
	vanished goimap.UIDSet
	changed  []resyncMsg
}

type resyncMsg struct {
	seq    uint32
	m      store.Message
	flags  []goimap.Flag
	modSeq uint64
}

// selectQResync prepares SELECT's QRESYNC answer (RFC 7162 §3.2.5). When
// the client's UIDVALIDITY is not the mailbox's, everything it knows is
// void: the SELECT answers as a plain one.
func (s *session) selectQResync(q *goimap.SelectQResync, msgs []store.Message, info store.MailboxInfo) error {
	s.resync = nil
	if q == nil || q.UIDValidity != info.UIDValidity {
		return nil
	}
	v := s.sel
	present := make(map[uint32]bool, len(msgs))
	for _, m := range msgs {
		present[m.UID] = true
	}
	vanished, err := s.vanishedSince(v.name(), q.ModSeq, q.KnownUIDs, msgs, info.UIDNext, present)
	if err != nil {
		return err
	}
	rs := &resync{vanished: vanished}
	known := q.KnownUIDs
	if known != nil {
		known = staticUIDSet(known, info.UIDNext-1)
	}
	for i, m := range msgs {
		if m.ModSeq <= q.ModSeq || (known != nil && !known.Contains(goimap.UID(m.UID))) {
			continue
		}
		flags, _ := v.shown(m.UID, m.Flags)
		rs.changed = append(rs.changed, resyncMsg{seq: uint32(i + 1), m: m, flags: flags, modSeq: m.ModSeq})
	}
	s.resync = rs
	return nil
}

// Resync writes what selectQResync prepared, between SELECT's untagged
// responses and its tagged OK: VANISHED (EARLIER) first, then the FETCHes,
// as in RFC 7162 §3.2.5.1's example.
func (s *session) Resync(w *imapserver.FetchWriter) error {
	rs := s.resync
	s.resync = nil
	if rs == nil {
		return nil
	}
	if err := w.WriteVanished(rs.vanished); err != nil {
		return err
	}
	for _, c := range rs.changed {
		rw := w.CreateMessage(c.seq)
		rw.WriteUID(goimap.UID(c.m.UID))
		rw.WriteFlags(c.flags)
		rw.WriteModSeq(c.modSeq)
		if err := rw.Close(); err != nil {
			return err
		}
	}
	return nil
}

// vanishedSince returns the UIDs expunged after modseq since that lie in
// within (nil: any) and are not present (still in the client's view: the
// poll reports those with a VANISHED of their own). When the store has
// forgotten some of them (store.MaxVanished) it is every UID below
// uidNext that no message of msgs has, which RFC 7162 §3.2.5.2 allows: a
// VANISHED (EARLIER) may name UIDs the client never knew.
func (s *session) vanishedSince(mailbox string, since uint64, within goimap.UIDSet, msgs []store.Message,
	uidNext uint32, present map[uint32]bool) (goimap.UIDSet, error) {
	uids, exact, err := s.st.Vanished(s.user, mailbox, since)
	if err != nil {
		return nil, err
	}
	if within != nil {
		within = staticUIDSet(within, uidNext-1)
	}
	var set goimap.UIDSet
	if !exact {
		set = absentUIDs(msgs, uidNext)
		if within != nil {
			set = intersect(set, within)
		}
		return set, nil
	}
	for _, uid := range uids {
		if !present[uid] && (within == nil || within.Contains(goimap.UID(uid))) {
			set.AddNum(goimap.UID(uid))
		}
	}
	return set, nil
}

// absentUIDs is every UID from 1 below uidNext that no message has, as
// ranges.
func absentUIDs(msgs []store.Message, uidNext uint32) goimap.UIDSet {
	var set goimap.UIDSet
	next := uint32(1)
	for _, m := range msgs {
		if m.UID > next {
			set.AddRange(goimap.UID(next), goimap.UID(m.UID-1))
		}
		next = m.UID + 1
	}
	if uidNext > next {
		set.AddRange(goimap.UID(next), goimap.UID(uidNext-1))
	}
	return set
}

// intersect keeps the UIDs of a that b contains; both are static.
func intersect(a, b goimap.UIDSet) goimap.UIDSet {
	var out goimap.UIDSet
	for _, ra := range a {
		for _, rb := range b {
			start, stop := max(ra.Start, rb.Start), min(ra.Stop, rb.Stop)
			if start <= stop {
				out.AddRange(start, stop)
			}
		}
	}
	return out
}

// fetchVanished answers UID FETCH's VANISHED modifier (RFC 7162 §3.2.6):
// the UIDs of the requested set expunged after CHANGEDSINCE, as
// "* VANISHED (EARLIER) ...", before the FETCH responses. UIDs still in
// the session's view are left to the poll's own VANISHED.
func (s *session) fetchVanished(w *imapserver.FetchWriter, numSet goimap.NumSet, since uint64) error {
	v := s.sel
	within, _ := numSet.(goimap.UIDSet)
	info, err := s.st.Mailbox(s.user, v.name())
	if err != nil {
		return imapError(err)
	}
	msgs, err := s.st.Messages(s.user, v.name())
	if err != nil {
		return imapError(err)
	}
	v.mu.Lock()
	present := make(map[uint32]bool, len(v.msgs))
	for _, m := range v.msgs {
		present[m.uid] = true
	}
	v.mu.Unlock()
	set, err := s.vanishedSince(v.name(), since, within, msgs, info.UIDNext, present)
	if err != nil {
		return imapError(err)
	}
	return w.WriteVanished(set)
}
