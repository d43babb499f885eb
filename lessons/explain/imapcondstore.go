package explain

import (
	"regexp"
	"strings"
)

// CONDSTORE (RFC 7162 §3.1) in commands and responses beyond the
// resynchronisation lesson: STORE's UNCHANGEDSINCE with the MODIFIED code
// that answers it, SEARCH MODSEQ with the "(MODSEQ n)" its result ends
// with, and STATUS HIGHESTMODSEQ. Each adds a detail to the explanation
// of the command or response it belongs to.

var (
	unchangedSince = regexp.MustCompile(`(?i)^(\S+) \(UNCHANGEDSINCE (\d+)\) `)
	searchModSeq   = regexp.MustCompile(`(?i)(?:^|[\s(])MODSEQ (?:"[^"]*" \w+ )?(\d+)`)
	resultModSeq   = regexp.MustCompile(`(?i)\s*\(?MODSEQ (\d+)\)?\s*$`)
	highestModSeq  = regexp.MustCompile(`(?i)HIGHESTMODSEQ(?: (\d+))?`)
)

// cutUnchangedSince takes "(UNCHANGEDSINCE n)" out of STORE's arguments
// ("set (UNCHANGEDSINCE n) +FLAGS ...") and returns n ("" without).
func cutUnchangedSince(args string) (rest, modSeq string) {
	m := unchangedSince.FindStringSubmatch(args)
	if m == nil {
		return args, ""
	}
	return m[1] + " " + args[len(m[0]):], m[2]
}

// withUnchangedSince: the STORE happens only to messages not changed
// since modseq n (RFC 7162 §3.1.3).
func withUnchangedSince(x Explanation, modSeq string) Explanation {
	if modSeq == "" {
		return x
	}
	return x.param("modseq", modSeq).with("imap.store.unchangedsince")
}

// withSearchModSeq: SEARCH MODSEQ n finds the messages changed at or
// after modseq n (RFC 7162 §3.1.5).
func withSearchModSeq(x Explanation, criteria string) Explanation {
	if m := searchModSeq.FindStringSubmatch(criteria); m != nil {
		return x.param("modseq", m[1]).with("imap.search.modseq")
	}
	return x
}

// cutResultModSeq takes the "(MODSEQ n)" that ends a SEARCH response, or
// the "MODSEQ n" that ends an ESEARCH response, off the result.
func cutResultModSeq(tail string) (rest, modSeq string) {
	m := resultModSeq.FindStringSubmatchIndex(tail)
	if m == nil {
		return tail, ""
	}
	return strings.TrimSpace(tail[:m[0]]), tail[m[2]:m[3]]
}

// withResultModSeq: the highest MODSEQ among the messages found, which
// the client remembers for its next SEARCH MODSEQ (RFC 7162 §3.1.5).
func withResultModSeq(x Explanation, modSeq string) Explanation {
	if modSeq == "" {
		return x
	}
	return x.param("modseq", modSeq).with("imap.resp.search.modseq")
}

// withStatusModSeq: STATUS asking for, or answering with, HIGHESTMODSEQ
// (RFC 7162 §3.1.6).
func withStatusModSeq(x Explanation, items string) Explanation {
	m := highestModSeq.FindStringSubmatch(items)
	if m == nil {
		return x
	}
	if m[1] == "" {
		return x.with("imap.status.highestmodseq")
	}
	return x.param("modseq", m[1]).with("imap.status.highestmodseq.value")
}

// condStoreKeys are this file's keys with their RFC sections, kept apart
// from table's big aligned block so that adding them touches no other line.
var condStoreKeys = map[string]string{
	"imap.store.unchangedsince":       "RFC 7162 §3.1.3",
	"imap.code.modified":              "RFC 7162 §3.1.3",
	"imap.search.modseq":              "RFC 7162 §3.1.5",
	"imap.resp.search.modseq":         "RFC 7162 §3.1.5",
	"imap.status.highestmodseq":       "RFC 7162 §3.1.6",
	"imap.status.highestmodseq.value": "RFC 7162 §3.1.6",
}

func init() {
	for k, ref := range condStoreKeys {
		table[k] = ref
	}
}
