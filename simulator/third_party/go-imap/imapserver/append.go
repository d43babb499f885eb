package imapserver

import (
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/internal"
	"github.com/emersion/go-imap/v2/internal/imapwire"
)

// defaultAppendLimit is the default maximum size of an APPEND payload.
const defaultAppendLimit = 100 * 1024 * 1024 // 100MiB

func (c *Conn) handleAppend(tag string, dec *imapwire.Decoder) error {
	var mailbox string
	if !dec.ExpectSP() || !dec.ExpectMailbox(&mailbox) || !dec.ExpectSP() {
		return dec.Err()
	}
	if multi, ok := c.session.(SessionMultiAppend); ok { // Maillab patch 21
		return c.handleMultiAppend(tag, dec, mailbox, multi)
	}
	options, dataExt, lit, nonSync, err := c.readAppendMessage(dec)
	if err != nil {
		return err
	}
	if err := c.acceptAppendLiteral(lit.Size(), nonSync); err != nil {
		return err
	}

	c.setReadTimeout(literalReadTimeout)
	defer c.setReadTimeout(cmdReadTimeout)

	if err := c.checkState(imap.ConnStateAuthenticated); err != nil {
		io.Copy(io.Discard, lit)
		dec.CRLF()
		return err
	}

	data, appendErr := c.session.Append(mailbox, lit, options)
	if _, discardErr := io.Copy(io.Discard, lit); discardErr != nil {
		return discardErr
	}
	if dataExt != "" && !dec.ExpectSpecial(')') {
		return dec.Err()
	}
	if !dec.ExpectCRLF() {
		return dec.Err()
	}
	if appendErr != nil {
		return appendErr
	}
	if err := c.poll("APPEND"); err != nil {
		return err
	}
	return c.writeAppendOK(tag, data)
}

func (c *Conn) writeAppendOK(tag string, data *imap.AppendData) error {
	enc := newResponseEncoder(c)
	defer enc.end()

	enc.Atom(tag).SP().Atom("OK").SP()
	if data != nil {
		enc.Special('[')
		enc.Atom("APPENDUID").SP().Number(data.UIDValidity).SP().UID(data.UID)
		enc.Special(']').SP()
	}
	enc.Text("APPEND completed")
	return enc.CRLF()
}

// readAppendMessage reads one message of APPEND up to its data: flags,
// date and either the literal's size or the atom CATENATE (dataExt).
//
// Maillab patch 21: split out of handleAppend, for MULTIAPPEND; patch 22:
// CATENATE.
func (c *Conn) readAppendMessage(dec *imapwire.Decoder) (options *imap.AppendOptions, dataExt string, lit imap.LiteralReader, nonSync bool, err error) {
	options = &imap.AppendOptions{}
	hasFlagList, err := dec.List(func() error {
		flag, err := internal.ExpectFlag(dec)
		if err != nil {
			return err
		}
		options.Flags = append(options.Flags, flag)
		return nil
	})
	if err != nil {
		return nil, "", nil, false, err
	}
	if hasFlagList && !dec.ExpectSP() {
		return nil, "", nil, false, dec.Err()
	}

	t, err := internal.DecodeDateTime(dec)
	if err != nil {
		return nil, "", nil, false, err
	}
	if !t.IsZero() && !dec.ExpectSP() {
		return nil, "", nil, false, dec.Err()
	}
	options.Time = t

	// Maillab patch 53: remember a literal8 (BINARY, RFC 3516 §4.4)
	options.Binary = dec.Special('~')
	if !options.Binary && dec.Atom(&dataExt) {
		switch dataExt = strings.ToUpper(dataExt); dataExt {
		case "UTF8":
			// '~' is the literal8 prefix
			if !dec.ExpectSP() || !dec.ExpectSpecial('(') || !dec.ExpectSpecial('~') {
				return nil, "", nil, false, dec.Err()
			}
		case "CATENATE":
			if _, ok := c.session.(SessionCatenate); ok {
				return options, dataExt, nil, false, nil
			}
			fallthrough
		default:
			return nil, "", nil, false, newClientBugError("Unknown APPEND data extension")
		}
	}

	l, nonSync, err := dec.ExpectLiteralReader()
	if err != nil {
		return nil, "", nil, false, err
	}
	return options, dataExt, l, nonSync, nil
}

// acceptAppendLiteral checks a literal's size against the APPEND limit
// before it sends "+" for it.
func (c *Conn) acceptAppendLiteral(size int64, nonSync bool) error {
	if limit := c.appendLimit(); size > limit {
		return &imap.Error{
			Type: imap.StatusResponseTypeNo,
			Code: imap.ResponseCodeTooBig,
			Text: fmt.Sprintf("Literals are limited to %v bytes for this command", limit),
		}
	}
	return c.acceptLiteral(size, nonSync)
}

func (c *Conn) appendLimit() int64 {
	if appendLimitSession, ok := c.session.(SessionAppendLimit); ok {
		return int64(appendLimitSession.AppendLimit())
	}
	return defaultAppendLimit
}
