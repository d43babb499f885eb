package explain

import (
	"strings"
)

// ehloKeyword explains one extension line of the EHLO/LHLO reply (RFC
// 5321 §4.1.1.1: "250-KEYWORD params").
func ehloKeyword(text string) Explanation {
	keyword, params := splitVerb(text)
	switch keyword {
	case "SIZE":
		if params == "" || params == "0" {
			return ex("smtp.ehlo.size.nolimit")
		}
		return ex("smtp.ehlo.size", "limit", params)
	case "AUTH":
		return ex("smtp.ehlo.auth", "mechanisms", params)
	}
	if ehloKeywords[keyword] {
		return ex("smtp.ehlo." + strings.ToLower(keyword))
	}
	return ex("smtp.ehlo.unknown", "keyword", keyword).generic()
}

// ehloKeywords have a text of their own ("smtp.ehlo.<keyword>").
var ehloKeywords = map[string]bool{
	"PIPELINING": true, "8BITMIME": true, "STARTTLS": true, "ENHANCEDSTATUSCODES": true,
	"SMTPUTF8": true, "DSN": true, "CHUNKING": true, "BINARYMIME": true, "HELP": true,
	"VRFY": true, "ETRN": true, "DELIVERBY": true, "REQUIRETLS": true, "MT-PRIORITY": true,
	"LIMITS": true,
}
