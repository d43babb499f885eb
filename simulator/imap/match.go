package imap

import (
	"bytes"
	"io"
	"strings"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	gomessage "github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"maillab/simulator/store"
)

// candidate is one message under test by SEARCH; the header is parsed
// only when a key needs it.
type candidate struct {
	seq    uint32
	m      store.Message
	header *mail.Header
	recent bool // \Recent in the searching session (recent.go)
}

func newCandidate(seq uint32, m store.Message) *candidate {
	return &candidate{seq: seq, m: m}
}

// entity parses the message; a broken one is searched as empty.
func (c *candidate) entity() *gomessage.Entity {
	e, _ := gomessage.Read(bytes.NewReader(c.m.Raw))
	if e == nil {
		e, _ = gomessage.New(gomessage.Header{}, bytes.NewReader(nil))
	}
	return e
}

func (c *candidate) mailHeader() *mail.Header {
	if c.header == nil {
		c.header = &mail.Header{Header: c.entity().Header}
	}
	return c.header
}

// matches applies the search keys of RFC 9051 §6.4.4; all given keys must
// hold.
func (c *candidate) matches(k *goimap.SearchCriteria) bool {
	if k.ModSeq != nil && c.m.ModSeq < k.ModSeq.ModSeq { // RFC 7162 §3.1.5 (condstore.go)
		return false
	}
	return c.matchNumbers(k) && c.matchFlags(k) && c.matchSizeAndDates(k) &&
		c.matchHeaders(k) && c.matchText(k) && c.matchLogic(k)
}

func (c *candidate) matchNumbers(k *goimap.SearchCriteria) bool {
	for _, set := range k.SeqNum {
		if !set.Contains(c.seq) {
			return false
		}
	}
	for _, set := range k.UID {
		if !set.Contains(goimap.UID(c.m.UID)) {
			return false
		}
	}
	return true
}

// matchFlags: RECENT, NEW (RECENT UNSEEN) and OLD (NOT RECENT) test the
// session's \Recent, which is not stored.
func (c *candidate) matchFlags(k *goimap.SearchCriteria) bool {
	for _, f := range k.Flag {
		if !c.hasFlag(f) {
			return false
		}
	}
	for _, f := range k.NotFlag {
		if c.hasFlag(f) {
			return false
		}
	}
	return true
}

func (c *candidate) hasFlag(f goimap.Flag) bool {
	if store.HasFlag([]string{string(flagRecent)}, string(f)) {
		return c.recent
	}
	return store.HasFlag(c.m.Flags, string(f))
}

func (c *candidate) matchSizeAndDates(k *goimap.SearchCriteria) bool {
	if (k.Larger != 0 && c.m.Size <= k.Larger) || (k.Smaller != 0 && c.m.Size >= k.Smaller) {
		return false
	}
	if !inDateRange(c.m.InternalDate, k.Since, k.Before) {
		return false
	}
	if k.SentSince.IsZero() && k.SentBefore.IsZero() {
		return true
	}
	sent, err := c.mailHeader().Date()
	return err == nil && inDateRange(sent, k.SentSince, k.SentBefore)
}

// inDateRange compares dates only, ignoring time and zone (RFC 9051
// §6.4.4: "disregarding time and timezone").
func inDateRange(t, since, before time.Time) bool {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return (since.IsZero() || !t.Before(since)) && (before.IsZero() || t.Before(before))
}

func (c *candidate) matchHeaders(k *goimap.SearchCriteria) bool {
	for _, field := range k.Header {
		if !matchFields(c.mailHeader().FieldsByKey(field.Key), field.Value) &&
			!matchAddressFields(c.mailHeader().FieldsByKey(field.Key), field.Key, field.Value) {
			return false
		}
	}
	return true
}

// matchFields: an empty value matches any message that has the field.
func matchFields(fields gomessage.HeaderFields, value string) bool {
	if value == "" {
		return fields.Len() > 0
	}
	for fields.Next() {
		if v, err := fields.Text(); err == nil && containsFold(v, value) {
			return true
		}
	}
	return false
}

func (c *candidate) matchText(k *goimap.SearchCriteria) bool {
	for _, s := range k.Text {
		if !matchEntity(c.entity(), s, true) {
			return false
		}
	}
	for _, s := range k.Body {
		if !matchEntity(c.entity(), s, false) {
			return false
		}
	}
	return true
}

func (c *candidate) matchLogic(k *goimap.SearchCriteria) bool {
	for i := range k.Not {
		if c.matches(&k.Not[i]) {
			return false
		}
	}
	for i := range k.Or {
		if !c.matches(&k.Or[i][0]) && !c.matches(&k.Or[i][1]) {
			return false
		}
	}
	return true
}

// matchEntity looks for s in the text parts of a message, and in the
// header too for TEXT.
func matchEntity(e *gomessage.Entity, s string, withHeader bool) bool {
	if withHeader && matchFields(e.Header.Fields(), s) {
		return true
	}
	if mr := e.MultipartReader(); mr != nil {
		for {
			part, err := mr.NextPart()
			if err != nil {
				return false
			}
			if matchEntity(part, s, withHeader) {
				return true
			}
		}
	}
	t, _, _ := e.Header.ContentType()
	if t != "" && !strings.HasPrefix(t, "text/") && !strings.HasPrefix(t, "message/") {
		return false
	}
	body, err := io.ReadAll(e.Body)
	return err == nil && containsFold(string(body), s)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
