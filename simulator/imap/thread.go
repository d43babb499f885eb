package imap

import (
	"cmp"
	"slices"
	"strings"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

var _ imapserver.SessionThread = (*session)(nil)

// threadMsg is one message THREAD orders: what RFC 5256 needs of it.
type threadMsg struct {
	num     uint32 // sequence number or UID, as the client asked
	seq     uint32 // the tie-breaker when sent dates are equal (§3)
	sent    int64  // Date: in Unix seconds, else INTERNALDATE (§2.2)
	subject string // base subject, upper-cased for comparison (§2.1)
	reply   bool   // the subject says Re:/Fwd: (§3, REFERENCES step 5)
	id      string // Message-ID without <>, "" if none
	refs    []string
}

// Thread answers THREAD and UID THREAD (RFC 5256 §3) over the messages the
// search criteria select.
func (s *session) Thread(kind imapserver.NumKind, alg goimap.ThreadAlgorithm, criteria *goimap.SearchCriteria) ([]goimap.ThreadData, error) {
	msgs, err := s.threadMessages(kind, criteria)
	if err != nil {
		return nil, imapError(err)
	}
	if alg == goimap.ThreadOrderedSubject {
		return orderedSubject(msgs), nil
	}
	return references(msgs), nil
}

// threadMessages evaluates the criteria as SEARCH does (search.go) and
// reads the header fields threading needs.
func (s *session) threadMessages(kind imapserver.NumKind, criteria *goimap.SearchCriteria) ([]*threadMsg, error) {
	v := s.sel
	refs := v.resolve(goimap.SeqSet{{Start: 1, Stop: 0}})
	all, err := s.messages(v)
	if err != nil {
		return nil, err
	}
	crit := v.static(*criteria, refs)
	recent := v.recentUIDs()
	var out []*threadMsg
	for _, r := range refs {
		m, ok := all[r.uid]
		if !ok {
			continue
		}
		c := newCandidate(r.seq, m)
		c.recent = recent[r.uid]
		if !c.matches(&crit) {
			continue
		}
		h := c.mailHeader()
		t := &threadMsg{num: r.seq, seq: r.seq, sent: m.InternalDate.Unix()}
		if kind == imapserver.NumKindUID {
			t.num = r.uid
		}
		if d, err := h.Date(); err == nil && !d.IsZero() {
			t.sent = d.Unix()
		}
		t.subject = strings.ToUpper(baseSubject(h.Get("Subject")))
		_, t.reply = threadSubject(h.Get("Subject"))
		if ids := msgIDs(h.Get("Message-Id")); len(ids) > 0 {
			t.id = ids[0]
		}
		t.refs = msgIDs(h.Get("References"))
		if len(t.refs) == 0 { // §3 REFERENCES step 1: else the first of In-Reply-To
			t.refs = msgIDs(h.Get("In-Reply-To"))
			if len(t.refs) > 1 {
				t.refs = t.refs[:1]
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// msgIDs returns the valid message IDs (<local@domain>) in a field,
// skipping anything else.
func msgIDs(field string) []string {
	var ids []string
	for {
		start := strings.IndexByte(field, '<')
		if start < 0 {
			return ids
		}
		end := strings.IndexByte(field[start:], '>')
		if end < 0 {
			return ids
		}
		id := strings.Join(strings.Fields(field[start+1:start+end]), "")
		if at := strings.IndexByte(id, '@'); at > 0 && at < len(id)-1 && !strings.ContainsAny(id, "<") {
			ids = append(ids, id)
		}
		field = field[start+end+1:]
	}
}

// compare orders by sent date, then by sequence number (RFC 5256 §3).
func (t *threadMsg) compare(u *threadMsg) int {
	return cmp.Or(cmp.Compare(t.sent, u.sent), cmp.Compare(t.seq, u.seq))
}

// orderedSubject is THREAD=ORDEREDSUBJECT (RFC 5256 §3): messages with
// the same base subject form a thread in sent-date order; the first is
// the parent of all others; threads go in the order of their first
// message.
func orderedSubject(msgs []*threadMsg) []goimap.ThreadData {
	slices.SortStableFunc(msgs, func(a, b *threadMsg) int {
		return cmp.Or(strings.Compare(a.subject, b.subject), a.compare(b))
	})
	var groups [][]*threadMsg
	for i, m := range msgs {
		if i == 0 || m.subject != msgs[i-1].subject {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], m)
	}
	slices.SortFunc(groups, func(a, b []*threadMsg) int { return a[0].compare(b[0]) })
	out := make([]goimap.ThreadData, len(groups))
	for i, g := range groups {
		out[i].Chain = []uint32{g[0].num}
		switch {
		case len(g) == 2:
			out[i].Chain = append(out[i].Chain, g[1].num)
		case len(g) > 2:
			for _, m := range g[1:] {
				out[i].SubThreads = append(out[i].SubThreads, goimap.ThreadData{Chain: []uint32{m.num}})
			}
		}
	}
	return out
}
