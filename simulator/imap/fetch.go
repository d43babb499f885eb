package imap

import (
	"bytes"
	"errors"
	"io"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/store"
)

// Fetch answers FETCH and UID FETCH (RFC 9051 §6.4.5). Reading BODY[] or
// BINARY[] without .PEEK sets \Seen, and the new flags go into the same
// FETCH response.
func (s *session) Fetch(w *imapserver.FetchWriter, numSet goimap.NumSet, options *goimap.FetchOptions) error {
	v := s.sel
	if err := v.checkSeqSet(numSet); err != nil {
		return err
	}
	refs := v.resolve(numSet)
	if options.Vanished { // RFC 7162 §3.2.6, before the FETCH responses
		if err := s.fetchVanished(w, numSet, options.ChangedSince); err != nil {
			return err
		}
	}
	if len(refs) == 0 {
		return nil
	}
	msgs, err := s.messages(v)
	if err != nil {
		return imapError(err)
	}
	refs = changedSince(refs, msgs, options) // RFC 7162 §3.1.4.1
	seen, err := s.markSeen(v, refs, msgs, options)
	if err != nil {
		return imapError(err)
	}
	told := map[uint32][]string{}
	toldModSeq := map[uint32]uint64{}
	for _, r := range refs {
		m, ok := msgs[r.uid]
		if !ok {
			continue // expunged by someone else; the EXPUNGE comes later
		}
		if options.Flags {
			told[m.UID] = m.Flags
		}
		if options.Flags || options.ModSeq {
			toldModSeq[m.UID] = m.ModSeq
		}
		flags, _ := v.shown(m.UID, m.Flags)
		if err := writeMessage(w.CreateMessage(r.seq), m, flags, options, seen[r.uid], s.condStore()); err != nil {
			return err
		}
	}
	v.remember(told, toldModSeq)
	return nil
}

// messages returns the selected mailbox's messages by UID.
func (s *session) messages(v *view) (map[uint32]store.Message, error) {
	list, err := s.st.Messages(s.user, v.name())
	if err != nil {
		return nil, err
	}
	out := make(map[uint32]store.Message, len(list))
	for _, m := range list {
		out[m.UID] = m
	}
	return out, nil
}

// markSeen sets \Seen where the fetch reads a body (RFC 9051 §6.4.5), not
// in a mailbox opened with EXAMINE, and reports which messages changed.
func (s *session) markSeen(v *view, refs []ref, msgs map[uint32]store.Message, options *goimap.FetchOptions) (map[uint32]bool, error) {
	if v.readOnly || !readsBody(options) {
		return nil, nil
	}
	var uids []uint32
	for _, r := range refs {
		if m, ok := msgs[r.uid]; ok && !store.HasFlag(m.Flags, store.FlagSeen) {
			uids = append(uids, r.uid)
		}
	}
	if len(uids) == 0 {
		return nil, nil
	}
	res, err := s.st.StoreFlags(s.user, v.name(), store.FlagRequest{UIDs: uids, Op: store.FlagsAdd,
		Flags: []string{store.FlagSeen}})
	if err != nil {
		return nil, err
	}
	changed := map[uint32]bool{}
	for uid, f := range res.Flags {
		m := msgs[uid]
		m.Flags, m.ModSeq = f, res.ModSeq[uid]
		msgs[uid] = m
		changed[uid] = true
	}
	v.remember(res.Flags, res.ModSeq)
	return changed, nil
}

func readsBody(options *goimap.FetchOptions) bool {
	for _, bs := range options.BodySection {
		if !bs.Peek {
			return true
		}
	}
	for _, bs := range options.BinarySection {
		if !bs.Peek {
			return true
		}
	}
	return false
}

// writeMessage writes one FETCH response; it always closes rw, since an
// open response writer would block every later response on the connection.
// flags are the ones this session shows (keywords.go, recent.go).
func writeMessage(rw *imapserver.FetchResponseWriter, m store.Message, flags []goimap.Flag, options *goimap.FetchOptions, seenChanged, condStore bool) error {
	if options.UID {
		rw.WriteUID(goimap.UID(m.UID))
	}
	if options.Flags || seenChanged {
		rw.WriteFlags(flags)
	}
	if options.ModSeq || (seenChanged && condStore) { // RFC 7162 §3.1.4
		rw.WriteModSeq(m.ModSeq)
	}
	if options.InternalDate {
		rw.WriteInternalDate(m.InternalDate)
	}
	if options.RFC822Size {
		rw.WriteRFC822Size(m.Size)
	}
	if options.Envelope {
		rw.WriteEnvelope(envelope(m.Raw))
	}
	if options.BodyStructure != nil {
		rw.WriteBodyStructure(imapserver.ExtractBodyStructure(bytes.NewReader(m.Raw)))
	}
	err := writeSections(rw, m.Raw, options)
	return errors.Join(err, rw.Close())
}

func writeSections(rw *imapserver.FetchResponseWriter, raw []byte, options *goimap.FetchOptions) error {
	for _, bs := range options.BodySection {
		buf := withoutNUL(imapserver.ExtractBodySection(bytes.NewReader(raw), bs))
		if err := writeLiteral(rw.WriteBodySection(bs, int64(len(buf))), buf); err != nil {
			return err
		}
	}
	for _, bs := range options.BinarySection {
		buf := imapserver.ExtractBinarySection(bytes.NewReader(raw), bs)
		if err := writeLiteral(rw.WriteBinarySection(bs, int64(len(buf))), buf); err != nil {
			return err
		}
	}
	for _, bss := range options.BinarySectionSize {
		rw.WriteBinarySectionSize(bss, imapserver.ExtractBinarySectionSize(bytes.NewReader(raw), bss))
	}
	return nil
}

// withoutNUL replaces each NUL octet by 0x80, as Dovecot does: BODY[] and
// RFC822 are sent as a plain literal, and a literal must not carry NUL
// (RFC 3501 §9 CHAR8, RFC 9051 §4.3). A message can still hold one (a
// plain-literal APPEND, SMTP); BINARY[] (a literal8) sends it as it is.
func withoutNUL(buf []byte) []byte {
	if bytes.IndexByte(buf, 0) < 0 {
		return buf
	}
	out := bytes.Clone(buf)
	for i, c := range out {
		if c == 0 {
			out[i] = 0x80
		}
	}
	return out
}

func writeLiteral(wc io.WriteCloser, buf []byte) error {
	_, err := wc.Write(buf)
	return errors.Join(err, wc.Close())
}
