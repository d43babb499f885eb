package imap

import (
	goimap "github.com/emersion/go-imap/v2"

	"maillab/simulator/store"
)

// \Recent (RFC 3501 §2.3.2) is a session flag of IMAP4rev1: a message is
// recent in exactly one session, the first to open its mailbox read-write
// after it arrived, as in Dovecot. The store keeps which UIDs have been
// claimed; the view keeps which messages are recent here. IMAP4rev2 (RFC
// 9051) dropped the flag, so a session that sent ENABLE IMAP4rev2 neither
// claims nor shows it, and leaves the messages recent for a rev1 client.

// flagRecent is how \Recent is shown in FLAGS.
const flagRecent goimap.Flag = `\Recent`

// claimRecent claims the messages of a freshly selected read-write view
// up to the last one it knows and returns the first UID recent in it; a
// read-only view (EXAMINE) only looks (RFC 3501 §6.3.2).
func (s *session) claimRecent(name string, msgs []store.Message, readOnly bool) uint32 {
	var last uint32
	if len(msgs) > 0 && !readOnly {
		last = msgs[len(msgs)-1].UID
	}
	first, err := s.st.ClaimRecent(s.user, name, last)
	if err != nil {
		return ^uint32(0) // the mailbox is gone: nothing is recent
	}
	return first
}

// claimLocked decides whether a message that arrived while the view was
// open is recent here: a read-write view takes it unless another session
// has; a read-only view shows it as recent while nobody has taken it.
func (v *view) claimLocked(uid uint32) bool {
	if v.recent == nil {
		return false
	}
	upTo := uid
	if v.readOnly {
		upTo = 0 // only look
	}
	first, err := v.recent.ClaimRecent(v.user, v.mailbox, upTo)
	return err == nil && uid >= first
}

// showRecentLocked: a session that sends ENABLE IMAP4rev2 while it has a
// mailbox selected stops showing \Recent at once (go-imap allows ENABLE
// there; RFC 5161 wants it before SELECT).
func (v *view) showRecentLocked() bool {
	return v.recent != nil && (v.rev2 == nil || !v.rev2())
}

func (v *view) numRecentLocked() uint32 {
	var n uint32
	for _, m := range v.msgs {
		if m.recent {
			n++
		}
	}
	return n
}

// recentUIDs returns the messages recent in this session, for SEARCH.
func (v *view) recentUIDs() map[uint32]bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := map[uint32]bool{}
	if !v.showRecentLocked() {
		return out
	}
	for _, m := range v.msgs {
		if m.recent {
			out[m.uid] = true
		}
	}
	return out
}
