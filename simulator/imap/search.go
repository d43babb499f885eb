package imap

import (
	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

// Search answers SEARCH and UID SEARCH (RFC 9051 §6.4.4), including the
// ESEARCH result options and SAVE (RFC 5182) that IMAP4rev2 requires.
func (s *session) Search(kind imapserver.NumKind, criteria *goimap.SearchCriteria, options *goimap.SearchOptions) (*goimap.SearchData, error) {
	v := s.sel
	found, err := s.matching(v, criteria)
	if err != nil {
		return nil, err
	}
	var data goimap.SearchData
	var seqs goimap.SeqSet
	var uids goimap.UIDSet
	var minC, maxC *candidate
	for _, c := range found {
		uids.AddNum(goimap.UID(c.m.UID))
		seqs.AddNum(c.seq)
		num := c.seq
		if kind == imapserver.NumKindUID {
			num = c.m.UID
		}
		if data.Min == 0 || num < data.Min {
			data.Min, minC = num, c
		}
		if num > data.Max {
			data.Max, maxC = num, c
		}
		data.Count++
		if usesModSeq(criteria) { // RFC 7162 §3.1.5: the highest MODSEQ found
			data.ModSeq = max(data.ModSeq, c.m.ModSeq)
		}
	}
	// RFC 4731 §3.2 (and RFC 7162 §3.1.5): with MIN and/or MAX but
	// neither ALL nor COUNT, MODSEQ is the highest of the messages
	// returned, not of all found (as Dovecot; imaptest esearch-condstore).
	if usesModSeq(criteria) && minC != nil && (options.ReturnMin || options.ReturnMax) &&
		!options.ReturnAll && !options.ReturnCount {
		data.ModSeq = 0
		if options.ReturnMin {
			data.ModSeq = minC.m.ModSeq
		}
		if options.ReturnMax {
			data.ModSeq = max(data.ModSeq, maxC.m.ModSeq)
		}
	}
	data.All = seqs
	if kind == imapserver.NumKindUID {
		data.All = uids
	}
	if options.ReturnSave {
		v.saveSearch(uids)
	}
	return &data, nil
}

// matching returns the messages of the view that match criteria, in
// sequence-number order: SEARCH, SORT and THREAD select with it.
func (s *session) matching(v *view, criteria *goimap.SearchCriteria) ([]*candidate, error) {
	refs := v.resolve(goimap.SeqSet{{Start: 1, Stop: 0}}) // 1:* = the whole view
	msgs, err := s.messages(v)
	if err != nil {
		return nil, imapError(err)
	}
	crit := v.static(*criteria, refs)
	recent := v.recentUIDs()
	var found []*candidate
	for _, r := range refs {
		m, ok := msgs[r.uid]
		if !ok {
			continue
		}
		c := newCandidate(r.seq, m)
		c.recent = recent[r.uid]
		if c.matches(&crit) {
			found = append(found, c)
		}
	}
	return found, nil
}

// static resolves "*" and "$" in the criteria against the view, so
// matching needs no more than one message at a time.
func (v *view) static(c goimap.SearchCriteria, refs []ref) goimap.SearchCriteria {
	var maxSeq, maxUID uint32
	if len(refs) > 0 {
		maxSeq, maxUID = refs[len(refs)-1].seq, refs[len(refs)-1].uid
	}
	seqSets := make([]goimap.SeqSet, len(c.SeqNum))
	for i, set := range c.SeqNum {
		seqSets[i] = staticSeqSet(set, maxSeq)
	}
	c.SeqNum = seqSets
	uidSets := make([]goimap.UIDSet, len(c.UID))
	for i, set := range c.UID {
		if goimap.IsSearchRes(set) {
			set = v.savedSearch()
		}
		uidSets[i] = staticUIDSet(set, maxUID)
	}
	c.UID = uidSets
	c.Not = append([]goimap.SearchCriteria(nil), c.Not...)
	for i := range c.Not {
		c.Not[i] = v.static(c.Not[i], refs)
	}
	c.Or = append([][2]goimap.SearchCriteria(nil), c.Or...)
	for i := range c.Or {
		c.Or[i] = [2]goimap.SearchCriteria{v.static(c.Or[i][0], refs), v.static(c.Or[i][1], refs)}
	}
	return c
}

func (v *view) saveSearch(uids goimap.UIDSet) {
	v.mu.Lock()
	v.searchRes = uids
	v.mu.Unlock()
}

func (v *view) savedSearch() goimap.UIDSet {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.searchRes
}
