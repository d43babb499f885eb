package imap

import (
	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"

	"maillab/simulator/store"
)

var storeOps = map[goimap.StoreFlagsOp]store.FlagOp{
	goimap.StoreFlagsSet: store.FlagsReplace,
	goimap.StoreFlagsAdd: store.FlagsAdd,
	goimap.StoreFlagsDel: store.FlagsRemove,
}

// Store answers STORE and UID STORE (RFC 9051 §6.4.6): the change goes to
// the store, which tells every other session; this session answers with
// the new flags unless .SILENT was asked for.
func (s *session) Store(w *imapserver.FetchWriter, numSet goimap.NumSet, flags *goimap.StoreFlags, _ *goimap.StoreOptions) error {
	v := s.sel
	if v.readOnly {
		return errReadOnly
	}
	if err := v.checkSeqSet(numSet); err != nil {
		return err
	}
	refs := v.resolve(numSet)
	if len(refs) == 0 {
		return nil
	}
	result, err := s.st.SetFlags(s.user, v.name(), uidsOf(refs), storeOps[flags.Op], fromFlags(flags.Flags))
	if err != nil {
		return imapError(err)
	}
	v.rememberAll(result, flags.Silent)
	if flags.Silent {
		return nil
	}
	_, byUID := numSet.(goimap.UIDSet)
	for _, r := range refs {
		f, ok := result[r.uid]
		if !ok {
			continue
		}
		shown, complete := v.shown(r.uid, f)
		if !complete {
			continue // a new keyword: the poll announces it, then sends the flags
		}
		rw := w.CreateMessage(r.seq)
		if byUID {
			rw.WriteUID(goimap.UID(r.uid))
		}
		rw.WriteFlags(shown)
		if err := rw.Close(); err != nil {
			return err
		}
	}
	return nil
}
