package explain

import (
	"regexp"
	"strings"
)

// CONDSTORE and QRESYNC (RFC 7162): how a device that kept a mailbox's
// state asks only for what changed since (MODSEQ, CHANGEDSINCE, VANISHED).

// enableSync explains ENABLE CONDSTORE / ENABLE QRESYNC (RFC 7162 §3.1,
// §3.2.3); "" when the ENABLE names neither.
func enableSync(args string) string {
	for _, c := range strings.Fields(args) {
		if strings.EqualFold(c, "QRESYNC") {
			return "imap.cmd.enable.qresync"
		}
	}
	for _, c := range strings.Fields(args) {
		if strings.EqualFold(c, "CONDSTORE") {
			return "imap.cmd.enable.condstore"
		}
	}
	return ""
}

// syncResponse explains the untagged responses QRESYNC adds or extends:
// VANISHED, and ENABLED when it switched on CONDSTORE or QRESYNC.
func (m *imapState) syncResponse(name, tail string) (Explanation, bool) {
	switch name {
	case "VANISHED":
		return m.vanished(tail), true
	case "ENABLED":
		x := enabledSync(ex("imap.resp.enabled", "caps", tail), tail)
		return x, len(x.Details) > 0
	}
	return Explanation{}, false
}

// enabledSync adds what "* ENABLED CONDSTORE QRESYNC" switched on.
func enabledSync(x Explanation, caps string) Explanation {
	up := " " + strings.ToUpper(caps) + " "
	if strings.Contains(up, " QRESYNC ") {
		return x.with("imap.enabled.qresync")
	}
	if strings.Contains(up, " CONDSTORE ") {
		return x.with("imap.enabled.condstore")
	}
	return x
}

var (
	qresyncParam   = regexp.MustCompile(`(?i)\(QRESYNC \((\d+) (\d+)(?: ([0-9:,]+))?`)
	condstoreParam = regexp.MustCompile(`(?i)\(CONDSTORE\)\s*$`)
)

// selectSync explains SELECT/EXAMINE mailbox (QRESYNC (uidvalidity modseq
// known-uids)) (RFC 7162 §3.2.5) and mailbox (CONDSTORE) (§3.1.8); ok is
// false for any other SELECT.
func selectSync(name, args string) (Explanation, bool) {
	m := qresyncParam.FindStringSubmatch(args)
	if m == nil {
		if condstoreParam.MatchString(args) {
			return ex("imap.cmd."+strings.ToLower(name), "mailbox", unquote(firstArg(args))).with("imap.select.condstore"), true
		}
		return Explanation{}, false
	}
	key := "imap.cmd.select.qresync"
	if m[3] == "" {
		key = "imap.cmd.select.qresync.nouids"
	}
	return ex(key, "command", name, "mailbox", unquote(firstArg(args)), "uidvalidity", m[1], "modseq", m[2],
		"uids", m[3]), true
}

var changedSince = regexp.MustCompile(`(?i)\(CHANGEDSINCE (\d+)( VANISHED)?\)\s*$`)

// fetchSync adds the CHANGEDSINCE (and VANISHED) FETCH modifier to a
// FETCH's explanation (RFC 7162 §3.1.4.1, §3.2.6) and MODSEQ among the
// items asked for (§3.1.4.2).
func fetchSync(x Explanation, items string) Explanation {
	if m := changedSince.FindStringSubmatch(items); m != nil {
		x = x.param("modseq", m[1]).with("imap.fetch.changedsince")
		if m[2] != "" {
			x = x.with("imap.fetch.vanished")
		}
	}
	return x
}

var modseqItem = regexp.MustCompile(`(?i)(?:^|[\s(])MODSEQ \((\d+)\)`)

// modseqData adds the MODSEQ item of a FETCH response (RFC 7162 §3.1.4.2).
func modseqData(x Explanation, data string) Explanation {
	if m := modseqItem.FindStringSubmatch(data); m != nil {
		x = x.param("modseq", m[1]).with("imap.item.modseq")
	}
	return x
}

// vanished explains "* VANISHED (EARLIER) uids" and "* VANISHED uids"
// (RFC 7162 §3.2.10): expunged messages named by UID.
func (m *imapState) vanished(tail string) Explanation {
	if rest, ok := strings.CutPrefix(strings.ToUpper(tail), "(EARLIER) "); ok {
		uids := strings.TrimSpace(tail[len(tail)-len(rest):])
		if m.pendingName("SELECT") || m.pendingName("EXAMINE") {
			return ex("imap.resp.vanished.earlier.select", "uids", uids)
		}
		return ex("imap.resp.vanished.earlier", "uids", uids)
	}
	return ex("imap.resp.vanished", "uids", strings.TrimSpace(tail))
}
