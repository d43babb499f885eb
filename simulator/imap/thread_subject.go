package imap

import "strings"

// threadSubject extracts the base subject of RFC 5256 §2.1 and tells
// whether the subject marks a reply or forward ("Re:", "Fwd:", a "(fwd)"
// trailer or a "[fwd: …]" wrapper), which THREAD=REFERENCES needs when it
// merges threads by subject (§3, REFERENCES step 5). The base subject is compared
// case-insensitively, as Dovecot does.
func threadSubject(raw string) (base string, reply bool) {
	s := strings.Join(strings.Fields(decodeWords(raw)), " ") // §2.1 (1)
	for {
		var r bool
		s, r = trimTrailers(s) // (2)
		reply = reply || r
		for changed := true; changed; { // (3)–(5)
			changed = false
			if rest, r, ok := trimLeader(s); ok {
				s, reply, changed = rest, reply || r, true
			}
			if n := blobLen(s); n > 0 && n < len(s) {
				s, changed = s[n:], true
			}
		}
		if len(s) >= 6 && strings.EqualFold(s[:5], "[fwd:") && s[len(s)-1] == ']' { // (6)
			s, reply = s[5:len(s)-1], true
			continue
		}
		return s, reply
	}
}

// trimTrailers removes subj-trailer = "(fwd)" / WSP from the end.
func trimTrailers(s string) (string, bool) {
	fwd := false
	for {
		switch {
		case strings.HasSuffix(s, " "):
			s = s[:len(s)-1]
		case len(s) >= 5 && strings.EqualFold(s[len(s)-5:], "(fwd)"):
			s, fwd = s[:len(s)-5], true
		default:
			return s, fwd
		}
	}
}

// trimLeader removes one subj-leader = (*subj-blob subj-refwd) / WSP;
// reply is true when it was a subj-refwd = ("re" / ("fw" ["d"])) *WSP
// [subj-blob] ":".
func trimLeader(s string) (rest string, reply, ok bool) {
	if strings.HasPrefix(s, " ") {
		return s[1:], false, true
	}
	i := 0
	for n := blobLen(s[i:]); n > 0; n = blobLen(s[i:]) {
		i += n
	}
	lower := strings.ToLower(s[i:])
	switch {
	case strings.HasPrefix(lower, "fwd"):
		i += 3
	case strings.HasPrefix(lower, "fw"), strings.HasPrefix(lower, "re"):
		i += 2
	default:
		return s, false, false
	}
	i += len(s[i:]) - len(strings.TrimLeft(s[i:], " "))
	i += blobLen(s[i:])
	if i >= len(s) || s[i] != ':' {
		return s, false, false
	}
	return s[i+1:], true, true
}

// blobLen is the length of a subj-blob = "[" *BLOBCHAR "]" *WSP at the
// start of s, 0 if there is none.
func blobLen(s string) int {
	if !strings.HasPrefix(s, "[") {
		return 0
	}
	end := strings.IndexAny(s[1:], "[]")
	if end < 0 || s[1+end] != ']' {
		return 0
	}
	n := end + 2
	return n + len(s[n:]) - len(strings.TrimLeft(s[n:], " "))
}
