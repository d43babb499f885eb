package explain

import (
	"regexp"
	"strings"
)

// enableCmd: ENABLE IMAP4rev2 is the one ENABLE that changes the revision
// of the whole session (RFC 9051 §6.3.1), not only an extension.
func enableCmd(args string) Explanation {
	for _, c := range strings.Fields(args) {
		if strings.EqualFold(c, "IMAP4rev2") {
			return ex("imap.cmd.enable.rev2")
		}
	}
	if key := enableSync(args); key != "" {
		return ex(key, "caps", args)
	}
	return ex("imap.cmd.enable", "caps", args)
}

// selectList marks the LIST an IMAP4rev2 server sends inside SELECT or
// EXAMINE: the mailbox's own name, not an answer to LIST (§6.3.2).
func (m *imapState) selectList(x Explanation) Explanation {
	if m.pendingName("SELECT") || m.pendingName("EXAMINE") {
		return x.with("imap.resp.list.select")
	}
	return x
}

var esearchTag = regexp.MustCompile(`^\(TAG "([^"]*)"\)\s*`)

// esearch reads "* ESEARCH (TAG "T6") UID ALL 1:3" (RFC 4731, RFC 9051
// §7.3.4): which command it answers and what it found; an empty result
// is the answer "nothing matches".
func esearch(tail string) Explanation {
	tag := ""
	if m := esearchTag.FindStringSubmatch(tail); m != nil {
		tag, tail = m[1], tail[len(m[0]):]
	}
	uid := false
	if f := strings.Fields(tail); len(f) > 0 && strings.EqualFold(f[0], "UID") {
		uid, tail = true, strings.TrimSpace(tail[len(f[0]):])
	}
	kind := "seq"
	if uid {
		kind = "uid"
	}
	if tail == "" {
		return ex("imap.resp.esearch.none", "tag", tag)
	}
	return ex("imap.resp.esearch."+kind, "tag", tag, "result", tail)
}
