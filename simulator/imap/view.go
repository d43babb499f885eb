package imap

import (
	"slices"
	"strings"
	"sync"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/store"
)

// view is one session's picture of its selected mailbox: the messages the
// client knows, in sequence-number order, with the flags it was last told,
// plus the store changes it has not been told yet. Sequence numbers are
// per session (RFC 9051 §2.3.1.2), so each session keeps its own view and
// only learns of new mail, flag changes and expunges at the moments the
// protocol allows (RFC 9051 §7: no EXPUNGE during FETCH, STORE, SEARCH).
type view struct {
	user     string
	readOnly bool
	notify   chan struct{} // wakes IDLE; capacity 1

	mu          sync.Mutex
	mailbox     string // current name; follows renames
	uidValidity uint32
	msgs        []viewMsg // ascending UID; index+1 is the sequence number
	queue       []store.Change
	searchRes   goimap.UIDSet // SEARCH RETURN (SAVE), RFC 5182
	recent      *store.Store  // nil: \Recent is not served (IMAP4rev2)
	rev2        func() bool   // the session has ENABLEd IMAP4rev2 since; may be nil
	keywords    []string      // the flags the client was told in FLAGS
	// conn tells whether CONDSTORE or QRESYNC is enabled (condstore.go);
	// nil in tests that make views by hand.
	conn  *imapserver.Conn
	watch *contexts // RETURN (UPDATE) searches and sorts (context.go)
}

type viewMsg struct {
	uid    uint32
	flags  []string // as stored: never \Recent
	recent bool     // \Recent in this session (RFC 3501 §2.3.2)
	// modSeq is the MODSEQ of the newest state of the message the client
	// was shown (FETCH, STORE); a queued change older than it is not
	// sent, so the client never sees flags or MODSEQ go back in time.
	modSeq uint64
}

// ref names a message of the view.
type ref struct {
	seq, uid uint32
}

func newView(user, mailbox string, readOnly bool) *view {
	return &view{user: user, mailbox: mailbox, readOnly: readOnly, notify: make(chan struct{}, 1)}
}

// load fills the view from a store snapshot taken after the view was
// registered with the hub, so no change falls between the two.
// firstRecent is the first UID that is \Recent in this session.
func (v *view) load(msgs []store.Message, uidValidity, firstRecent uint32) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.uidValidity = uidValidity
	v.msgs = make([]viewMsg, len(msgs))
	for i, m := range msgs {
		v.msgs[i] = viewMsg{uid: m.UID, flags: m.Flags, recent: v.recent != nil && m.UID >= firstRecent, modSeq: m.ModSeq}
	}
	v.keywords = mailboxFlags(msgs)
}

func (v *view) name() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.mailbox
}

// offer queues a store change that concerns this view.
func (v *view) offer(c store.Change) {
	if !strings.EqualFold(c.User, v.user) {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if c.Mailbox != v.mailbox {
		return
	}
	switch c.Kind {
	case store.ChangeMailboxRenamed:
		v.mailbox = c.NewName
	case store.ChangeAdded, store.ChangeFlags, store.ChangeExpunged:
		v.queue = append(v.queue, c)
		select {
		case v.notify <- struct{}{}:
		default:
		}
	}
}

// update is one unilateral response: FLAGS, EXISTS (with RECENT),
// EXPUNGE or FETCH FLAGS.
type update struct {
	mailboxFlags    []string // non-nil: a FLAGS response
	exists, expunge uint32
	recent          uint32 // with exists: the RECENT count
	seq, uid        uint32
	flags           []goimap.Flag
	modSeq          uint64 // with flags: the message's MODSEQ (RFC 7162)
	// heldModSeq: an expunge is held back until a command that may report
	// it; with CONDSTORE "* OK [HIGHESTMODSEQ n]" tells the modseq just
	// below it (RFC 7162 §3.2).
	heldModSeq uint64
}

// poll tells the client what changed, without holding the lock while
// writing: the tap may hold a line for minutes.
func (v *view) poll(w *imapserver.UpdateWriter, allowExpunge bool) error {
	v.mu.Lock()
	watch := v.watch
	var before, after []uint32
	if watch != nil {
		before = v.uidsLocked()
	}
	ups := v.drainLocked(allowExpunge)
	if watch != nil {
		after = v.uidsLocked()
	}
	v.mu.Unlock()
	if err := watch.expunging(w, before, after); err != nil {
		return err
	}
	condStore, qresync := v.enabled()
	var vanished goimap.UIDSet // QRESYNC: consecutive expunges as one VANISHED
	for i, u := range ups {
		if qresync && u.expunge != 0 {
			vanished.AddNum(goimap.UID(u.uid))
			if i+1 < len(ups) && ups[i+1].expunge != 0 {
				continue
			}
			if err := w.WriteVanished(vanished); err != nil {
				return err
			}
			vanished = nil
			continue
		}
		var err error
		switch {
		case u.heldModSeq != 0:
			if condStore {
				err = w.WriteHighestModSeq(u.heldModSeq)
			}
		case u.mailboxFlags != nil:
			err = w.WriteMailboxFlags(toFlags(u.mailboxFlags))
			if err == nil {
				err = w.WritePermanentFlags(permanentFlags(u.mailboxFlags, v.readOnly))
			}
		case u.exists != 0:
			err = w.WriteNumMessages(u.exists)
			if err == nil && v.recent != nil { // ignored for IMAP4rev2 anyway
				err = w.WriteNumRecent(u.recent)
			}
		case u.expunge != 0:
			err = w.WriteExpunge(u.expunge)
		case condStore: // RFC 7162 §3.1.4: unsolicited FETCH carries MODSEQ
			err = w.WriteMessageFlagsModSeq(u.seq, goimap.UID(u.uid), u.flags, u.modSeq)
		default:
			err = w.WriteMessageFlags(u.seq, goimap.UID(u.uid), u.flags)
		}
		if err != nil {
			return err
		}
	}
	return watch.changed(w, v, after)
}

// drainLocked applies queued changes to the view in order and returns the
// responses. Without allowExpunge it stops at the first expunge.
func (v *view) drainLocked(allowExpunge bool) []update {
	var ups []update
	n := 0
	for ; n < len(v.queue); n++ {
		c := v.queue[n]
		i, known := v.indexLocked(c.UID)
		switch c.Kind {
		case store.ChangeAdded:
			if len(v.msgs) > 0 && c.UID <= v.msgs[len(v.msgs)-1].uid {
				continue // already in the snapshot the view was loaded from
			}
			ups = v.announceLocked(ups, c.Flags)
			v.msgs = append(v.msgs, viewMsg{uid: c.UID, flags: c.Flags, recent: v.claimLocked(c.UID)})
			if len(ups) > 0 && ups[len(ups)-1].exists != 0 {
				ups = ups[:len(ups)-1] // one EXISTS for a burst of arrivals
			}
			ups = append(ups, update{exists: uint32(len(v.msgs)), recent: v.numRecentLocked()})
		case store.ChangeFlags:
			if !known {
				continue
			}
			if c.ModSeq != 0 && c.ModSeq < v.msgs[i].modSeq {
				continue // older than what the client was shown (imaptest: "MODSEQ dropped")
			}
			ups = v.announceLocked(ups, c.Flags)
			if slices.EqualFunc(v.msgs[i].flags, c.Flags, strings.EqualFold) {
				continue // e.g. our own STORE, already answered
			}
			v.msgs[i].flags = c.Flags
			ups = append(ups, update{seq: uint32(i + 1), uid: c.UID, flags: v.shownLocked(i, c.Flags), modSeq: c.ModSeq})
		case store.ChangeExpunged:
			if !known {
				continue
			}
			if !allowExpunge {
				v.queue = v.queue[n:]
				// RFC 7162 §3.2: the client must not take a MODSEQ it saw
				// as its sync point while this expunge is held back.
				return append(ups, update{heldModSeq: c.ModSeq - 1})
			}
			v.msgs = slices.Delete(v.msgs, i, i+1)
			ups = append(ups, update{expunge: uint32(i + 1), uid: c.UID})
		}
	}
	v.queue = nil
	return ups
}

func (v *view) indexLocked(uid uint32) (int, bool) {
	return slices.BinarySearchFunc(v.msgs, uid, func(m viewMsg, uid uint32) int {
		return int(int64(m.uid) - int64(uid))
	})
}

// remember records flags the client has just been told (or will be told
// by the running command), so the matching change is not repeated. Flags
// with a keyword not yet announced are left for the poll, which announces
// it and then sends them (keywords.go).
func (v *view) remember(flags map[uint32][]string, modSeq map[uint32]uint64) {
	v.rememberAll(flags, modSeq, false)
}

// rememberAll with silent also records flags with new keywords: after
// STORE .SILENT the poll announces the keyword with FLAGS but, the flags
// being known, sends no FETCH (RFC 9051 §6.4.6).
//
// modSeq holds the MODSEQ of each state shown, also of messages whose
// flags were not (FETCH MODSEQ without FLAGS).
func (v *view) rememberAll(flags map[uint32][]string, modSeq map[uint32]uint64, silent bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for uid, f := range flags {
		if !silent && !v.announcedLocked(f) {
			continue
		}
		if i, ok := v.indexLocked(uid); ok {
			v.msgs[i].flags = f
			v.msgs[i].modSeq = max(v.msgs[i].modSeq, modSeq[uid])
		}
	}
	for uid, ms := range modSeq {
		if _, ok := flags[uid]; ok {
			continue // done above, or left for the poll
		}
		if i, ok := v.indexLocked(uid); ok {
			v.msgs[i].modSeq = max(v.msgs[i].modSeq, ms)
		}
	}
}
