package imap

import (
	"fmt"

	goimap "github.com/emersion/go-imap/v2"
)

// resolve returns the messages of the view a sequence set, UID set or
// saved search result ("$", RFC 5182) names, in sequence order.
func (v *view) resolve(numSet goimap.NumSet) []ref {
	v.mu.Lock()
	defer v.mu.Unlock()
	if goimap.IsSearchRes(numSet) {
		numSet = v.searchRes
	}
	var contains func(seq, uid uint32) bool
	switch set := numSet.(type) {
	case goimap.SeqSet:
		set = staticSeqSet(set, uint32(len(v.msgs)))
		contains = func(seq, _ uint32) bool { return set.Contains(seq) }
	case goimap.UIDSet:
		set = staticUIDSet(set, v.lastUIDLocked())
		contains = func(_, uid uint32) bool { return set.Contains(goimap.UID(uid)) }
	default:
		return nil
	}
	var refs []ref
	for i, m := range v.msgs {
		if seq := uint32(i + 1); contains(seq, m.uid) {
			refs = append(refs, ref{seq: seq, uid: m.uid})
		}
	}
	return refs
}

func (v *view) lastUIDLocked() uint32 {
	if len(v.msgs) == 0 {
		return 0
	}
	return v.msgs[len(v.msgs)-1].uid
}

// staticSeqSet replaces "*" (stored as 0) by the highest number in use;
// RFC 9051 §9 seq-range: "*" is the largest number in use, and a range may
// be given in either order.
func staticSeqSet(set goimap.SeqSet, max uint32) goimap.SeqSet {
	out := make(goimap.SeqSet, len(set))
	for i, r := range set {
		out[i].Start, out[i].Stop = staticRange(r.Start, r.Stop, max)
	}
	return out
}

func staticUIDSet(set goimap.UIDSet, max uint32) goimap.UIDSet {
	out := make(goimap.UIDSet, len(set))
	for i, r := range set {
		start, stop := staticRange(uint32(r.Start), uint32(r.Stop), max)
		out[i].Start, out[i].Stop = goimap.UID(start), goimap.UID(stop)
	}
	return out
}

func staticRange(start, stop, max uint32) (uint32, uint32) {
	if start == 0 {
		start = max
	}
	if stop == 0 {
		stop = max
	}
	if start > stop {
		start, stop = stop, start
	}
	return start, stop
}

func uidSetOf(uids []uint32) goimap.UIDSet {
	var set goimap.UIDSet
	for _, u := range uids {
		set.AddNum(goimap.UID(u))
	}
	return set
}

func uidsOf(refs []ref) []uint32 {
	out := make([]uint32, len(refs))
	for i, r := range refs {
		out[i] = r.uid
	}
	return out
}

func toFlags(flags []string) []goimap.Flag {
	out := make([]goimap.Flag, len(flags))
	for i, f := range flags {
		out[i] = goimap.Flag(f)
	}
	return out
}

func fromFlags(flags []goimap.Flag) []string {
	out := make([]string, len(flags))
	for i, f := range flags {
		out[i] = string(f)
	}
	return out
}

// checkSeqSet refuses message sequence numbers the session does not know:
// RFC 9051 §9 (seq-number) wants BAD for a number greater than the
// mailbox's count, "*" on an empty mailbox included, as Dovecot answers.
// UIDs are not checked: UIDs that match nothing are ignored (§6.4.9).
func (v *view) checkSeqSet(numSet goimap.NumSet) error {
	set, ok := numSet.(goimap.SeqSet)
	if !ok {
		return nil
	}
	v.mu.Lock()
	n := uint32(len(v.msgs))
	v.mu.Unlock()
	if n == 0 && len(set) > 0 {
		return badSet("the mailbox is empty")
	}
	for _, r := range set {
		for _, num := range []uint32{r.Start, r.Stop} {
			if num > n {
				return badSet(fmt.Sprintf("message %d does not exist, the mailbox has %d", num, n))
			}
		}
	}
	return nil
}

func badSet(why string) error {
	return &goimap.Error{Type: goimap.StatusResponseTypeBad, Text: "Invalid message set: " + why}
}
