package imapserver

import (
	"io"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/internal/imapwire"
)

// Maillab patch 21: MULTIAPPEND (RFC 3502), several messages in one
// APPEND, stored all or none.
//
//	append = "APPEND" SP mailbox 1*append-message
//	append-message = append-opts SP append-data

// AppendMessage is one message of an APPEND command, read completely.
type AppendMessage struct {
	Options imap.AppendOptions
	Literal []byte
}

// MultiAppendData is what APPENDUID reports for a MULTIAPPEND: the UIDs of
// all messages stored, in order (RFC 4315 §3, RFC 3502 §6.3.11).
type MultiAppendData struct {
	UIDValidity uint32
	UIDs        imap.UIDSet
}

// SessionMultiAppend is an IMAP session which supports MULTIAPPEND. It
// handles every APPEND, with one message or more.
type SessionMultiAppend interface {
	Session

	// Authenticated state
	AppendMessages(mailbox string, msgs []AppendMessage) (*MultiAppendData, error)
}

func (c *Conn) handleMultiAppend(tag string, dec *imapwire.Decoder, mailbox string, session SessionMultiAppend) error {
	c.setReadTimeout(literalReadTimeout)
	defer c.setReadTimeout(cmdReadTimeout)

	var msgs []AppendMessage
	for {
		options, dataExt, lit, err := c.readAppendMessage(dec)
		if err != nil {
			return err
		}
		raw, err := io.ReadAll(lit)
		if err != nil {
			return err // cut short: nothing is stored
		}
		if dataExt != "" && !dec.ExpectSpecial(')') {
			return dec.Err()
		}
		msgs = append(msgs, AppendMessage{Options: *options, Literal: raw})
		if !dec.SP() {
			break
		}
	}
	if !dec.ExpectCRLF() {
		return dec.Err()
	}
	if err := c.checkState(imap.ConnStateAuthenticated); err != nil {
		return err
	}
	data, err := session.AppendMessages(mailbox, msgs)
	if err != nil {
		return err
	}
	if err := c.poll("APPEND"); err != nil {
		return err
	}

	enc := newResponseEncoder(c)
	defer enc.end()
	enc.Atom(tag).SP().Atom("OK").SP()
	if data != nil {
		enc.Special('[').Atom("APPENDUID").SP().Number(data.UIDValidity).SP().NumSet(data.UIDs).Special(']').SP()
	}
	enc.Text("APPEND completed")
	return enc.CRLF()
}
