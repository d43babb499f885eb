package imap

import (
	"strconv"
	"strings"
	"time"
)

// parseSentDate reads a Date field the way Dovecot does for SORT (DATE):
// RFC 5322 §3.3 date-time with its obsolete forms (§4.3): the weekday and
// the seconds optional, comments and extra spaces anywhere, a two-digit
// year, a zone written as a name (EST, PDT, …) or left out (+0000). ok
// is false for anything else and for the epoch, which Dovecot takes for
// "no date"; the caller then uses the internal date (RFC 5256 §2.2).
func parseSentDate(s string) (t time.Time, ok bool) {
	f := strings.FieldsFunc(stripComments(s), func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == ',' })
	if len(f) > 0 && len(f[0]) > 0 && isLetters(f[0]) {
		f = f[1:] // day-of-week
	}
	if len(f) < 4 {
		return time.Time{}, false
	}
	day, err1 := strconv.Atoi(f[0])
	month := monthNumber(f[1])
	year, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil || month == 0 || len(f[2]) < 2 || len(f[2]) > 4 {
		return time.Time{}, false
	}
	switch {
	case len(f[2]) == 2 && year < 50:
		year += 2000
	case len(f[2]) <= 3:
		year += 1900
	}
	hms := strings.Split(f[3], ":")
	if len(hms) < 2 || len(hms) > 3 {
		return time.Time{}, false
	}
	var clock [3]int
	for i, p := range hms {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) > 2 {
			return time.Time{}, false
		}
		clock[i] = n
	}
	if clock[0] > 23 || clock[1] > 59 || clock[2] > 60 || day < 1 || day > daysIn(time.Month(month), year) {
		return time.Time{}, false
	}
	offset := 0
	if len(f) > 4 {
		offset = zoneOffset(f[4])
	}
	t = time.Date(year, time.Month(month), day, clock[0], clock[1], clock[2], 0, time.FixedZone("", offset))
	return t, t.Unix() != 0
}

// zoneOffset: "+hhmm"/"-hhmm", or an obsolete zone name (RFC 5322 §4.3);
// military letters and unknown names count as +0000, as the RFC advises.
func zoneOffset(z string) int {
	if len(z) == 5 && (z[0] == '+' || z[0] == '-') {
		if n, err := strconv.Atoi(z[1:]); err == nil {
			off := (n/100)*3600 + (n%100)*60
			if z[0] == '-' {
				off = -off
			}
			return off
		}
	}
	hours := map[string]int{"EDT": -4, "EST": -5, "CDT": -5, "CST": -6, "MDT": -6, "MST": -7, "PDT": -7, "PST": -8}
	return hours[strings.ToUpper(z)] * 3600
}

func monthNumber(m string) int {
	if len(m) < 3 {
		return 0
	}
	i := strings.Index("JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC", strings.ToUpper(m[:3]))
	if i < 0 || i%3 != 0 {
		return 0
	}
	return i/3 + 1
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

// stripComments drops (comments), nested ones too (RFC 5322 §3.2.2).
func stripComments(s string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && depth > 0:
			i++
		case c == '(':
			depth++
			b.WriteByte(' ')
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}
