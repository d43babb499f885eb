package imapserver

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/internal/imapwire"
)

// Maillab patch 22: CATENATE (RFC 4469 §5), a message put together from
// TEXT literals and IMAP URLs of messages already on the server.
//
//	catenate = "CATENATE" SP "(" cat-part *(SP cat-part) ")"
//	cat-part = "TEXT" SP literal / "URL" SP astring

// SessionCatenate is an IMAP session which supports CATENATE.
type SessionCatenate interface {
	SessionMultiAppend

	// CatenateURL returns the data an IMAP URL (RFC 5092) points to, or
	// an error such as NO [BADURL url].
	CatenateURL(url string) ([]byte, error)
}

func (a *appendReader) catenate() ([]byte, error) {
	dec := a.dec
	if !dec.ExpectSP() {
		return nil, dec.Err()
	}
	var out []byte
	parts := 0
	isList, err := dec.List(func() error {
		parts++
		var kind string
		if !dec.ExpectAtom(&kind) || !dec.ExpectSP() {
			return dec.Err()
		}
		switch strings.ToUpper(kind) {
		case "TEXT":
			lit, nonSync, err := dec.ExpectLiteralReader()
			if err != nil {
				return err
			}
			data, err := a.literal(lit, nonSync)
			if err != nil {
				return err
			}
			out = append(out, data...)
		case "URL":
			var url string
			if !dec.ExpectAString(&url) {
				return dec.Err()
			}
			if a.failed != nil {
				return nil
			}
			data, err := a.c.session.(SessionCatenate).CatenateURL(url)
			if err != nil {
				a.failed = err
				return nil
			}
			a.grow(int64(len(data)))
			out = append(out, data...)
		default:
			return newClientBugError("A CATENATE part is TEXT or URL")
		}
		if limit := a.c.appendLimit(); a.failed == nil && int64(len(out)) > limit {
			a.failed = &imap.Error{
				Type: imap.StatusResponseTypeNo,
				Code: imap.ResponseCodeTooBig,
				Text: fmt.Sprintf("Composed message grows too big: the limit is %v bytes", limit),
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case !isList:
		return nil, newClientBugError("CATENATE needs a list of parts")
	case parts == 0:
		return nil, newClientBugError("Empty CATENATE list")
	}
	return out, nil
}

// ParseSection parses the section of a BODY[section] fetch item or of an
// IMAP URL's ";SECTION=" (RFC 5092 §3: the same syntax), such as "1.2",
// "TEXT" or "HEADER.FIELDS (SUBJECT)".
func ParseSection(s string) (*imap.FetchItemBodySection, error) {
	dec := imapwire.NewDecoder(bufio.NewReader(strings.NewReader(s+"]")), imapwire.ConnSideServer)
	var section imap.FetchItemBodySection
	if err := readSection(dec, &section); err != nil {
		return nil, err
	}
	if !dec.EOF() {
		return nil, fmt.Errorf("imapserver: trailing characters in section %q", s)
	}
	return &section, nil
}
