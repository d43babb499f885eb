package imapserver

// Maillab patch 11: CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267 §4): the
// RETURN options CONTEXT, UPDATE and PARTIAL on SEARCH and SORT, the
// ADDTO/REMOVEFROM notifications of an updating context, NOUPDATE and the
// CANCELUPDATE command. beta.9 has none of them.

import (
	"errors"
	"strconv"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/internal/imapwire"
)

// ErrNoUpdate is returned by SessionContext.UpdateContext to refuse a
// context (RFC 5267 §4.3.1): the command still answers, after an untagged
// NO [NOUPDATE "tag"].
var ErrNoUpdate = errors.New("imapserver: too many contexts")

// ContextChange is one pair of an ADDTO or REMOVEFROM (RFC 5267 §4.3.2):
// a context position, 0 for SEARCH, and the numbers in the context's order.
type ContextChange struct {
	Position uint32
	Nums     []uint32
}

// SessionContext is an IMAP session which supports CONTEXT=SEARCH and
// CONTEXT=SORT (RFC 5267 §4).
type SessionContext interface {
	Session

	// Selected state

	// UpdateContext starts an updating context for the SEARCH (sort nil)
	// or SORT tagged tag, whose result was nums in its order: from now on
	// the session's Poll and Idle write UpdateWriter.WriteContextUpdate
	// when the result changes, until CancelUpdate or the mailbox is
	// closed. ErrNoUpdate refuses.
	UpdateContext(tag string, kind NumKind, criteria *imap.SearchCriteria, sort []SortCriterion, nums []uint32) error
	// HasContext reports whether tag names an updating context.
	HasContext(tag string) bool
	// CancelUpdate ends the context tagged tag; false if there is none.
	CancelUpdate(tag string) bool
}

// readContextReturnOpt reads CONTEXT, UPDATE or PARTIAL n:m (RFC 5267 §5).
func readContextReturnOpt(dec *imapwire.Decoder, name string, options *imap.SearchOptions) error {
	switch name {
	case "CONTEXT":
		options.ReturnContext = true // a hint (§4.2): nothing to do
	case "UPDATE":
		if options.ReturnUpdate {
			return newClientBugError("SEARCH return options have duplicate UPDATE")
		}
		options.ReturnUpdate = true
	case "PARTIAL":
		if options.ReturnPartial != nil {
			return newClientBugError("PARTIAL can be used only once")
		}
		var s string
		if !dec.ExpectSP() {
			return dec.Err()
		}
		if !maybeReadSearchKeyAtom(dec, &s) { // an atom, or "*:1" to refuse
			return newClientBugError("PARTIAL range missing")
		}
		p, ok := parsePartialRange(s)
		if !ok {
			return newClientBugError("PARTIAL range broken")
		}
		options.ReturnPartial = p
	}
	return nil
}

// parsePartialRange reads "first:last" of nz-numbers; "500:400" is
// "400:500" (RFC 5267 §4.4); "*" is not allowed.
func parsePartialRange(s string) (*imap.SearchReturnPartial, bool) {
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return nil, false
	}
	first, err1 := strconv.ParseUint(a, 10, 32)
	last, err2 := strconv.ParseUint(b, 10, 32)
	if err1 != nil || err2 != nil || first == 0 || last == 0 {
		return nil, false
	}
	if first > last {
		first, last = last, first
	}
	return &imap.SearchReturnPartial{First: uint32(first), Last: uint32(last)}, true
}

// checkContextOpts refuses what RFC 5267 forbids before the search runs:
// PARTIAL with ALL (§4.4) and UPDATE with the tag of a live context (§4.3).
func (c *Conn) checkContextOpts(tag string, options *imap.SearchOptions) error {
	if options.ReturnPartial != nil && options.ReturnAll {
		return newClientBugError("PARTIAL conflicts with ALL")
	}
	if !options.ReturnUpdate {
		return nil
	}
	session, ok := c.session.(SessionContext)
	if !ok {
		return newClientBugError("UPDATE is not supported")
	}
	if session.HasContext(tag) {
		return newClientBugError("Duplicate search update tag")
	}
	return nil
}

// startUpdate creates the context of a SEARCH or SORT with UPDATE; a
// refusal is an untagged NO [NOUPDATE "tag"] before the results (§4.3.1).
func (c *Conn) startUpdate(tag string, kind NumKind, criteria *imap.SearchCriteria, sort []SortCriterion, nums []uint32, options *imap.SearchOptions) error {
	if !options.ReturnUpdate {
		return nil
	}
	session := c.session.(SessionContext) // checked by checkContextOpts
	err := session.UpdateContext(tag, kind, criteria, sort, nums)
	if !errors.Is(err, ErrNoUpdate) {
		return err
	}
	enc := newResponseEncoder(c)
	defer enc.end()
	enc.Atom("*").SP().Atom("NO").SP().Special('[').Atom("NOUPDATE").SP().Quoted(tag).Special(']')
	return enc.SP().Text("Too many contexts, no updates").CRLF()
}

// searchNums lists a SEARCH result in mailbox order.
func searchNums(all imap.NumSet) []uint32 {
	var nums []uint32
	switch set := all.(type) {
	case imap.SeqSet:
		nums, _ = set.Nums()
	case imap.UIDSet:
		uids, _ := set.Nums()
		for _, uid := range uids {
			nums = append(nums, uint32(uid))
		}
	}
	return nums
}

// writePartial writes "PARTIAL (first:last set)" with the results from
// first to last of nums, or NIL when there are none (RFC 5267 §4.4).
func writePartial(enc *imapwire.Encoder, p *imap.SearchReturnPartial, nums []uint32) {
	enc.SP().Atom("PARTIAL").SP().Special('(').Atom(strconv.FormatUint(uint64(p.First), 10) + ":" +
		strconv.FormatUint(uint64(p.Last), 10)).SP()
	var part []uint32
	if int(p.First) <= len(nums) {
		last := len(nums)
		if int(p.Last) < last {
			last = int(p.Last)
		}
		part = nums[p.First-1 : last]
	}
	if len(part) == 0 {
		enc.Atom("NIL")
	} else {
		enc.Atom(sortedSet(part))
	}
	enc.Special(')')
}

// WriteContextUpdate writes "* ESEARCH (TAG "t") [UID] REMOVEFROM (…)
// ADDTO (…)" (RFC 5267 §4.3.3, §4.3.4). REMOVEFROM of expunged messages
// must come before their EXPUNGE, ADDTO of new ones after their EXISTS.
func (w *UpdateWriter) WriteContextUpdate(tag string, kind NumKind, removeFrom, addTo []ContextChange) error {
	enc := newResponseEncoder(w.conn)
	defer enc.end()
	enc.Atom("*").SP().Atom("ESEARCH").SP().Special('(').Atom("TAG").SP().String(tag).Special(')')
	if kind == NumKindUID {
		enc.SP().Atom("UID")
	}
	writeChanges(enc.Encoder, "REMOVEFROM", removeFrom)
	writeChanges(enc.Encoder, "ADDTO", addTo)
	return enc.CRLF()
}

func writeChanges(enc *imapwire.Encoder, name string, changes []ContextChange) {
	if len(changes) == 0 {
		return
	}
	enc.SP().Atom(name).SP().Special('(')
	for i, ch := range changes {
		if i > 0 {
			enc.SP()
		}
		enc.Number(ch.Position).SP().Atom(sortedSet(ch.Nums))
	}
	enc.Special(')')
}

// handleCancelUpdate: CANCELUPDATE "tag" … (RFC 5267 §4.3.5).
func (c *Conn) handleCancelUpdate(dec *imapwire.Decoder) error {
	var tags []string
	for dec.SP() {
		var tag string
		if !dec.ExpectString(&tag) {
			return dec.Err()
		}
		tags = append(tags, tag)
	}
	if !dec.ExpectCRLF() {
		return dec.Err()
	}
	if len(tags) == 0 {
		return newClientBugError("CANCELUPDATE needs the tag of a search")
	}
	if err := c.checkState(imap.ConnStateSelected); err != nil {
		return err
	}
	session, ok := c.session.(SessionContext)
	if !ok {
		return newClientBugError("CANCELUPDATE is not supported")
	}
	for _, tag := range tags {
		if !session.CancelUpdate(tag) {
			return &imap.Error{Type: imap.StatusResponseTypeNo, Text: "Unknown tag " + strconv.Quote(tag)}
		}
	}
	return nil
}

// The capabilities of RFC 5267 §4.1, which beta.9 does not name.
const (
	CapContextSearch imap.Cap = "CONTEXT=SEARCH"
	CapContextSort   imap.Cap = "CONTEXT=SORT"
)
