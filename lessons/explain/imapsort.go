package explain

import (
	"regexp"
	"strings"
)

// sortCmd: "SORT [RETURN (opts)] (program) charset criteria" (RFC 5256 §3,
// RFC 5267 §3), with a detail for each sort key that needs one.
func sortCmd(args string) Explanation {
	opts := ""
	rest, esort := cutWordFold(args, "RETURN")
	if esort {
		opts, args = cutParens(rest)
	}
	program, rest := cutParens(args)
	charset, criteria, _ := strings.Cut(rest, " ")
	x := ex("imap.cmd.sort", "program", program, "charset", charset, "criteria", criteria)
	if esort {
		if opts == "" {
			opts = "ALL"
		}
		x = ex("imap.cmd.sort.return", "opts", opts, "program", program, "charset", charset, "criteria", criteria)
	}
	keys := map[string]bool{}
	for _, k := range strings.Fields(strings.ToUpper(program)) {
		keys[k] = true
	}
	for _, d := range []struct {
		key    string
		detail string
	}{
		{"SUBJECT", "imap.sort.subject"},
		{"DATE", "imap.sort.date"},
		{"FROM", "imap.sort.address"}, {"TO", "imap.sort.address"}, {"CC", "imap.sort.address"},
		{"DISPLAYFROM", "imap.sort.display"}, {"DISPLAYTO", "imap.sort.display"},
		{"REVERSE", "imap.sort.reverse"},
	} {
		if keys[d.key] {
			x = x.with(d.detail)
		}
	}
	return x
}

// cutWordFold cuts a leading word (any case) and the space after it.
func cutWordFold(s, word string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > len(word) && strings.EqualFold(s[:len(word)], word) && s[len(word)] == ' ' {
		return strings.TrimSpace(s[len(word)+1:]), true
	}
	return s, false
}

// cutParens splits "(a b) rest" into "a b" and "rest".
func cutParens(s string) (inside, rest string) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") {
		return "", s
	}
	end := strings.IndexByte(s, ')')
	if end < 0 {
		return s[1:], ""
	}
	return s[1:end], strings.TrimSpace(s[end+1:])
}

// sortResponse: "* SORT 2 4 1" (RFC 5256 §4), the numbers in sort order.
func sortResponse(ids string) Explanation {
	if strings.TrimSpace(ids) == "" {
		return ex("imap.resp.sort.none")
	}
	return ex("imap.resp.sort", "ids", ids)
}

// sortESearch marks the ESEARCH that answers a SORT RETURN (…) (RFC 5267
// §3): ALL is in sort order, MIN and MAX are the first and the last.
// An ESEARCH without data that answers RETURN (UPDATE) alone does not
// mean "nothing matches": no data was asked for (RFC 5267 §4.3).
func (m *imapState) sortESearch(x Explanation, tail string) Explanation {
	t := esearchTag.FindStringSubmatch(tail)
	if t == nil {
		return x
	}
	cmd := m.pending[t[1]]
	if strings.HasSuffix(x.Key, "imap.resp.esearch.none") && onlyUpdate(cmd.args) {
		x = ex("imap.resp.esearch.watch", "tag", t[1])
	}
	if cmd.name == "SORT" {
		x = x.with("imap.resp.esearch.sort")
	}
	return x
}

// onlyUpdate: RETURN (…) asks for UPDATE and for no result data.
func onlyUpdate(args string) bool {
	up := strings.ToUpper(args)
	i := strings.Index(up, "RETURN (")
	if i < 0 {
		return false
	}
	opts, _ := cutParens(up[i+len("RETURN "):])
	update := false
	for _, f := range strings.Fields(opts) {
		switch f {
		case "UPDATE":
			update = true
		case "MIN", "MAX", "ALL", "COUNT", "PARTIAL":
			return false
		}
	}
	return update
}

// contextOpts adds what CONTEXT, UPDATE and PARTIAL (RFC 5267 §4.2–4.4)
// and SAVE (RFC 5182) in a SEARCH's or SORT's RETURN (…) do.
func contextOpts(x Explanation, args string) Explanation {
	up := strings.ToUpper(args)
	i := strings.Index(up, "RETURN (")
	if i < 0 {
		return x
	}
	opts, _ := cutParens(up[i+len("RETURN "):])
	for _, d := range []struct{ opt, key string }{
		{"CONTEXT", "imap.search.context"}, {"UPDATE", "imap.search.update"}, {"PARTIAL", "imap.search.partial"},
		{"SAVE", "imap.search.save"},
	} {
		for _, f := range strings.Fields(opts) {
			if f == d.opt {
				x = x.with(d.key)
				break
			}
		}
	}
	return x
}

var contextChange = regexp.MustCompile(`(?i)\b(ADDTO|REMOVEFROM) \((\d+)`)

// contextESearch: "* ESEARCH (TAG "a") [UID] ADDTO (0 3) REMOVEFROM (…)"
// is news about an updating context, not an answer (RFC 5267 §4.3);
// "PARTIAL (1:5 …)" answers RETURN (PARTIAL) (§4.4).
func contextESearch(x Explanation, tail string) Explanation {
	changes := contextChange.FindAllStringSubmatch(tail, -1)
	if changes == nil {
		if strings.Contains(strings.ToUpper(tail), " PARTIAL (") {
			x = x.with("imap.resp.esearch.partial")
		}
		return x
	}
	tag, rest := "", tail
	if t := esearchTag.FindStringSubmatch(tail); t != nil {
		tag, rest = t[1], tail[len(t[0]):]
	}
	uid := false
	if f := strings.Fields(rest); len(f) > 0 && strings.EqualFold(f[0], "UID") {
		uid, rest = true, strings.TrimSpace(rest[len(f[0]):])
	}
	x = ex("imap.resp.esearch.update", "tag", tag, "result", rest)
	if uid {
		x = x.with("imap.uid")
	}
	for _, c := range changes {
		if c[2] != "0" {
			return x.with("imap.resp.esearch.position")
		}
	}
	return x
}
