package imap

import (
	"bufio"
	"bytes"
	"cmp"
	"slices"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

var _ imapserver.SessionSort = (*session)(nil)

// Sort answers SORT and UID SORT (RFC 5256 §3) with the keys of
// SORT=DISPLAY (RFC 5957): the messages SEARCH would find, ordered by the
// sort program, ties broken by sequence number. Strings compare in the
// canonical form of i;unicode-casemap (RFC 5051), as Dovecot does.
// With MODSEQ in the criteria the answer ends with the highest
// mod-sequence of the messages returned (RFC 7162 §3.1.5), as SEARCH's.
func (s *session) Sort(kind imapserver.NumKind, program []imapserver.SortCriterion, criteria *goimap.SearchCriteria, options *goimap.SearchOptions) (*imapserver.SortData, error) {
	items, err := s.sorted(s.sel, program, criteria)
	if err != nil {
		return nil, err
	}
	data := &imapserver.SortData{Nums: make([]uint32, len(items))}
	var uids goimap.UIDSet
	for i, it := range items {
		data.Nums[i] = it.seq
		if kind == imapserver.NumKindUID {
			data.Nums[i] = it.uid
		}
		uids.AddNum(goimap.UID(it.uid))
	}
	if usesModSeq(criteria) && len(items) > 0 {
		data.ModSeq = sortModSeq(items, options)
	}
	if options.ReturnSave {
		s.sel.saveSearch(uids)
	}
	return data, nil
}

// sortModSeq is the highest mod-sequence of the messages returned: with
// MIN and/or MAX but neither ALL nor COUNT only those (RFC 4731 §3.2, as
// SEARCH does), else all found.
func sortModSeq(items []sortItem, options *goimap.SearchOptions) uint64 {
	if (options.ReturnMin || options.ReturnMax) && !options.ReturnAll && !options.ReturnCount {
		var m uint64
		if options.ReturnMin {
			m = items[0].modSeq
		}
		if options.ReturnMax {
			m = max(m, items[len(items)-1].modSeq)
		}
		return m
	}
	var m uint64
	for _, it := range items {
		m = max(m, it.modSeq)
	}
	return m
}

// sorted returns the messages of v that match criteria in the order of
// program.
func (s *session) sorted(v *view, program []imapserver.SortCriterion, criteria *goimap.SearchCriteria) ([]sortItem, error) {
	found, err := s.matching(v, criteria)
	if err != nil {
		return nil, err
	}
	items := make([]sortItem, len(found))
	for i, c := range found {
		items[i] = newSortItem(c, program)
	}
	// found is in sequence order and the sort is stable: equal keys stay
	// in sequence order, whatever REVERSE says (RFC 5256 §3).
	slices.SortStableFunc(items, func(a, b sortItem) int { return a.compare(&b, program) })
	return items, nil
}

// sortItem holds one message's sort keys, computed once.
type sortItem struct {
	seq, uid uint32
	modSeq   uint64
	keys     []sortValue
}

// sortValue is one key: a time, a size or a case-mapped string.
type sortValue struct {
	t time.Time
	n int64
	s string
}

func newSortItem(c *candidate, program []imapserver.SortCriterion) sortItem {
	it := sortItem{seq: c.seq, uid: c.m.UID, modSeq: c.m.ModSeq, keys: make([]sortValue, len(program))}
	h := sortHeader(c.m.Raw)
	for i, sc := range program {
		it.keys[i] = sortKey(c, h, sc.Key)
	}
	return it
}

// sortHeader parses the header only (a broken one sorts as empty).
func sortHeader(raw []byte) mail.Header {
	var mh mail.Header
	mh.Header.Header, _ = textproto.ReadHeader(bufio.NewReader(bytes.NewReader(raw)))
	return mh
}

func sortKey(c *candidate, h mail.Header, key imapserver.SortKey) sortValue {
	switch key {
	case imapserver.SortKeyArrival:
		return sortValue{t: c.m.InternalDate}
	case imapserver.SortKeyDate:
		return sortValue{t: sentDate(h, c.m.InternalDate)}
	case imapserver.SortKeySize:
		return sortValue{n: c.m.Size}
	case imapserver.SortKeySubject:
		return sortValue{s: baseSubject(h.Get("Subject"))}
	case imapserver.SortKeyFrom:
		return sortValue{s: casemap(firstMailbox(h, "From"))}
	case imapserver.SortKeyTo:
		return sortValue{s: casemap(firstMailbox(h, "To"))}
	case imapserver.SortKeyCc:
		return sortValue{s: casemap(firstMailbox(h, "Cc"))}
	case imapserver.SortKeyDisplayFrom:
		return sortValue{s: casemap(displayName(h, "From"))}
	case imapserver.SortKeyDisplayTo:
		return sortValue{s: casemap(displayName(h, "To"))}
	}
	return sortValue{}
}

// sentDate is the "sent date" of RFC 5256 §2.2: the Date header, or the
// internal date when it is missing or cannot be parsed.
func sentDate(h mail.Header, internal time.Time) time.Time {
	if d, ok := parseSentDate(h.Get("Date")); ok {
		return d
	}
	return internal
}

// firstMailbox is the addr-mailbox (local part) of the first address
// (RFC 5256 §3, CC/FROM/TO); of a group, the group's name, as Dovecot.
func firstMailbox(h mail.Header, field string) string {
	addrs := headerAddresses(h.Header.Header, field)
	if len(addrs) == 0 {
		return ""
	}
	return addrs[0].Mailbox
}

// displayName is the display name of the first address, or, when it has
// none, its addr-spec (RFC 5957 §3, DISPLAYFROM/DISPLAYTO).
func displayName(h mail.Header, field string) string {
	addrs := headerAddresses(h.Header.Header, field)
	if len(addrs) == 0 {
		return ""
	}
	a := addrs[0]
	switch {
	case a.Name != "":
		return a.Name
	case a.Host != "":
		return a.Mailbox + "@" + a.Host
	}
	return a.Mailbox
}

// compare orders by the keys in turn; 0 leaves the sequence order.
func (a *sortItem) compare(b *sortItem, program []imapserver.SortCriterion) int {
	for i, sc := range program {
		x, y := a.keys[i], b.keys[i]
		r := x.t.Compare(y.t)
		if r == 0 {
			r = cmp.Compare(x.n, y.n)
		}
		if r == 0 {
			r = cmp.Compare(x.s, y.s)
		}
		if r != 0 {
			if sc.Reverse {
				return -r
			}
			return r
		}
	}
	return 0
}
