package imapserver

import (
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/internal/imapwire"
)

// Maillab patch 20: THREAD and UID THREAD (RFC 5256 §3), which beta.9's
// server does not dispatch.
//
//	thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria
//	search-criteria = charset 1*(SP search-key)
func (c *Conn) handleThread(dec *imapwire.Decoder, numKind NumKind) error {
	var alg, charset string
	if !dec.ExpectSP() || !dec.ExpectAtom(&alg) || !dec.ExpectSP() || !dec.ExpectAString(&charset) {
		return dec.Err()
	}
	var criteria imap.SearchCriteria
	for {
		if !dec.ExpectSP() {
			return dec.Err()
		}
		if err := readSearchKey(&criteria, dec); err != nil {
			return fmt.Errorf("in search-key: %w", err)
		}
		if dec.CRLF() {
			break
		}
	}
	if err := c.checkState(imap.ConnStateSelected); err != nil {
		return err
	}
	session, ok := c.session.(SessionThread)
	algorithm := imap.ThreadAlgorithm(strings.ToUpper(alg))
	if !ok || (algorithm != imap.ThreadOrderedSubject && algorithm != imap.ThreadReferences) {
		return newClientBugError("Unknown thread algorithm")
	}
	switch strings.ToUpper(charset) {
	case "US-ASCII", "UTF-8":
	default:
		return &imap.Error{
			Type: imap.StatusResponseTypeNo,
			Code: imap.ResponseCodeBadCharset,
			Text: "Only US-ASCII and UTF-8 are supported THREAD charsets",
		}
	}
	threads, err := session.Thread(numKind, algorithm, &criteria)
	if err != nil {
		return err
	}
	return c.writeThread(threads)
}

// writeThread sends "* THREAD" and the threads as RFC 5256 §5's
// thread-list: "(2)(3 6 (4 23)(44 7 96))".
func (c *Conn) writeThread(threads []imap.ThreadData) error {
	enc := newResponseEncoder(c)
	defer enc.end()
	enc.Atom("*").SP().Atom("THREAD")
	if len(threads) > 0 {
		enc.SP()
	}
	for _, t := range threads {
		writeThreadList(enc.Encoder, t)
	}
	return enc.CRLF()
}

func writeThreadList(enc *imapwire.Encoder, t imap.ThreadData) {
	enc.Special('(')
	for i, num := range t.Chain {
		if i > 0 {
			enc.SP()
		}
		enc.Number(num)
	}
	if len(t.Chain) > 0 && len(t.SubThreads) > 0 {
		enc.SP()
	}
	for _, sub := range t.SubThreads {
		writeThreadList(enc, sub)
	}
	enc.Special(')')
}
