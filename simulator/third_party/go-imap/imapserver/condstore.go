package imapserver

// Maillab patches 30–36: CONDSTORE and QRESYNC (RFC 7162) on the server
// side. beta.9 has the types (FetchOptions.ModSeq, StoreOptions.
// UnchangedSince, ...) but parses none of the parameters and writes none
// of the responses. The handlers call the helpers below with a line or
// two each; see MAILLAB-PATCHES.md.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/internal/imapwire"
)

// SessionQResync is implemented by a session that serves SELECT's QRESYNC
// parameter (RFC 7162 §3.2.5). Its Select, given options.QResync, works
// out what changed; Resync then writes it, after SELECT's untagged
// responses and before its tagged OK: VANISHED (EARLIER) and FETCH
// responses (UID, FLAGS, MODSEQ) of the messages changed since.
type SessionQResync interface {
	Resync(w *FetchWriter) error
}

// ModifiedError is returned by Session.Store when some messages failed
// UNCHANGEDSINCE (RFC 7162 §3.1.3): the command still succeeds, with
// OK [MODIFIED set].
type ModifiedError struct {
	Modified imap.NumSet
}

func (e *ModifiedError) Error() string { return "MODIFIED " + e.Modified.String() }

// Maillab patch 30: a CONDSTORE enabling command (RFC 7162 §3.1) enables
// CONDSTORE as ENABLE CONDSTORE does. It reports whether it was off.
func (c *Conn) enableCondStore() bool {
	c.mutex.Lock()
	defer c.mutex.Unlock()
	if c.enabled.Has(imap.CapCondStore) {
		return false
	}
	c.enabled[imap.CapCondStore] = struct{}{}
	return true
}

func (c *Conn) offers(cap imap.Cap) bool { return c.server.options.caps().Has(cap) }

// CondStoreEnabled reports whether the client enabled CONDSTORE, by
// ENABLE CONDSTORE, ENABLE QRESYNC or any CONDSTORE enabling command.
func (c *Conn) CondStoreEnabled() bool {
	c.mutex.Lock()
	defer c.mutex.Unlock()
	return c.enabled.Has(imap.CapCondStore)
}

// QResyncEnabled reports whether the client sent ENABLE QRESYNC.
func (c *Conn) QResyncEnabled() bool {
	c.mutex.Lock()
	defer c.mutex.Unlock()
	return c.enabled.Has(imap.CapQResync)
}

func errUnknownParam(what string) error {
	return &imap.Error{Type: imap.StatusResponseTypeBad, Code: imap.ResponseCodeClientBug, Text: what}
}

// Maillab patch 31: SELECT/EXAMINE parameters (RFC 4466 §2.1):
// "(CONDSTORE)" and "(QRESYNC (uidvalidity modseq [known-uids]
// [(known-seqs known-uids)]))". The caller has read the mailbox name.
func (c *Conn) readSelectParams(dec *imapwire.Decoder, options *imap.SelectOptions) error {
	if !dec.SP() {
		return nil
	}
	return dec.ExpectList(func() error {
		var name string
		if !dec.ExpectAtom(&name) {
			return dec.Err()
		}
		switch strings.ToUpper(name) {
		case "CONDSTORE":
			if !c.offers(imap.CapCondStore) {
				return errUnknownParam("Unknown SELECT parameter")
			}
			options.CondStore = true
		case "QRESYNC":
			if !c.QResyncEnabled() {
				return errUnknownParam("QRESYNC not enabled")
			}
			if !dec.ExpectSP() {
				return dec.Err()
			}
			var q imap.SelectQResync
			if !dec.ExpectSpecial('(') || !dec.ExpectNumber(&q.UIDValidity) || !dec.ExpectSP() ||
				!dec.ExpectModSeq(&q.ModSeq) {
				return dec.Err()
			}
			if dec.SP() {
				seqMatch := dec.Special('(')
				if !seqMatch {
					if !dec.ExpectUIDSet(&q.KnownUIDs) {
						return dec.Err()
					}
					seqMatch = dec.SP()
					if seqMatch && !dec.ExpectSpecial('(') {
						return dec.Err()
					}
				}
				if seqMatch {
					if err := readSeqMatch(dec, &q); err != nil {
						return err
					}
				}
			}
			if !dec.ExpectSpecial(')') {
				return dec.Err()
			}
			if q.UIDValidity == 0 || q.ModSeq == 0 {
				return errUnknownParam("Invalid QRESYNC parameters")
			}
			options.QResync = &q
		default:
			return errUnknownParam("Unknown SELECT parameter")
		}
		return nil
	})
}

// readSeqMatch reads "known-seqs SP known-uids)" of a seq-match-data
// list whose "(" was read.
func readSeqMatch(dec *imapwire.Decoder, q *imap.SelectQResync) error {
	var seqs, uids imap.NumSet
	if !dec.ExpectNumSet(imapwire.NumKindSeq, &seqs) || !dec.ExpectSP() ||
		!dec.ExpectNumSet(imapwire.NumKindUID, &uids) || !dec.ExpectSpecial(')') {
		return dec.Err()
	}
	q.SeqMatchSeqs, q.SeqMatchUIDs = seqs.(imap.SeqSet), uids.(imap.UIDSet)
	return nil
}

// writeHighestModSeq writes "* OK [HIGHESTMODSEQ n]" (RFC 7162 §3.1.2.1).
func (c *Conn) writeHighestModSeq(modSeq uint64) error {
	enc := newResponseEncoder(c)
	defer enc.end()
	enc.Atom("*").SP().Atom("OK").SP()
	enc.Special('[').Atom("HIGHESTMODSEQ").SP().ModSeq(modSeq).Special(']')
	enc.SP().Text("Highest")
	return enc.CRLF()
}

// Maillab patch 32: FETCH modifiers (RFC 4466 §2.4): "(CHANGEDSINCE n)"
// and, in UID FETCH with QRESYNC enabled, "(CHANGEDSINCE n VANISHED)"
// (RFC 7162 §3.1.4.1, §3.2.6). CHANGEDSINCE implies the MODSEQ item.
func (c *Conn) readFetchModifiers(dec *imapwire.Decoder, numKind NumKind, options *imap.FetchOptions) error {
	if !dec.SP() {
		return nil
	}
	changedSince := false
	err := dec.ExpectList(func() error {
		var name string
		if !dec.ExpectAtom(&name) {
			return dec.Err()
		}
		switch strings.ToUpper(name) {
		case "CHANGEDSINCE":
			if !c.offers(imap.CapCondStore) {
				return errUnknownParam("Unknown FETCH modifier")
			}
			if !dec.ExpectSP() || !dec.ExpectModSeq(&options.ChangedSince) {
				return dec.Err()
			}
			changedSince, options.ModSeq = true, true
		case "VANISHED":
			if numKind != NumKindUID || !c.QResyncEnabled() {
				return errUnknownParam("VANISHED needs UID FETCH and ENABLE QRESYNC")
			}
			options.Vanished = true
		default:
			return errUnknownParam("Unknown FETCH modifier")
		}
		return nil
	})
	if err != nil {
		return err
	}
	if options.Vanished && !changedSince {
		return errUnknownParam("VANISHED needs CHANGEDSINCE")
	}
	return nil
}

// WriteModSeq writes the message's MODSEQ item (RFC 7162 §3.1.4).
func (w *FetchResponseWriter) WriteModSeq(modSeq uint64) {
	w.writeItemSep()
	w.enc.Atom("MODSEQ").SP().Special('(').ModSeq(modSeq).Special(')')
}

// WriteVanished writes "* VANISHED (EARLIER) uids" (RFC 7162 §3.2.10):
// UIDs expunged before this command, for UID FETCH (VANISHED) and SELECT
// (QRESYNC). An empty set writes nothing.
func (w *FetchWriter) WriteVanished(uids imap.UIDSet) error {
	return w.conn.writeVanished(true, uids)
}

// WriteVanished writes "* VANISHED uids" instead of EXPUNGE responses,
// once the client has enabled QRESYNC (RFC 7162 §3.2.10). Like EXPUNGE it
// is not allowed during FETCH, STORE and SEARCH.
func (w *UpdateWriter) WriteVanished(uids imap.UIDSet) error {
	if !w.allowExpunge {
		return fmt.Errorf("imapserver: VANISHED updates are not allowed in this context")
	}
	return w.conn.writeVanished(false, uids)
}

func (c *Conn) writeVanished(earlier bool, uids imap.UIDSet) error {
	if len(uids) == 0 {
		return nil
	}
	enc := newResponseEncoder(c)
	defer enc.end()
	enc.Atom("*").SP().Atom("VANISHED").SP()
	if earlier {
		enc.Atom("(EARLIER)").SP()
	}
	enc.NumSet(uids)
	return enc.CRLF()
}

// WriteMessageFlagsModSeq writes an unsolicited FETCH with FLAGS and, once
// CONDSTORE is enabled, MODSEQ (RFC 7162 §3.1.4); with QRESYNC it names
// the UID too (§3.2.4).
func (w *UpdateWriter) WriteMessageFlagsModSeq(seqNum uint32, uid imap.UID, flags []imap.Flag, modSeq uint64) error {
	fetchWriter := &FetchWriter{conn: w.conn}
	respWriter := fetchWriter.CreateMessage(seqNum)
	if uid != 0 {
		respWriter.WriteUID(uid)
	}
	respWriter.WriteFlags(flags)
	if modSeq != 0 {
		respWriter.WriteModSeq(modSeq)
	}
	return respWriter.Close()
}

// Maillab patch 33: STORE's "(UNCHANGEDSINCE n)" modifier (RFC 7162
// §3.1.3), read when the caller saw "(" where the item was expected.
func (c *Conn) readStoreModifiers(dec *imapwire.Decoder, options *imap.StoreOptions) error {
	for {
		var name string
		if !dec.ExpectAtom(&name) {
			return dec.Err()
		}
		if !strings.EqualFold(name, "UNCHANGEDSINCE") || !c.offers(imap.CapCondStore) {
			return errUnknownParam("Unknown STORE modifier")
		}
		if !dec.ExpectSP() || !dec.ExpectModSeq(&options.UnchangedSince) {
			return dec.Err()
		}
		options.Conditional = true
		if dec.Special(')') {
			return nil
		}
		if !dec.ExpectSP() {
			return dec.Err()
		}
	}
}

// storeResult turns a ModifiedError into the tagged OK [MODIFIED set],
// after the poll that the OK would otherwise have come after.
func (c *Conn) storeResult(err error) error {
	var modified *ModifiedError
	if !errors.As(err, &modified) {
		return err
	}
	if err := c.poll("STORE"); err != nil {
		return err
	}
	return &imap.Error{Type: imap.StatusResponseTypeOK,
		Code: imap.ResponseCode("MODIFIED " + modified.Modified.String()), Text: "Conditional store failed"}
}

// Maillab patch 34: SEARCH's MODSEQ key (RFC 7162 §3.1.5):
// MODSEQ [entry-name entry-type] modseq.
func readSearchModSeq(dec *imapwire.Decoder, criteria *imap.SearchCriteria) error {
	var ms imap.SearchCriteriaModSeq
	if !dec.ExpectSP() {
		return dec.Err()
	}
	if dec.Quoted(&ms.MetadataName) {
		var typ string
		if !dec.ExpectSP() || !dec.ExpectAtom(&typ) || !dec.ExpectSP() {
			return dec.Err()
		}
		switch t := imap.SearchCriteriaMetadataType(strings.ToLower(typ)); t {
		case imap.SearchCriteriaMetadataAll, imap.SearchCriteriaMetadataPrivate, imap.SearchCriteriaMetadataShared:
			ms.MetadataType = t
		default:
			return errUnknownParam("Unknown MODSEQ entry type")
		}
	}
	if !dec.ExpectModSeq(&ms.ModSeq) {
		return dec.Err()
	}
	criteria.ModSeq = &ms
	return nil
}

// SessionCondStore is implemented by a session that can tell its selected
// mailbox's HIGHESTMODSEQ.
type SessionCondStore interface {
	HighestModSeq() uint64
}

// writeEnabledHighestModSeq tells the HIGHESTMODSEQ of the selected
// mailbox when a CONDSTORE enabling command enabled it only now (RFC 7162
// §3.1: the SELECT did not report it), as Dovecot does.
func (c *Conn) writeEnabledHighestModSeq() error {
	cs, ok := c.session.(SessionCondStore)
	if !ok || c.state != imap.ConnStateSelected {
		return nil
	}
	return c.writeHighestModSeq(cs.HighestModSeq())
}

func searchUsesModSeq(c *imap.SearchCriteria) bool {
	if c.ModSeq != nil {
		return true
	}
	for i := range c.Not {
		if searchUsesModSeq(&c.Not[i]) {
			return true
		}
	}
	for i := range c.Or {
		if searchUsesModSeq(&c.Or[i][0]) || searchUsesModSeq(&c.Or[i][1]) {
			return true
		}
	}
	return false
}

// WriteHighestModSeq writes "* OK [HIGHESTMODSEQ n]" as an update: RFC
// 7162 §3.2 asks for it, with a value below the expunge's modseq, when an
// expunge is held back (during FETCH, STORE, SEARCH) while MODSEQ data
// items are sent, so a client that loses the connection does not skip the
// expunge.
func (w *UpdateWriter) WriteHighestModSeq(modSeq uint64) error {
	return w.conn.writeHighestModSeq(modSeq)
}
