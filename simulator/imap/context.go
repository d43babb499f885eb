package imap

import (
	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

var _ imapserver.SessionContext = (*session)(nil)

// maxContexts is how many updating contexts one selected mailbox keeps, as
// Dovecot (CLIENT_MAX_SEARCH_UPDATES); RFC 5267 §4.3.1 asks for at least
// one. Each is searched again after every command that changed something.
const maxContexts = 10

// contexts are the updating SEARCHes and SORTs of one selected mailbox
// (RFC 5267 §4.3). Only the connection's goroutine touches them.
type contexts struct {
	s    *session
	list []*searchContext
}

// searchContext is one RETURN (UPDATE): its criteria and the result the
// client knows, as UIDs in the context's order.
type searchContext struct {
	tag      string
	kind     imapserver.NumKind
	criteria goimap.SearchCriteria
	program  []imapserver.SortCriterion // nil for SEARCH: mailbox order
	uids     []uint32
}

// UpdateContext starts notifications for the search or sort tagged tag;
// nums is the result it answered with.
func (s *session) UpdateContext(tag string, kind imapserver.NumKind, criteria *goimap.SearchCriteria, program []imapserver.SortCriterion, nums []uint32) error {
	v := s.sel
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.watch == nil {
		v.watch = &contexts{s: s}
	}
	if len(v.watch.list) >= maxContexts {
		return imapserver.ErrNoUpdate
	}
	uids := nums
	if kind == imapserver.NumKindSeq {
		uids = make([]uint32, 0, len(nums))
		for _, n := range nums {
			if n >= 1 && int(n) <= len(v.msgs) {
				uids = append(uids, v.msgs[n-1].uid)
			}
		}
	}
	v.watch.list = append(v.watch.list, &searchContext{tag: tag, kind: kind, criteria: *criteria, program: program,
		uids: append([]uint32(nil), uids...)})
	return nil
}

func (s *session) HasContext(tag string) bool {
	return s.sel != nil && s.sel.contextIndex(tag) >= 0
}

// CancelUpdate ends a context (RFC 5267 §4.3.5).
func (s *session) CancelUpdate(tag string) bool {
	v := s.sel
	i := v.contextIndex(tag)
	if i < 0 {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.watch.list = append(v.watch.list[:i], v.watch.list[i+1:]...)
	return true
}

func (v *view) contextIndex(tag string) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.watch == nil {
		return -1
	}
	for i, c := range v.watch.list {
		if c.tag == tag {
			return i
		}
	}
	return -1
}

// uidsLocked lists the view's UIDs in sequence order.
func (v *view) uidsLocked() []uint32 {
	out := make([]uint32, len(v.msgs))
	for i, m := range v.msgs {
		out[i] = m.uid
	}
	return out
}

// expunging tells each context which of its messages are about to be
// expunged, numbered as before the expunges: RFC 5267 §4.3.4 wants the
// REMOVEFROM before the EXPUNGE. before and after are the view's UIDs.
func (cs *contexts) expunging(w *imapserver.UpdateWriter, before, after []uint32) error {
	if cs == nil {
		return nil
	}
	kept := map[uint32]bool{}
	for _, uid := range after {
		kept[uid] = true
	}
	num := numbering(before)
	for _, c := range cs.list {
		var gone []int
		for i, uid := range c.uids {
			if !kept[uid] && num[uid] != 0 {
				gone = append(gone, i)
			}
		}
		if len(gone) == 0 {
			continue
		}
		rm := c.removals(gone, num)
		c.uids = without(c.uids, gone)
		if err := w.WriteContextUpdate(c.tag, c.kind, rm, nil); err != nil {
			return err
		}
	}
	return nil
}

// changed searches each context again on the view as it is now and sends
// what left and what joined its result (RFC 5267 §4.3.3, §4.3.4): new
// mail after its EXISTS, flag changes, its own STORE.
func (cs *contexts) changed(w *imapserver.UpdateWriter, v *view, after []uint32) error {
	if cs == nil {
		return nil
	}
	num := numbering(after)
	for _, c := range cs.list {
		now, err := cs.s.contextResult(v, c)
		if err != nil {
			return err
		}
		in := map[uint32]bool{}
		for _, uid := range now {
			in[uid] = true
		}
		was := map[uint32]bool{}
		var gone []int
		for i, uid := range c.uids {
			was[uid] = true
			if !in[uid] {
				gone = append(gone, i)
			}
		}
		var added []int
		for i, uid := range now {
			if !was[uid] {
				added = append(added, i)
			}
		}
		if len(gone) == 0 && len(added) == 0 {
			continue
		}
		rm := c.removals(gone, num)
		add := c.additions(now, added, num)
		c.uids = now
		if err := w.WriteContextUpdate(c.tag, c.kind, rm, add); err != nil {
			return err
		}
	}
	return nil
}

// contextResult is the context's result now, as UIDs in its order.
func (s *session) contextResult(v *view, c *searchContext) ([]uint32, error) {
	var uids []uint32
	if c.program == nil {
		found, err := s.matching(v, &c.criteria)
		if err != nil {
			return nil, err
		}
		for _, m := range found {
			uids = append(uids, m.m.UID)
		}
		return uids, nil
	}
	items, err := s.sorted(v, c.program, &c.criteria)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		uids = append(uids, it.uid)
	}
	return uids, nil
}

// numbering maps a UID to its sequence number in uids (1-based).
func numbering(uids []uint32) map[uint32]uint32 {
	m := make(map[uint32]uint32, len(uids))
	for i, uid := range uids {
		m[uid] = uint32(i + 1)
	}
	return m
}

func (c *searchContext) number(uid uint32, num map[uint32]uint32) uint32 {
	if c.kind == imapserver.NumKindUID {
		return uid
	}
	return num[uid]
}

// removals turns the indexes (ascending) of c.uids that leave into
// REMOVEFROM pairs. A SEARCH context has no order: one pair at position 0
// in mailbox order. A SORT context gets one pair per run of neighbours,
// the last run first, so each position is valid when it is applied.
func (c *searchContext) removals(idx []int, num map[uint32]uint32) []imapserver.ContextChange {
	if len(idx) == 0 {
		return nil
	}
	if c.program == nil {
		nums := make([]uint32, len(idx))
		for i, j := range idx {
			nums[i] = c.number(c.uids[j], num)
		}
		return []imapserver.ContextChange{{Nums: sortedNums(nums)}}
	}
	runs := c.runs(c.uids, idx, num)
	for i, j := 0, len(runs)-1; i < j; i, j = i+1, j-1 {
		runs[i], runs[j] = runs[j], runs[i]
	}
	return runs
}

// additions turns the indexes (ascending) of now that join into ADDTO
// pairs: at position 0 in mailbox order for SEARCH, else one pair per run
// at the position it has in the new result, first run first.
func (c *searchContext) additions(now []uint32, idx []int, num map[uint32]uint32) []imapserver.ContextChange {
	if len(idx) == 0 {
		return nil
	}
	if c.program == nil {
		nums := make([]uint32, len(idx))
		for i, j := range idx {
			nums[i] = c.number(now[j], num)
		}
		return []imapserver.ContextChange{{Nums: sortedNums(nums)}}
	}
	return c.runs(now, idx, num)
}

// runs groups neighbouring indexes of list into pairs of (1-based
// position, numbers in list order).
func (c *searchContext) runs(list []uint32, idx []int, num map[uint32]uint32) []imapserver.ContextChange {
	var out []imapserver.ContextChange
	for k := 0; k < len(idx); {
		end := k
		for end+1 < len(idx) && idx[end+1] == idx[end]+1 {
			end++
		}
		ch := imapserver.ContextChange{Position: uint32(idx[k] + 1)}
		for _, j := range idx[k : end+1] {
			ch.Nums = append(ch.Nums, c.number(list[j], num))
		}
		out = append(out, ch)
		k = end + 1
	}
	return out
}

func sortedNums(nums []uint32) []uint32 {
	var set goimap.SeqSet
	for _, n := range nums {
		set.AddNum(n)
	}
	out, _ := set.Nums()
	return out
}

// without drops the indexes (ascending) idx from list.
func without(list []uint32, idx []int) []uint32 {
	out := make([]uint32, 0, len(list)-len(idx))
	k := 0
	for i, uid := range list {
		if k < len(idx) && idx[k] == i {
			k++
			continue
		}
		out = append(out, uid)
	}
	return out
}
