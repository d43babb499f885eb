package imapserver

import (
	"fmt"
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
	// AppendCheck tells before any message is read whether mailbox can
	// take messages (NO [TRYCREATE] if it does not exist), and how many
	// octets the messages of one APPEND may have together: the quota's
	// room, negative for no limit.
	AppendCheck(mailbox string) (room int64, err error)
	AppendMessages(mailbox string, msgs []AppendMessage) (*MultiAppendData, error)
}

// appendReader reads the messages of one APPEND. Once the command has
// failed it reads on without storing: a non-synchronising literal is
// discarded, and at a synchronising one it stops, since the client waits
// for "+" and the tagged NO answers it instead (as Dovecot does).
type appendReader struct {
	c       *Conn
	dec     *imapwire.Decoder
	session SessionMultiAppend
	failed  error
	room    int64 // octets the messages may still have; negative: no limit
	total   int64 // octets read so far
	count   int   // messages begun
}

func (c *Conn) handleMultiAppend(tag string, dec *imapwire.Decoder, mailbox string, session SessionMultiAppend) error {
	c.setReadTimeout(literalReadTimeout)
	defer c.setReadTimeout(cmdReadTimeout)

	a := &appendReader{c: c, dec: dec, session: session, room: -1}
	stateErr := c.checkState(imap.ConnStateAuthenticated) // answered at the end, as beta.9 does
	if stateErr == nil {
		a.room, a.failed = session.AppendCheck(mailbox)
	}
	var msgs []AppendMessage
	for {
		options, dataExt, lit, nonSync, err := c.readAppendMessage(dec)
		if err != nil {
			return a.first(err)
		}
		a.count++
		var raw []byte
		if dataExt == "CATENATE" {
			raw, err = a.catenate()
		} else {
			if lit.Size() == 0 && a.failed == nil { // as Dovecot
				a.failed = &imap.Error{Type: imap.StatusResponseTypeNo, Text: "Can't save a zero byte message."}
			}
			raw, err = a.literal(lit, nonSync)
			if err == nil && dataExt != "" && !dec.ExpectSpecial(')') {
				err = dec.Err()
			}
		}
		if err != nil {
			return a.first(err)
		}
		msgs = append(msgs, AppendMessage{Options: *options, Literal: raw})
		if !dec.SP() {
			break
		}
	}
	if !dec.ExpectCRLF() {
		return a.first(dec.Err())
	}
	if stateErr != nil {
		return stateErr
	}
	if a.failed != nil {
		return a.failed
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

// first is the error the command ends with: a broken connection, else
// the first failure.
func (a *appendReader) first(err error) error {
	if a.failed != nil && !isConnReadErr(err) {
		return a.failed
	}
	return err
}

// literal returns a literal's data, or nothing once the command failed.
func (a *appendReader) literal(lit imap.LiteralReader, nonSync bool) ([]byte, error) {
	if a.failed == nil {
		a.grow(lit.Size())
	}
	if a.failed == nil {
		if err := a.c.acceptAppendLiteral(lit.Size(), nonSync); err != nil {
			a.failed = err
		}
	}
	if a.failed != nil {
		if !nonSync {
			return nil, a.failed
		}
		_, err := io.Copy(io.Discard, lit)
		return nil, err
	}
	raw, err := io.ReadAll(lit)
	if err != nil {
		return nil, err // cut short: nothing is stored
	}
	return raw, nil
}

// grow accounts for n more octets of the command's messages; beyond the
// quota's room the command fails before the data is read (and held in
// memory), as the guard refuses a single message's literal.
func (a *appendReader) grow(n int64) {
	a.total += n
	if a.room >= 0 && a.total > a.room && a.failed == nil {
		what := "the message needs"
		if a.count > 1 {
			what = "the messages need"
		}
		a.failed = &imap.Error{
			Type: imap.StatusResponseTypeNo,
			Code: imap.ResponseCodeOverQuota,
			Text: fmt.Sprintf("Mailbox full: %s %d octets, %d are left", what, a.total, a.room),
		}
	}
}
