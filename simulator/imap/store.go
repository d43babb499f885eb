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
//
// With CONDSTORE (RFC 7162 §3.1.3) UNCHANGEDSINCE leaves the messages
// changed after it alone and lists them in OK [MODIFIED set]; the FETCH
// responses carry MODSEQ, and even .SILENT gets one (MODSEQ only) for each
// message the STORE changed and, with UNCHANGEDSINCE, for each message
// that passed the test (RFC 7162 §3.1.3: "even if the .SILENT suffix is
// specified").
func (s *session) Store(w *imapserver.FetchWriter, numSet goimap.NumSet, flags *goimap.StoreFlags, options *goimap.StoreOptions) error {
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
	res, err := s.st.StoreFlags(s.user, v.name(), store.FlagRequest{UIDs: uidsOf(refs), Op: storeOps[flags.Op],
		Flags: fromFlags(flags.Flags), Conditional: options.Conditional, UnchangedSince: options.UnchangedSince})
	if err != nil {
		return imapError(err)
	}
	result := res.Flags
	v.rememberAll(result, res.ModSeq, flags.Silent)
	_, byUID := numSet.(goimap.UIDSet)
	condStore := s.condStore()
	if flags.Silent && !condStore {
		return nil
	}
	for _, r := range refs {
		f, ok := result[r.uid]
		if !ok {
			continue
		}
		modSeq := res.ModSeq[r.uid]
		if flags.Silent && !res.Changed[r.uid] && !options.Conditional {
			continue // .SILENT: a MODSEQ where the STORE changed something, or passed UNCHANGEDSINCE
		}
		shown, complete := v.shown(r.uid, f)
		if !complete && !flags.Silent {
			continue // a new keyword: the poll announces it, then sends the flags
		}
		rw := w.CreateMessage(r.seq)
		if byUID {
			rw.WriteUID(goimap.UID(r.uid))
		}
		if !flags.Silent {
			rw.WriteFlags(shown)
		}
		if condStore {
			rw.WriteModSeq(modSeq)
		}
		if err := rw.Close(); err != nil {
			return err
		}
	}
	return modifiedError(v, res.Modified, byUID)
}
