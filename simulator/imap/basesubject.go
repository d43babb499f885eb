package imap

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Base subject extraction of RFC 5256 §2.1, shared by SORT (SUBJECT) and
// THREAD=ORDEREDSUBJECT / THREAD=REFERENCES: "Re: [list] Fwd: Hello (fwd)"
// and "hello" have the same base subject.

// baseSubject returns the base subject of a Subject header value (raw, with
// RFC 2047 encoded words) in the canonical form of the i;unicode-casemap
// collation (RFC 5051 §2: each character titlecased, then NFKD), as Dovecot's
// imap_get_base_subject_cased does. Two subjects are "the same" for SORT and
// THREAD when their base subjects are equal, and sort in byte order of them.
func baseSubject(s string) string {
	s = casemap(collapseSpace(decodeWords(s))) // step 1
	for {
		s = trimSubjTrailers(s) // step 2
		s = trimSubjLeaders(s)  // steps 3 to 5
		// step 6: "[fwd: …]" wraps a forwarded subject
		if strings.HasPrefix(s, "[FWD:") && strings.HasSuffix(s, "]") {
			s = s[len("[FWD:") : len(s)-1]
			continue
		}
		return s // step 7
	}
}

// casemap puts s in the canonical form of i;unicode-casemap (RFC 5051 §2):
// two strings are equal under the collation when their forms are equal, and
// ordered as their forms compare byte by byte. For ASCII it is upper case.
func casemap(s string) string {
	return norm.NFKD.String(strings.Map(unicode.ToTitle, s))
}

// collapseSpace turns tabs and folded line breaks into spaces and runs of
// spaces into one (RFC 5256 §2.1 step 1).
func collapseSpace(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if space && b.Len() > 0 {
		b.WriteByte(' ')
	}
	return b.String()
}

// trimSubjTrailers removes subj-trailer = "(fwd)" / WSP from the end, as
// often as it matches (step 2). s is already case-mapped.
func trimSubjTrailers(s string) string {
	for {
		switch {
		case strings.HasSuffix(s, " "):
			s = s[:len(s)-1]
		case strings.HasSuffix(s, "(FWD)"):
			s = s[:len(s)-len("(FWD)")]
		default:
			return s
		}
	}
}

// trimSubjLeaders applies steps 3 to 5: remove every subj-leader
// ("Re:", "[list] Fwd:", spaces), then one leading subj-blob ("[list] ")
// when something remains after it, and again until nothing changes.
func trimSubjLeaders(s string) string {
	for {
		for {
			if strings.HasPrefix(s, " ") {
				s = s[1:]
			} else if n := subjLeader(s); n > 0 {
				s = s[n:]
			} else {
				break
			}
		}
		n := subjBlob(s, 0)
		if n == 0 || n == len(s) {
			return s
		}
		s = s[n:]
	}
}

// subjLeader returns the length of the prefix *subj-blob subj-refwd, or 0:
//
//	subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
func subjLeader(s string) int {
	i := 0
	for n := subjBlob(s, i); n > 0; n = subjBlob(s, i) {
		i = n
	}
	switch {
	case strings.HasPrefix(s[i:], "RE"):
		i += 2
	case strings.HasPrefix(s[i:], "FWD"):
		i += 3
	case strings.HasPrefix(s[i:], "FW"):
		i += 2
	default:
		return 0
	}
	i = skipSpaces(s, i)
	if n := subjBlob(s, i); n > 0 {
		i = n
	}
	if i < len(s) && s[i] == ':' {
		return i + 1
	}
	return 0
}

// subjBlob returns the end of the subj-blob = "[" *BLOBCHAR "]" *WSP that
// starts at i (BLOBCHAR is anything but brackets), or 0 if none does.
func subjBlob(s string, i int) int {
	if i >= len(s) || s[i] != '[' {
		return 0
	}
	end := strings.IndexAny(s[i+1:], "[]")
	if end < 0 || s[i+1+end] != ']' {
		return 0
	}
	return skipSpaces(s, i+1+end+1)
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}
