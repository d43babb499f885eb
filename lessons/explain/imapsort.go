package explain

import (
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
func (m *imapState) sortESearch(x Explanation, tail string) Explanation {
	if t := esearchTag.FindStringSubmatch(tail); t != nil && m.pending[t[1]].name == "SORT" {
		return x.with("imap.resp.esearch.sort")
	}
	return x
}
