package explain

import (
	"mime"
	"regexp"
	"strings"
)

// msgState follows a message (RFC 5322 + MIME) line by line, wherever it
// travels: inside SMTP DATA, a POP3 RETR response or an IMAP literal.
type msgState struct {
	body       bool   // past the blank line that ends the current header section
	part       bool   // the current header section is a MIME part's
	field      string // the header field being read, for folded lines
	ctype, cte string // unfolded values of the current header section
	boundaries []string
	inner      string // body of the current part holds fields: "dsn" or "headers"
	action     string // the DSN Action: of the current recipient block
}

// startBody starts in the body, for a literal that carries BODY[TEXT].
func (m *msgState) startBody() { *m = msgState{body: true} }

// line explains one line of the message.
func (m *msgState) line(text string) Explanation {
	if !m.body {
		return m.headerLine(text)
	}
	return m.bodyLine(text)
}

func (m *msgState) headerLine(text string) Explanation {
	switch {
	case text == "":
		return m.endHeader()
	case text[0] == ' ' || text[0] == '\t':
		m.grow(text)
		return m.folded(text)
	}
	name, value, ok := splitField(text)
	if !ok {
		return ex("msg.header.broken").generic()
	}
	m.field = name
	switch strings.ToLower(name) {
	case "content-type":
		m.ctype = value
	case "content-transfer-encoding":
		m.cte = value
	}
	return headerField(name, value)
}

// grow appends a folded line to the field it continues (RFC 5322 §2.2.3).
func (m *msgState) grow(text string) {
	switch strings.ToLower(m.field) {
	case "content-type":
		m.ctype += " " + strings.TrimSpace(text)
	case "content-transfer-encoding":
		m.cte += " " + strings.TrimSpace(text)
	}
}

// folded explains a continuation line; those of a DKIM-Signature carry
// its tags or the signature itself (RFC 6376 §3.5).
func (m *msgState) folded(text string) Explanation {
	switch strings.ToLower(m.field) {
	case "received":
		return receivedClause(text)
	case "content-type":
		return contentTypeParam(text, m.field)
	case "content-disposition":
		return dispositionParam(text, m.field)
	}
	if !strings.EqualFold(m.field, "DKIM-Signature") {
		return ex("msg.header.folded", "field", m.fieldOrDash())
	}
	t := strings.TrimSpace(text)
	if strings.HasPrefix(t, "b=") || !dkimTag.MatchString(t) {
		return ex("msg.header.folded.dkim.b") // the signature, base64
	}
	return ex("msg.header.folded.dkim")
}

// dkimTag matches a line that starts with a tag=value pair (RFC 6376 §3.2).
var dkimTag = regexp.MustCompile(`^[a-z][a-z0-9_]*=[^=]`)

func (m *msgState) fieldOrDash() string {
	if m.field == "" {
		return "-"
	}
	return m.field
}

// endHeader: the blank line; what follows depends on the Content-Type.
func (m *msgState) endHeader() Explanation {
	key := "msg.header.end"
	if m.part {
		key = "msg.part.header.end"
	}
	mt, params, _ := mime.ParseMediaType(m.ctype)
	m.body, m.field, m.inner = true, "", ""
	switch {
	case strings.HasPrefix(mt, "multipart/") && params["boundary"] != "":
		m.boundaries = append(m.boundaries, params["boundary"])
	case mt == "message/delivery-status":
		m.inner = "dsn"
	case mt == "text/rfc822-headers":
		m.inner = "headers"
	case mt == "message/rfc822":
		// An attached message: its own header section follows.
		m.body, m.part, m.ctype, m.cte = false, false, "", ""
	}
	return ex(key)
}

func (m *msgState) bodyLine(text string) Explanation {
	if x, ok := m.boundary(text); ok {
		return x
	}
	switch m.inner {
	case "dsn":
		return m.dsnLine(text)
	case "headers":
		return m.returnedHeader(text)
	}
	cte := strings.ToLower(strings.TrimSpace(m.cte))
	switch {
	case text == "":
		return ex("msg.body.blank")
	case cte == "base64":
		return ex("msg.body.base64")
	case cte == "quoted-printable" && qpEscape.MatchString(text):
		return ex("msg.body.qp")
	}
	return ex("msg.body.text")
}

var qpEscape = regexp.MustCompile(`=([0-9A-F]{2}|$)`)

// boundary recognises "--b" and "--b--" of any open multipart (RFC 2046
// §5.1.1).
func (m *msgState) boundary(text string) (Explanation, bool) {
	if !strings.HasPrefix(text, "--") {
		return Explanation{}, false
	}
	for i := len(m.boundaries) - 1; i >= 0; i-- {
		b := m.boundaries[i]
		switch strings.TrimRight(text, " \t") {
		case "--" + b:
			m.boundaries = m.boundaries[:i+1]
			m.body, m.part, m.field, m.ctype, m.cte, m.inner = false, true, "", "", "", ""
			return ex("msg.mime.boundary"), true
		case "--" + b + "--":
			m.boundaries = m.boundaries[:i]
			m.inner, m.cte = "", ""
			return ex("msg.mime.boundary.end"), true
		}
	}
	return Explanation{}, false
}

// dsnLine explains the fields of a message/delivery-status part (RFC 3464
// §2.2 per message, §2.3 per recipient).
func (m *msgState) dsnLine(text string) Explanation {
	if text == "" {
		m.action = ""
		return ex("msg.dsn.blank")
	}
	if text[0] == ' ' || text[0] == '\t' {
		return ex("msg.header.folded", "field", m.fieldOrDash())
	}
	name, value, ok := splitField(text)
	if !ok {
		return ex("msg.body.text")
	}
	m.field = name
	switch strings.ToLower(name) {
	case "action":
		m.action = strings.ToLower(value)
	case "status":
		return dsnStatus(value, m.action)
	}
	if k, ok := dsnFields[strings.ToLower(name)]; ok {
		return ex(k, "value", value)
	}
	return ex("msg.dsn.other", "name", name, "value", value)
}

var dsnFields = map[string]string{
	"reporting-mta":        "msg.dsn.reporting-mta",
	"arrival-date":         "msg.dsn.arrival-date",
	"original-envelope-id": "msg.dsn.envid",
	"original-recipient":   "msg.dsn.original-recipient",
	"final-recipient":      "msg.dsn.final-recipient",
	"action":               "msg.dsn.action",
	"status":               "msg.dsn.status",
	"remote-mta":           "msg.dsn.remote-mta",
	"diagnostic-code":      "msg.dsn.diagnostic-code",
	"last-attempt-date":    "msg.dsn.last-attempt-date",
	"will-retry-until":     "msg.dsn.will-retry-until",
}

// returnedHeader explains the text/rfc822-headers part of a bounce: the
// header section of the message that could not be delivered.
func (m *msgState) returnedHeader(text string) Explanation {
	if text == "" {
		return ex("msg.body.blank")
	}
	if text[0] == ' ' || text[0] == '\t' {
		return m.folded(text)
	}
	name, value, ok := splitField(text)
	if !ok {
		return ex("msg.body.text")
	}
	m.field = name
	return headerField(name, value).with("msg.returned-header")
}

// splitField splits "Name: value" (RFC 5322 §2.2: printable ASCII except
// the colon, then a colon).
func splitField(text string) (name, value string, ok bool) {
	i := strings.IndexByte(text, ':')
	if i <= 0 {
		return "", "", false
	}
	for _, c := range text[:i] {
		if c <= ' ' || c > '~' {
			return "", "", false
		}
	}
	return text[:i], strings.TrimSpace(text[i+1:]), true
}

// headerField explains one header field by its name.
func headerField(name, value string) Explanation {
	lower := strings.ToLower(name)
	var x Explanation
	switch {
	case lower == "content-type":
		x = contentType(value)
	case lower == "received":
		x = receivedField(value)
	case lower == "authentication-results":
		x = authResults(value)
	case headerKeys[lower] != "":
		x = ex(headerKeys[lower], "value", value)
	case strings.HasPrefix(lower, "x-"):
		x = ex("msg.header.x", "name", name)
	default:
		x = ex("msg.header.other", "name", name).generic()
	}
	if strings.Contains(value, "=?") && strings.Contains(value, "?=") {
		if lower == "content-disposition" {
			x = x.with("msg.encoded-filename")
		} else {
			x = x.with("msg.encoded-word")
		}
	}
	return x
}

// contentType explains the media type. Only text/* has a character set
// (RFC 2046 §4.1.2: without charset= it is US-ASCII); the types a bounce
// is made of get texts of their own.
func contentType(value string) Explanation {
	mt, params, _ := mime.ParseMediaType(value)
	if mt == "" {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(value, ";")[0]))
	}
	switch {
	case mt == "multipart/report":
		return ex("msg.header.content-type.report", "value", mt)
	case strings.HasPrefix(mt, "multipart/"):
		return ex("msg.header.content-type.multipart", "value", mt)
	case mt == "message/delivery-status":
		return ex("msg.header.content-type.delivery-status", "value", mt)
	case mt == "text/rfc822-headers":
		return ex("msg.header.content-type.rfc822-headers", "value", mt)
	case mt == "message/rfc822":
		return ex("msg.header.content-type.message", "value", mt)
	case strings.HasPrefix(mt, "text/") && params["charset"] != "":
		return ex("msg.header.content-type.text", "value", value, "mtype", mt, "charset", params["charset"])
	case strings.HasPrefix(mt, "text/"):
		return ex("msg.header.content-type.text.ascii", "value", value, "mtype", mt)
	}
	return ex("msg.header.content-type", "value", value, "mtype", mt)
}

var headerKeys = map[string]string{
	"received":                  "msg.header.received",
	"return-path":               "msg.header.return-path",
	"delivered-to":              "msg.header.delivered-to",
	"message-id":                "msg.header.message-id",
	"date":                      "msg.header.date",
	"from":                      "msg.header.from",
	"sender":                    "msg.header.sender",
	"reply-to":                  "msg.header.reply-to",
	"to":                        "msg.header.to",
	"cc":                        "msg.header.cc",
	"bcc":                       "msg.header.bcc",
	"subject":                   "msg.header.subject",
	"in-reply-to":               "msg.header.in-reply-to",
	"references":                "msg.header.references",
	"mime-version":              "msg.header.mime-version",
	"content-transfer-encoding": "msg.header.content-transfer-encoding",
	"content-disposition":       "msg.header.content-disposition",
	"user-agent":                "msg.header.user-agent",
	"authentication-results":    "msg.header.authentication-results",
	"dkim-signature":            "msg.header.dkim-signature",
	"received-spf":              "msg.header.received-spf",
	"auto-submitted":            "msg.header.auto-submitted",
}

// generic marks an explanation as the honest fallback.
func (x Explanation) generic() Explanation {
	x.Generic = true
	return x
}
