package export

import (
	"strings"
	"unicode/utf8"
)

// mdText escapes text from the wire, a message or the catalog's
// parameters for running Markdown text: it can neither format nor become
// HTML (some renderers pass raw HTML through), and it never breaks a table
// row or a line.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range visible(s) {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '`', '*', '_', '[', ']', '|', '~', '#':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode puts a line into a code span inside a table cell, where it reads
// literally: the fence is longer than any run of backticks inside
// (CommonMark §6.1), pipes are escaped for the table (GFM §4.10 lets "\|"
// through code spans), and entities are not needed because a code span
// never holds HTML.
func mdCode(s string) string {
	if s == "" {
		return "` `" // an empty span is not a span; a lone space is kept (CommonMark §6.1)
	}
	s = strings.ReplaceAll(visible(s), "|", `\|`)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") {
		// One space each side is stripped again by the renderer.
		s = " " + s + " "
	}
	return fence + s + fence
}

func longestRun(s string, c byte) int {
	longest, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != c {
			n = 0
			continue
		}
		n++
		longest = max(longest, n)
	}
	return longest
}

// visible keeps a line on one line: control characters become their
// Unicode pictures (CR as ␍), invalid UTF-8 the replacement character.
func visible(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return r
		case r < 0x20:
			return 0x2400 + r
		case r == 0x7f:
			return 0x2421
		}
		return r
	}, s)
}
