package store

import (
	"bufio"
	"bytes"
	"mime"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"
)

// Message is a copy of a stored message; changing it does not change the
// store.
type Message struct {
	UID          uint32
	Flags        []string
	InternalDate time.Time // when the store received it (RFC 9051 §2.3.3)
	Size         int64
	Raw          []byte // the message exactly as delivered (RFC 5322)
	// ModSeq is the mod-sequence of the message's last change (RFC 7162
	// §3.1): its arrival or its last flag change.
	ModSeq uint64
}

// message is the stored form. uid, raw, date, subject and from never
// change; flags are replaced, never modified in place.
type message struct {
	uid     uint32
	flags   []string
	date    time.Time
	raw     []byte
	subject string
	from    string
	modSeq  uint64
}

func newMessage(uid uint32, raw []byte, flags []string, date time.Time) *message {
	subject, from := summarize(raw)
	return &message{uid: uid, flags: flags, date: date, raw: raw, subject: subject, from: from}
}

func (m *message) export() Message {
	return Message{UID: m.uid, Flags: slices.Clone(m.flags), InternalDate: m.date,
		Size: int64(len(m.raw)), Raw: bytes.Clone(m.raw), ModSeq: m.modSeq}
}

// summarize reads Subject and From from the header, decoding RFC 2047
// encoded words, for the UI's mailbox panel. A broken header gives empty
// strings: the store keeps every accepted message, parsable or not.
func summarize(raw []byte) (subject, from string) {
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw))).ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return "", ""
	}
	dec := &mime.WordDecoder{}
	subject = decodeHeader(dec, h.Get("Subject"))
	from = decodeHeader(dec, h.Get("From"))
	if addr, err := mail.ParseAddress(from); err == nil {
		from = addr.Address
		if addr.Name != "" {
			from = addr.Name + " <" + addr.Address + ">"
		}
	}
	return subject, from
}

func decodeHeader(dec *mime.WordDecoder, v string) string {
	if s, err := dec.DecodeHeader(v); err == nil {
		v = s
	}
	return strings.TrimSpace(v)
}
