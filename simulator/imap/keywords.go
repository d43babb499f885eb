package imap

import (
	"slices"

	goimap "github.com/emersion/go-imap/v2"

	"maillab/simulator/store"
)

// Keywords are announced before they are used: RFC 3501 §7.2.6 and RFC
// 9051 §7.3.5 have the client record the FLAGS response, and a FETCH that
// shows a keyword the mailbox's FLAGS did not list breaks clients (and is
// what imaptest reports as "Keyword used without being in FLAGS"). When a
// STORE, COPY or APPEND brings a new keyword into a mailbox, every session
// that has it selected gets a new "* FLAGS (...)" in its next poll, before
// the FETCH or EXISTS that uses it, and then the PERMANENTFLAGS with it,
// as Dovecot does.

// mailboxFlags lists the system flags and every keyword in use, for the
// FLAGS response of SELECT.
func mailboxFlags(msgs []store.Message) []string {
	flags := store.SystemFlags()
	for _, m := range msgs {
		for _, f := range m.Flags {
			if !store.HasFlag(flags, f) {
				flags = append(flags, f)
			}
		}
	}
	return flags
}

// permanentFlags is what PERMANENTFLAGS lists (RFC 9051 §7.1): the
// mailbox's flags, which a client may set for good, and \* (it may create
// keywords); nothing in a mailbox opened read-only, as Dovecot says.
func permanentFlags(flags []string, readOnly bool) []goimap.Flag {
	if readOnly {
		return []goimap.Flag{}
	}
	return append(toFlags(flags), goimap.FlagWildcard)
}

// announceLocked adds a FLAGS response to ups if flags hold a keyword the
// client has not been told.
func (v *view) announceLocked(ups []update, flags []string) []update {
	fresh := false
	for _, f := range flags {
		if !store.HasFlag(v.keywords, f) {
			v.keywords = append(v.keywords, f)
			fresh = true
		}
	}
	if !fresh {
		return ups
	}
	return append(ups, update{mailboxFlags: slices.Clone(v.keywords)})
}

// shownLocked is what a FETCH response says of message i's flags: the
// stored flags the client was told of, plus \Recent where it is recent.
func (v *view) shownLocked(i int, flags []string) []goimap.Flag {
	out := make([]goimap.Flag, 0, len(flags)+1)
	for _, f := range flags {
		if store.HasFlag(v.keywords, f) {
			out = append(out, goimap.Flag(f))
		}
	}
	if v.msgs[i].recent && v.showRecentLocked() {
		out = append(out, flagRecent)
	}
	return out
}

// shown is shownLocked for a running FETCH or STORE, which answers from the
// store: complete reports whether every flag was shown. A message whose
// flags are not complete must not be remembered, so the poll that ends
// the command announces the keyword and sends the whole set.
func (v *view) shown(uid uint32, flags []string) (out []goimap.Flag, complete bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	i, ok := v.indexLocked(uid)
	if !ok {
		return toFlags(flags), true
	}
	return v.shownLocked(i, flags), v.announcedLocked(flags)
}

func (v *view) announcedLocked(flags []string) bool {
	for _, f := range flags {
		if !store.HasFlag(v.keywords, f) {
			return false
		}
	}
	return true
}
