package explain

import (
	"regexp"
	"strconv"
)

// enhancedCode matches an enhanced status code at the start of the reply
// text: class.subject.detail (RFC 3463 §2, announced by
// ENHANCEDSTATUSCODES, RFC 2034).
var enhancedCode = regexp.MustCompile(`^([245])\.(\d{1,3})\.(\d{1,3})(?:\s|$)`)

// withEnhanced adds the explanation of an enhanced status code, when the
// reply carries one whose class matches the reply code's.
func withEnhanced(x Explanation, code int, text string) Explanation {
	m := enhancedCode.FindStringSubmatch(text)
	if m == nil || m[1] != strconv.Itoa(code/100) {
		return x
	}
	enh := m[1] + "." + m[2] + "." + m[3]
	x = x.param("enhanced", enh)
	if key := "enh." + enh; table[key] != "" {
		return x.with(key)
	}
	// Unknown detail: explain class and subject, which RFC 3463 defines
	// for every code.
	if key := "enh.subject." + m[2]; table[key] != "" {
		return x.with(key)
	}
	return x.with("enh.unknown")
}
