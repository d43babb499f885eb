package imap

import (
	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/store"
)

// Expunge removes the messages flagged \Deleted (RFC 9051 §6.4.3), or only
// those in uids for UID EXPUNGE (RFC 4315 §2.1). The EXPUNGE responses
// come from the store's changes, written by the poll that ends the command.
func (s *session) Expunge(w *imapserver.ExpungeWriter, uids *goimap.UIDSet) error {
	v := s.sel
	if v.readOnly {
		// CLOSE expunges through a writer without a connection; on a
		// read-only mailbox it must silently leave the messages (RFC 9051
		// §6.4.1).
		if *w == (imapserver.ExpungeWriter{}) {
			return nil
		}
		return errReadOnly
	}
	msgs, err := s.st.Messages(s.user, v.name())
	if err != nil {
		return imapError(err)
	}
	var doomed []uint32
	for _, m := range msgs {
		if store.HasFlag(m.Flags, store.FlagDeleted) && (uids == nil || uids.Contains(goimap.UID(m.UID))) {
			doomed = append(doomed, m.UID)
		}
	}
	if len(doomed) == 0 {
		return nil
	}
	return imapError(s.st.Delete(s.user, v.name(), doomed))
}

// Copy answers COPY and UID COPY (RFC 9051 §6.4.7) with COPYUID (RFC 4315).
func (s *session) Copy(numSet goimap.NumSet, dest string) (*goimap.CopyData, error) {
	v := s.sel
	if err := v.checkSeqSet(numSet); err != nil {
		return nil, err
	}
	refs := v.resolve(numSet)
	res, err := s.st.Copy(s.user, v.name(), dest, uidsOf(refs))
	if err != nil {
		return nil, tryCreate(err)
	}
	return copyData(res), nil
}

// Move answers MOVE and UID MOVE (RFC 6851 §3.3): COPYUID first, then the
// EXPUNGE responses, which the poll after the command writes.
func (s *session) Move(w *imapserver.MoveWriter, numSet goimap.NumSet, dest string) error {
	v := s.sel
	if v.readOnly {
		return errReadOnly
	}
	if err := v.checkSeqSet(numSet); err != nil {
		return err
	}
	refs := v.resolve(numSet)
	res, err := s.st.Move(s.user, v.name(), dest, uidsOf(refs))
	if err != nil {
		return tryCreate(err)
	}
	if data := copyData(res); data != nil {
		return w.WriteCopyData(data)
	}
	return nil
}

// copyData is nil when nothing was copied: an empty COPYUID is invalid.
func copyData(res store.CopyResult) *goimap.CopyData {
	if len(res.SourceUIDs) == 0 {
		return nil
	}
	return &goimap.CopyData{UIDValidity: res.UIDValidity, SourceUIDs: uidSetOf(res.SourceUIDs),
		DestUIDs: uidSetOf(res.DestUIDs)}
}
