package imap

import (
	"slices"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/store"
)

// QRESYNC (RFC 7162 §3.2): a client that enabled it learns of expunges as
// "* VANISHED uids" instead of "* n EXPUNGE", and resynchronises a mailbox
// in the SELECT itself: SELECT INBOX (QRESYNC (uidvalidity modseq ...))
// answers with VANISHED (EARLIER) for the UIDs expunged since and FETCH
// responses for the messages changed since.

// vanishedSince returns the UIDs expunged after modseq since that lie in
// within (nil: any), as the store remembers them; when it has forgotten
// some (store.MaxVanished), every UID below UIDNEXT that is not in the
// mailbox, which RFC 7162 §3.2.5.2 allows.
func (s *session) vanishedSince(mailbox string, since uint64, within goimap.UIDSet) (goimap.UIDSet, error) {
	uids, exact, err := s.st.Vanished(s.user, mailbox, since)
	if err != nil {
		return nil, err
	}
	info, err := s.st.Mailbox(s.user, mailbox)
	if err != nil {
		return nil, err
	}
	if !exact {
		msgs, err := s.st.Messages(s.user, mailbox)
		if err != nil {
			return nil, err
		}
		uids = absentUIDs(msgs, info.UIDNext)
	}
	if within != nil {
		within = staticUIDSet(within, info.UIDNext-1)
	}
	var set goimap.UIDSet
	for _, uid := range uids {
		if within == nil || within.Contains(goimap.UID(uid)) {
			set.AddNum(goimap.UID(uid))
		}
	}
	return set, nil
}

// absentUIDs lists every UID from 1 below uidNext that no message has.
func absentUIDs(msgs []store.Message, uidNext uint32) []uint32 {
	var out []uint32
	next := uint32(1)
	for _, m := range msgs {
		for ; next < m.UID; next++ {
			out = append(out, next)
		}
		next = m.UID + 1
	}
	for ; next < uidNext; next++ {
		out = append(out, next)
	}
	return out
}

// fetchVanished answers UID FETCH's VANISHED modifier (RFC 7162 §3.2.6):
// the UIDs of the requested set expunged after CHANGEDSINCE, as
// "* VANISHED (EARLIER) ...", before the FETCH responses.
func (s *session) fetchVanished(w *imapserver.FetchWriter, numSet goimap.NumSet, since uint64) error {
	within, _ := numSet.(goimap.UIDSet)
	set, err := s.vanishedSince(s.sel.name(), since, within)
	if err != nil {
		return imapError(err)
	}
	return w.WriteVanished(set)
}

var _ = slices.Sort[[]uint32]
