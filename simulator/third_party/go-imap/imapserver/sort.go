package imapserver

// Maillab patch 10: SORT and UID SORT (RFC 5256 §3), with the DISPLAYFROM
// and DISPLAYTO keys of SORT=DISPLAY (RFC 5957) and the RETURN options of
// ESORT (RFC 5267 §3). beta.9's server has no SORT; the client has.

import (
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/internal/imapwire"
)

// SortKey is a sort key of RFC 5256 §3 or RFC 5957.
type SortKey string

const (
	SortKeyArrival     SortKey = "ARRIVAL"
	SortKeyCc          SortKey = "CC"
	SortKeyDate        SortKey = "DATE"
	SortKeyFrom        SortKey = "FROM"
	SortKeySize        SortKey = "SIZE"
	SortKeySubject     SortKey = "SUBJECT"
	SortKeyTo          SortKey = "TO"
	SortKeyDisplayFrom SortKey = "DISPLAYFROM" // RFC 5957
	SortKeyDisplayTo   SortKey = "DISPLAYTO"   // RFC 5957
)

// SortCriterion is one sort-criterion: a key, maybe reversed.
type SortCriterion struct {
	Key     SortKey
	Reverse bool
}

// SessionSort is an IMAP session which supports SORT (RFC 5256) and
// SORT=DISPLAY (RFC 5957).
type SessionSort interface {
	Session

	// Selected state

	// Sort returns the numbers (sequence numbers, or UIDs for UID SORT) of
	// the messages matching criteria, in the order of sortCriteria, ties
	// broken by sequence number. The caller answers with them. With
	// options.ReturnSave the session saves the result for "$" (RFC 5182).
	Sort(kind NumKind, sortCriteria []SortCriterion, criteria *imap.SearchCriteria, options *imap.SearchOptions) (*SortData, error)
}

// SortData is a SORT result: the numbers in sort order and, when the
// criteria used MODSEQ, the highest mod-sequence of the messages returned
// (RFC 7162 §3.1.5; Maillab patch 55).
type SortData struct {
	Nums   []uint32
	ModSeq uint64
}

// sortCharsets are the charsets SORT accepts (RFC 5256 §3: US-ASCII and
// UTF-8 at least); BADCHARSET lists them (RFC 3501 §7.1).
var sortCharsets = []string{"UTF-8", "US-ASCII"}

func (c *Conn) handleSort(tag string, dec *imapwire.Decoder, numKind NumKind) error {
	if !dec.ExpectSP() {
		return dec.Err()
	}
	var (
		atom     string
		options  imap.SearchOptions
		extended bool
	)
	if dec.Atom(&atom) {
		if !strings.EqualFold(atom, "RETURN") {
			return newClientBugError("SORT criteria must be a list")
		}
		if err := readSortReturnOpts(dec, &options); err != nil {
			return err
		}
		if !dec.ExpectSP() {
			return dec.Err()
		}
		extended = true
	}
	var sortCriteria []SortCriterion
	err := dec.ExpectList(func() error {
		sc, err := readSortCriterion(dec)
		sortCriteria = append(sortCriteria, sc)
		return err
	})
	if err != nil {
		return err
	}
	if len(sortCriteria) == 0 {
		return newClientBugError("Empty sort program")
	}

	var charset string
	if !dec.ExpectSP() || !dec.ExpectAString(&charset) {
		return dec.Err()
	}
	if !dec.SP() {
		return newClientBugError("Missing search parameters")
	}
	// Maillab patch 11: imaptest's sort-partial put RETURN (…) after the
	// charset until its commit 7912447; "RETURN" is no search key, so it
	// is taken there too.
	var criteria imap.SearchCriteria
	atom = ""
	if maybeReadSearchKeyAtom(dec, &atom) && strings.EqualFold(atom, "RETURN") && !extended {
		if err := readSortReturnOpts(dec, &options); err != nil {
			return err
		}
		if !dec.ExpectSP() {
			return dec.Err()
		}
		extended, atom = true, ""
	}
	for {
		var err error
		if atom != "" {
			err, atom = readSearchKeyWithAtom(&criteria, dec, atom), ""
		} else {
			err = readSearchKey(&criteria, dec)
		}
		if err != nil {
			return err
		}
		if !dec.SP() {
			break
		}
	}
	if !dec.ExpectCRLF() {
		return dec.Err()
	}
	if err := c.checkState(imap.ConnStateSelected); err != nil {
		return err
	}
	if !isSortCharset(charset) {
		return &imap.Error{
			Type: imap.StatusResponseTypeNo,
			Code: imap.ResponseCode(string(imap.ResponseCodeBadCharset) + " (" + strings.Join(sortCharsets, " ") + ")"),
			Text: "Unknown charset",
		}
	}
	session, ok := c.session.(SessionSort)
	if !ok {
		return newClientBugError("SORT is not supported")
	}
	if err := c.checkContextOpts(tag, &options); err != nil { // patch 11
		return err
	}
	if searchUsesModSeq(&criteria) && c.enableCondStore() { // Maillab patch 55, as SEARCH (patch 30)
		if err := c.writeEnabledHighestModSeq(); err != nil {
			return err
		}
	}
	data, err := session.Sort(numKind, sortCriteria, &criteria, &options)
	if err != nil {
		return err
	}
	nums := data.Nums
	if err := c.startUpdate(tag, numKind, &criteria, sortCriteria, nums, &options); err != nil { // patch 11
		return err
	}
	if !extended {
		return c.writeSort(nums, data.ModSeq)
	}
	return c.writeESort(tag, nums, data.ModSeq, &options, numKind)
}

func isSortCharset(charset string) bool {
	for _, cs := range sortCharsets {
		if strings.EqualFold(charset, cs) {
			return true
		}
	}
	return false
}

func readSortCriterion(dec *imapwire.Decoder) (SortCriterion, error) {
	var sc SortCriterion
	var key string
	if !dec.ExpectAtom(&key) {
		return sc, dec.Err()
	}
	if strings.EqualFold(key, "REVERSE") {
		sc.Reverse = true
		if !dec.SP() {
			return sc, newClientBugError("Sort list ends with REVERSE")
		}
		if !dec.ExpectAtom(&key) {
			return sc, dec.Err()
		}
	}
	sc.Key = SortKey(strings.ToUpper(key))
	switch sc.Key {
	case SortKeyArrival, SortKeyCc, SortKeyDate, SortKeyFrom, SortKeySize, SortKeySubject, SortKeyTo,
		SortKeyDisplayFrom, SortKeyDisplayTo:
		return sc, nil
	}
	return sc, newClientBugError("Unknown sort argument: " + key)
}

// readSortReturnOpts reads sort-return-opts of RFC 5267 §3: the same
// options as ESEARCH (MIN, MAX, ALL, COUNT, and SAVE of RFC 5182 as
// Dovecot takes it); an empty list means ALL.
func readSortReturnOpts(dec *imapwire.Decoder, options *imap.SearchOptions) error {
	if err := readSearchReturnOpts(dec, options); err != nil {
		return err
	}
	if !options.ReturnMin && !options.ReturnMax && !options.ReturnAll && !options.ReturnCount &&
		!options.ReturnSave && !options.ReturnUpdate && options.ReturnPartial == nil {
		options.ReturnAll = true
	}
	return nil
}

// writeSort writes "* SORT 2 3 1" (RFC 5256 §4), with "(MODSEQ n)" at the
// end when modSeq is not 0 (RFC 7162 §3.1.5, sort-data).
func (c *Conn) writeSort(nums []uint32, modSeq uint64) error {
	enc := newResponseEncoder(c)
	defer enc.end()
	enc.Atom("*").SP().Atom("SORT")
	for _, num := range nums {
		enc.SP().Number(num)
	}
	if modSeq != 0 && len(nums) > 0 {
		enc.SP().Special('(').Atom("MODSEQ").SP().ModSeq(modSeq).Special(')')
	}
	return enc.CRLF()
}

// writeESort answers SORT RETURN (…) with ESEARCH (RFC 5267 §3): MIN and
// MAX are the first and last message in sort order, ALL lists them in
// sort order (a range only for ascending neighbours: "4:6,2,1").
func (c *Conn) writeESort(tag string, nums []uint32, modSeq uint64, options *imap.SearchOptions, numKind NumKind) error {
	if !options.ReturnMin && !options.ReturnMax && !options.ReturnAll && !options.ReturnCount &&
		!options.ReturnUpdate && options.ReturnPartial == nil {
		return nil // RETURN (SAVE) alone: saved, nothing to say (RFC 5182 §2.4)
	}
	enc := newResponseEncoder(c)
	defer enc.end()
	enc.Atom("*").SP().Atom("ESEARCH").SP().Special('(').Atom("TAG").SP().String(tag).Special(')')
	if numKind == NumKindUID {
		enc.SP().Atom("UID")
	}
	if len(nums) > 0 {
		if options.ReturnMin {
			enc.SP().Atom("MIN").SP().Number(nums[0])
		}
		if options.ReturnMax {
			enc.SP().Atom("MAX").SP().Number(nums[len(nums)-1])
		}
		if options.ReturnAll {
			enc.SP().Atom("ALL").SP().Atom(sortedSet(nums))
		}
	}
	if options.ReturnPartial != nil { // patch 11
		writePartial(enc.Encoder, options.ReturnPartial, nums)
	}
	if options.ReturnCount {
		enc.SP().Atom("COUNT").SP().Number(uint32(len(nums)))
	}
	if modSeq != 0 && len(nums) > 0 {
		enc.SP().Atom("MODSEQ").SP().ModSeq(modSeq)
	}
	return enc.CRLF()
}

// sortedSet writes nums as a sequence-set that keeps their order, joining
// runs of ascending neighbours into ranges, as Dovecot does.
func sortedSet(nums []uint32) string {
	var b strings.Builder
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(imap.SeqSet{{Start: nums[i], Stop: nums[j]}}.String())
		i = j + 1
	}
	return b.String()
}
