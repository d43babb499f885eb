package imap

import (
	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/store"
)

// CONDSTORE (RFC 7162 §3.1): every message has a MODSEQ, every mailbox a
// HIGHESTMODSEQ (kept by the store, simulator/store/modseq.go), and a client
// that enabled it asks for what changed since a modseq it remembers
// (FETCH CHANGEDSINCE, SEARCH MODSEQ) or stores only if nobody changed the
// message meanwhile (STORE UNCHANGEDSINCE). Every mailbox has modseqs, so
// NOMODSEQ is never sent.

var (
	_ imapserver.SessionCondStore = (*session)(nil)
)

// enabled reports whether the client enabled CONDSTORE (by ENABLE or any
// CONDSTORE enabling command) and QRESYNC.
func (v *view) enabled() (condStore, qresync bool) {
	if v.conn == nil {
		return false, false
	}
	return v.conn.CondStoreEnabled(), v.conn.QResyncEnabled()
}

func (s *session) condStore() bool { return s.conn != nil && s.conn.CondStoreEnabled() }

// HighestModSeq is the selected mailbox's HIGHESTMODSEQ, which imapserver
// reports when a command enables CONDSTORE in the selected state.
func (s *session) HighestModSeq() uint64 {
	if s.sel == nil {
		return 0
	}
	in, err := s.st.Mailbox(s.user, s.sel.name())
	if err != nil {
		return 0
	}
	return in.HighestModSeq
}

// selectCondStore adds [HIGHESTMODSEQ n] to SELECT/EXAMINE once CONDSTORE
// is enabled, by ENABLE or by SELECT's own (CONDSTORE) (RFC 7162 §3.1.2.1).
func (s *session) selectCondStore(data *goimap.SelectData, info store.MailboxInfo, options *goimap.SelectOptions) {
	if !s.condStore() {
		return
	}
	// A change between the snapshot of the messages and the mailbox info
	// is counted here and still reaches the client through the poll.
	data.HighestModSeq = info.HighestModSeq
}

// usesModSeq reports whether SEARCH criteria contain MODSEQ, which makes
// the result end with the highest MODSEQ found (RFC 7162 §3.1.5).
func usesModSeq(c *goimap.SearchCriteria) bool {
	if c.ModSeq != nil {
		return true
	}
	for i := range c.Not {
		if usesModSeq(&c.Not[i]) {
			return true
		}
	}
	for i := range c.Or {
		if usesModSeq(&c.Or[i][0]) || usesModSeq(&c.Or[i][1]) {
			return true
		}
	}
	return false
}

// modifiedError is STORE's answer when some messages failed UNCHANGEDSINCE
// (RFC 7162 §3.1.3): OK [MODIFIED set], with sequence numbers for STORE
// and UIDs for UID STORE.
func modifiedError(v *view, uids []uint32, byUID bool) error {
	if len(uids) == 0 {
		return nil
	}
	if byUID {
		var set goimap.UIDSet
		for _, uid := range uids {
			set.AddNum(goimap.UID(uid))
		}
		return &imapserver.ModifiedError{Modified: set}
	}
	var set goimap.SeqSet
	v.mu.Lock()
	for _, uid := range uids {
		if i, ok := v.indexLocked(uid); ok {
			set.AddNum(uint32(i + 1))
		}
	}
	v.mu.Unlock()
	if len(set) == 0 {
		return nil
	}
	return &imapserver.ModifiedError{Modified: set}
}

// changedSince keeps the messages whose MODSEQ is above FETCH's
// CHANGEDSINCE (RFC 7162 §3.1.4.1); CHANGEDSINCE 0 keeps all.
func changedSince(refs []ref, msgs map[uint32]store.Message, options *goimap.FetchOptions) []ref {
	if options.ChangedSince == 0 {
		return refs
	}
	out := refs[:0:0]
	for _, r := range refs {
		if m, ok := msgs[r.uid]; ok && m.ModSeq > options.ChangedSince {
			out = append(out, r)
		}
	}
	return out
}
