package explain

import (
	"regexp"
	"strings"
)

// The Received: trace field (RFC 5321 §4.4), as servers fold it, one
// clause per line:
//
//	Received: from smtp.example.org ([127.77.1.20])
//		(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256)
//		by mx.example.net (Maillab) with ESMTPS id 4F2A
//		for <bob@example.net>; Mon, 07 Dec 2026 05:47:45 +0000
//
// Each line is explained by the clause it holds: who sent (the EHLO name
// and the address the connection really came from), whether the hop was
// encrypted (a comment, as Postfix writes it), who received it and with
// which protocol (RFC 3848), for whom, and when.

var (
	receivedFrom = regexp.MustCompile(`(?i)^from\s+(\S+)(?:\s+\(([^)]*)\))?`)
	receivedBy   = regexp.MustCompile(`(?i)(?:^|\s)by\s+([^\s;]+)`)
	receivedWith = regexp.MustCompile(`(?i)(?:^|\s)with\s+([A-Za-z0-9-]+)`)
	receivedID   = regexp.MustCompile(`(?i)(?:^|\s)id\s+([^\s;]+)`)
	receivedFor  = regexp.MustCompile(`(?i)^for\s+<?([^\s>;]+)>?`)
	receivedTLS  = regexp.MustCompile(`(?i)^\(using\s+([^)]*)\)`)
)

// receivedField explains the first line of a Received: field.
func receivedField(value string) Explanation {
	m := receivedFrom.FindStringSubmatch(value)
	if m == nil || m[2] == "" {
		return receivedDetails(ex("msg.header.received"), value)
	}
	x := ex("msg.header.received.from", "helo", m[1], "addr", strings.TrimSpace(m[2]))
	return receivedDetails(x, value[len(m[0]):])
}

// receivedClause explains a continuation line of a Received: field.
func receivedClause(text string) Explanation {
	line := strings.TrimSpace(text)
	if m := receivedTLS.FindStringSubmatch(line); m != nil {
		return ex("msg.received.tls", "tls", strings.TrimSpace(m[1]))
	}
	if m := receivedFor.FindStringSubmatch(line); m != nil {
		return receivedDate(ex("msg.received.for", "rcpt", m[1]), line)
	}
	if m := receivedBy.FindStringSubmatch(line); m != nil && strings.HasPrefix(strings.ToLower(line), "by") {
		return receivedDetails(ex("msg.received.by", "by", m[1]), line[len(m[0]):])
	}
	return receivedDetails(ex("msg.header.folded", "field", "Received"), line)
}

// receivedDetails adds what the rest of a line says: the by, with and id
// clauses and the date after the semicolon.
func receivedDetails(x Explanation, rest string) Explanation {
	if m := receivedBy.FindStringSubmatch(rest); m != nil && x.Key != "msg.received.by" {
		x = x.param("by", m[1]).with("msg.received.by.detail")
	}
	if m := receivedWith.FindStringSubmatch(rest); m != nil {
		x = x.param("with", m[1]).with(withKey(m[1]))
	}
	if m := receivedID.FindStringSubmatch(rest); m != nil {
		x = x.param("id", m[1]).with("msg.received.id")
	}
	return receivedDate(x, rest)
}

// receivedDate: the date-time after the last semicolon.
func receivedDate(x Explanation, line string) Explanation {
	i := strings.LastIndexByte(line, ';')
	if i < 0 || strings.TrimSpace(line[i+1:]) == "" {
		return x
	}
	return x.param("date", strings.TrimSpace(line[i+1:])).with("msg.received.date")
}

// withKey names the protocol of the "with" clause: SMTP and ESMTP (RFC
// 5321 §4.4), S for TLS and A for AUTH (RFC 3848), LMTP (RFC 2033).
func withKey(protocol string) string {
	p := strings.ToUpper(protocol)
	switch p {
	case "SMTP", "ESMTP", "ESMTPS", "ESMTPA", "ESMTPSA":
		return "msg.received.with." + strings.ToLower(p)
	case "LMTP", "LMTPS", "LMTPA", "LMTPSA":
		return "msg.received.with.lmtp"
	}
	return "msg.received.with.other"
}

// dispositionParam explains a continuation line of Content-Disposition:
// an attachment's file name (RFC 2183 §2.3), in RFC 2231 form
// (filename*= with charset and %XX bytes) or as an encoded word in quotes, which RFC 2047 §5
// forbids inside parameters but mail programs write and read all the same.
func dispositionParam(text, field string) Explanation {
	line := strings.ToLower(strings.TrimSpace(text))
	switch {
	case strings.HasPrefix(line, "filename*"):
		return ex("msg.header.folded.filename-2231")
	case strings.HasPrefix(line, "filename="):
		x := ex("msg.header.folded.filename")
		if strings.Contains(line, "=?") {
			x = x.with("msg.encoded-filename")
		}
		return x
	}
	return ex("msg.header.folded", "field", field)
}

// contentTypeParam explains a continuation line of Content-Type: the
// boundary of a multipart body (RFC 2046 §5.1.1) or the kind of report
// (RFC 6522 §3).
func contentTypeParam(text, field string) Explanation {
	line := strings.ToLower(strings.TrimSpace(text))
	switch {
	case strings.HasPrefix(line, "boundary="):
		return ex("msg.header.folded.boundary")
	case strings.HasPrefix(line, "report-type="):
		return ex("msg.header.folded.report-type")
	}
	return ex("msg.header.folded", "field", field)
}

// dsnStatus explains the Status: of one recipient with the meaning of its
// code (RFC 3463). A 4.x.x code in a report whose Action is "failed" is a
// persistent transient failure: the server gave up retrying a temporary
// error (RFC 3463 §3.1).
func dsnStatus(value, action string) Explanation {
	x := ex("msg.dsn.status", "value", value)
	code := strings.TrimSpace(value)
	if code == "" || code[0] < '2' || code[0] > '5' {
		return x
	}
	x = withEnhanced(x, int(code[0]-'0')*100, code)
	if code[0] == '4' && action == "failed" {
		x = x.with("msg.dsn.status.gave-up")
	}
	return x
}

// authResults explains the results an Authentication-Results: field
// records (RFC 8601 §2.2): "authserv-id; spf=pass smtp.mailfrom=…;
// dkim=pass header.d=…; dmarc=pass header.from=…".
func authResults(value string) Explanation {
	x := ex("msg.header.authentication-results")
	parts := strings.Split(value, ";")
	for _, part := range parts[1:] {
		f := strings.Fields(part)
		if len(f) == 0 {
			continue
		}
		method, result, ok := strings.Cut(f[0], "=")
		if !ok {
			continue
		}
		props := map[string]string{}
		for _, p := range f[1:] {
			if k, v, ok := strings.Cut(p, "="); ok {
				props[strings.ToLower(k)] = v
			}
		}
		switch strings.ToLower(method) {
		case "spf":
			if d := props["smtp.mailfrom"]; d != "" {
				x = x.param("spf", result).param("spfdomain", d).with("msg.ar.spf")
			} else if d := props["smtp.helo"]; d != "" {
				x = x.param("spf", result).param("spfdomain", d).with("msg.ar.spf.helo")
			}
		case "dkim":
			if d := props["header.d"]; d != "" {
				x = x.param("dkim", result).param("dkimdomain", d).with("msg.ar.dkim")
			}
		case "dmarc":
			if d := props["header.from"]; d != "" {
				x = x.param("dmarc", result).param("dmarcdomain", d).with("msg.ar.dmarc")
			}
		}
	}
	return x
}
