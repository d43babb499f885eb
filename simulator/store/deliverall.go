package store

import (
	"bytes"
	"time"
)

// Incoming is one message for DeliverAll.
type Incoming struct {
	Raw   []byte
	Flags []string
	Date  time.Time // zero: now
}

// DeliverAll stores several messages in one mailbox, all or none (IMAP
// MULTIAPPEND, RFC 3502 §6.3.11): the quota must hold all of them, and
// they get consecutive UIDs in the given order.
func (s *Store) DeliverAll(address, mailbox string, in []Incoming) ([]Message, error) {
	in = append([]Incoming(nil), in...)
	var total int64
	for i := range in {
		flags, err := normalizeFlags(in[i].Flags)
		if err != nil {
			return nil, err
		}
		in[i].Flags, in[i].Raw = flags, bytes.Clone(in[i].Raw)
		if in[i].Date.IsZero() {
			in[i].Date = time.Now()
		}
		total += int64(len(in[i].Raw))
	}
	var out []Message
	err := s.mutate(func() ([]Change, error) {
		u, mb, err := s.mailboxLocked(address, mailbox)
		if err != nil {
			return nil, err
		}
		if err := s.reserveLocked(u, total); err != nil {
			return nil, err
		}
		var changes []Change
		modSeq := mb.nextModSeq() // one operation: one mod-sequence (RFC 7162 §3.1)
		for _, m := range in {
			msg := u.add(mb, m.Raw, m.Flags, m.Date, modSeq)
			out = append(out, msg.export())
			changes = append(changes, added(u, mb, msg))
		}
		return changes, nil
	})
	return out, err
}
