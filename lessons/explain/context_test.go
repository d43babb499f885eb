package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
)

// The tests in this file pin explanations that depend on more than the
// verb: the protocol of the connection, what happened earlier in the
// session, whether the line was encrypted, and the rest of the field or
// response the line belongs to (issue 14 §2).

// contextCase is one row: the rows of a session, and what the last line
// must be explained as.
type contextCase struct {
	name    string
	proto   string
	rows    []string
	key     string
	details []string          // exactly these details, in order (nil: none)
	params  map[string]string // at least these parameters
}

func runContextCases(t *testing.T, tests []contextCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := lastKey(t, tc.proto, tc.rows...)
			assert.Equal(t, tc.key, short(x.Key))
			assert.Equal(t, tc.details, nilIfEmpty(shorts(x.Details)))
			for k, v := range tc.params {
				assert.Equal(t, v, x.Params[k], "param %s", k)
			}
			assert.False(t, x.Generic)
			assert.NotEmpty(t, x.RFC)
			assert.Empty(t, missingParams(x), "every placeholder is filled")
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// TestLMTPIsExplainedAsLMTP: the MDA's greeting and its answer to LHLO are
// LMTP (RFC 2033 §4.1), not SMTP's EHLO, and a name given in EHLO on port
// 25 can be checked (RFC 5321 §4.1.4) — on submission the login counts.
func TestLMTPIsExplainedAsLMTP(t *testing.T) {
	runContextCases(t, []contextCase{
		{name: "LMTP greeting", proto: "lmtp", rows: []string{"S: 220 mda.example.net LMTP Service Ready"},
			key: "lmtp.reply.220.greeting", params: map[string]string{"server": "mda.example.net"}},
		{name: "LHLO reply", proto: "lmtp",
			rows: []string{"S: 220 mda.example.net LMTP", "C: LHLO mx.example.net", "S: 250-mda.example.net Hello mx.example.net"},
			key:  "lmtp.lhlo.hello", params: map[string]string{"server": "mda.example.net", "client": "mx.example.net"}},
		{name: "LHLO reply without Hello", proto: "lmtp",
			rows: []string{"S: 220 mda.example.net LMTP", "C: LHLO mx.example.net", "S: 250-mda.example.net"},
			key:  "lmtp.lhlo.hello.short"},
		{name: "LHLO keyword stays an extension", proto: "lmtp",
			rows: []string{"S: 220 mda LMTP", "C: LHLO mx", "S: 250-mda Hello mx", "S: 250 PIPELINING"},
			key:  "smtp.ehlo.pipelining"},
		{name: "SMTP greeting", proto: "smtp", rows: []string{"S: 220 mx.example.net ESMTP"},
			key: "smtp.reply.220.greeting"},
		{name: "EHLO name on port 25 can be checked", proto: "smtp",
			rows: []string{"S: 220 mx.example.net ESMTP", "C: EHLO smtp.example.org", "S: 250-mx.example.net Hello smtp.example.org"},
			key:  "smtp.ehlo.hello", details: []string{"smtp.ehlo.check.name"}, params: map[string]string{"helo": "smtp.example.org"}},
		{name: "address literal on port 25", proto: "smtp",
			rows: []string{"S: 220 mx.example.net ESMTP", "C: EHLO [127.77.9.66]", "S: 250-mx.example.net Hello [127.77.9.66]"},
			key:  "smtp.ehlo.hello", details: []string{"smtp.ehlo.check.literal"}, params: map[string]string{"helo": "[127.77.9.66]"}},
		{name: "submission: no name check", proto: "submission",
			rows: []string{"S: 220 smtp.example.org ESMTP", "C: EHLO [127.77.1.10]", "S: 250-smtp.example.org Hello [127.77.1.10]"},
			key:  "smtp.ehlo.hello"},
	})
}

// TestPOP3QuitSaysWhetherMessagesAreRemoved: QUIT removes only what DELE
// marked in this session (RFC 1939 §6).
func TestPOP3QuitSaysWhetherMessagesAreRemoved(t *testing.T) {
	login := []string{"S: +OK ready", "C: USER bob", "S: +OK", "C: PASS builder", "S: +OK 1 messages"}
	rows := func(more ...string) []string { return append(append([]string{}, login...), more...) }
	runContextCases(t, []contextCase{
		{name: "QUIT after DELE", proto: "pop3", rows: rows("C: DELE 1", "S: +OK deleted", "C: QUIT"),
			key: "pop3.cmd.quit.update"},
		{name: "+OK after DELE", proto: "pop3", rows: rows("C: DELE 1", "S: +OK deleted", "C: QUIT", "S: +OK bye"),
			key: "pop3.ok.quit.update"},
		{name: "QUIT without DELE", proto: "pop3", rows: rows("C: RETR 1", "S: +OK 5 octets", "S: hi", "S: .", "C: QUIT"),
			key: "pop3.cmd.quit.keep"},
		{name: "+OK without DELE", proto: "pop3", rows: rows("C: UIDL", "S: +OK", "S: 1 a", "S: .", "C: QUIT", "S: +OK bye"),
			key: "pop3.ok.quit.keep"},
		{name: "RSET undoes DELE", proto: "pop3", rows: rows("C: DELE 1", "S: +OK", "C: RSET", "S: +OK", "C: QUIT"),
			key: "pop3.cmd.quit.keep"},
		{name: "refused DELE marks nothing", proto: "pop3", rows: rows("C: DELE 9", "S: -ERR no such message", "C: QUIT"),
			key: "pop3.cmd.quit.keep"},
		{name: "pipelined DELE not answered yet", proto: "pop3", rows: rows("C: DELE 1", "C: QUIT"),
			key: "pop3.cmd.quit.unsure"},
		{name: "its answer then decides", proto: "pop3", rows: rows("C: DELE 1", "C: QUIT", "S: +OK deleted", "S: +OK bye"),
			key: "pop3.ok.quit.update"},
		{name: "QUIT before login", proto: "pop3", rows: []string{"S: +OK ready", "C: QUIT"}, key: "pop3.cmd.quit"},
	})
}

// TestPasswordsInTheClearAreFlagged: wherever a user name or password is
// sent without TLS — SMTP AUTH, POP3 USER/PASS/AUTH, IMAP LOGIN and
// AUTHENTICATE — the explanation says so; inside TLS it does not.
func TestPasswordsInTheClearAreFlagged(t *testing.T) {
	ehlo := []string{"S: 220 x", "C: EHLO a", "S: 250 x"}
	smtp := func(more ...string) []string { return append(append([]string{}, ehlo...), more...) }
	pw, user := []string{"auth.cleartext.password"}, []string{"auth.cleartext.user"}
	runContextCases(t, []contextCase{
		{name: "SMTP AUTH PLAIN", proto: "submission", rows: smtp("C: AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ="),
			key: "smtp.cmd.auth.plain", details: pw},
		{name: "SMTP AUTH PLAIN inside TLS", proto: "submission", rows: smtp("C: [TLS] AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ="),
			key: "smtp.cmd.auth.plain"},
		{name: "after a TLS handshake", proto: "submission",
			rows: smtp("C: STARTTLS", "S: 220 go", "TC: TLS ClientHello", "C: AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ="),
			key:  "smtp.cmd.auth.plain"},
		{name: "SMTP AUTH PLAIN, then the data", proto: "submission",
			rows: smtp("C: AUTH PLAIN", "S: 334 ", "C: AGFsaWNlAHdvbmRlcmxhbmQ="), key: "smtp.sasl.plain", details: pw},
		{name: "SMTP AUTH LOGIN user name", proto: "submission",
			rows: smtp("C: AUTH LOGIN", "S: 334 VXNlcm5hbWU6", "C: YWxpY2U="), key: "smtp.sasl.username", details: user},
		{name: "SMTP AUTH LOGIN password", proto: "submission",
			rows: smtp("C: AUTH LOGIN", "S: 334 VXNlcm5hbWU6", "C: YWxpY2U=", "S: 334 UGFzc3dvcmQ6", "C: d29uZGVybGFuZA=="),
			key:  "smtp.sasl.password", details: pw},
		{name: "SMTP AUTH LOGIN with the user name on the line", proto: "submission", rows: smtp("C: AUTH LOGIN YWxpY2U="),
			key: "smtp.cmd.auth.login.ir", details: user},
		{name: "CRAM-MD5 sends no password", proto: "submission",
			rows: smtp("C: AUTH CRAM-MD5", "S: 334 PDEyMzQ1QGV4YW1wbGUub3JnPg==", "C: YWxpY2UgZGlnZXN0"), key: "smtp.sasl.response"},
		{name: "SMTP offers AUTH in the clear", proto: "submission", rows: []string{"S: 220 x", "C: EHLO a", "S: 250-x Hello a", "S: 250 AUTH PLAIN LOGIN"},
			key: "smtp.ehlo.auth", details: []string{"auth.offered.cleartext"}},
		{name: "SMTP offers AUTH inside TLS", proto: "submission",
			rows: []string{"S: [TLS] 220 x", "C: [TLS] EHLO a", "S: [TLS] 250-x Hello a", "S: [TLS] 250 AUTH PLAIN LOGIN"},
			key:  "smtp.ehlo.auth"},
		{name: "POP3 USER", proto: "pop3", rows: []string{"S: +OK ready", "C: USER bob"}, key: "pop3.cmd.user", details: user},
		{name: "POP3 PASS", proto: "pop3", rows: []string{"S: +OK ready", "C: USER bob", "S: +OK", "C: PASS builder"},
			key: "pop3.cmd.pass", details: pw},
		{name: "POP3 PASS inside TLS", proto: "pop3", rows: []string{"S: [TLS] +OK ready", "C: [TLS] USER bob", "S: [TLS] +OK", "C: [TLS] PASS builder"},
			key: "pop3.cmd.pass"},
		{name: "POP3 AUTH PLAIN with initial response", proto: "pop3", rows: []string{"S: +OK ready", "C: AUTH PLAIN AGJvYgBidWlsZGVy"},
			key: "pop3.cmd.auth.ir", details: pw},
		{name: "POP3 AUTH PLAIN after +", proto: "pop3", rows: []string{"S: +OK ready", "C: AUTH PLAIN", "S: + ", "C: AGJvYgBidWlsZGVy"},
			key: "pop3.sasl.response", details: pw},
		{name: "POP3 AUTH LOGIN password", proto: "pop3",
			rows: []string{"S: +OK ready", "C: AUTH LOGIN", "S: + VXNlcm5hbWU6", "C: Ym9i", "S: + UGFzc3dvcmQ6", "C: YnVpbGRlcg=="},
			key:  "pop3.sasl.response", details: pw},
		{name: "POP3 CAPA offers USER in the clear", proto: "pop3", rows: []string{"S: +OK ready", "C: CAPA", "S: +OK", "S: USER"},
			key: "pop3.capa.user", details: []string{"auth.offered.cleartext"}},
		{name: "IMAP LOGIN", proto: "imap", rows: []string{"S: * OK ready", "C: a1 LOGIN bob builder"},
			key: "imap.cmd.login", details: pw},
		{name: "IMAP LOGIN inside TLS", proto: "imap", rows: []string{"S: [TLS] * OK ready", "C: [TLS] a1 LOGIN bob builder"},
			key: "imap.cmd.login"},
		{name: "IMAP AUTHENTICATE PLAIN with initial response", proto: "imap",
			rows: []string{"S: * OK ready", "C: a1 AUTHENTICATE PLAIN AGJvYgBidWlsZGVy"}, key: "imap.cmd.authenticate.ir", details: pw},
		{name: "IMAP AUTHENTICATE PLAIN after +", proto: "imap",
			rows: []string{"S: * OK ready", "C: a1 AUTHENTICATE PLAIN", "S: + ", "C: AGJvYgBidWlsZGVy"}, key: "imap.sasl.response", details: pw},
		{name: "IMAP capability offers AUTH= in the clear", proto: "imap",
			rows: []string{"S: * OK ready", "C: a1 CAPABILITY", "S: * CAPABILITY IMAP4rev2 AUTH=PLAIN"},
			key:  "imap.resp.capability", details: []string{"auth.offered.cleartext"}},
		{name: "IMAP greeting offers AUTH= in the clear", proto: "imap",
			rows: []string{"S: * OK [CAPABILITY IMAP4rev2 AUTH=PLAIN] ready"},
			key:  "imap.greeting", details: []string{"imap.code.capability", "auth.offered.cleartext"}},
	})
}

// TestSizeIsCountedAsSent: SIZE= counts the whole message as it crosses
// the wire (RFC 1870 §5): CR LF included, the final dot and stuffed dots
// not. The end of the data says how it compares.
func TestSizeIsCountedAsSent(t *testing.T) {
	data := func(size string, lines ...string) []string {
		rows := []string{"S: 220 x", "C: EHLO a", "S: 250 x", "C: MAIL FROM:<a@b> SIZE=" + size, "S: 250 ok",
			"C: RCPT TO:<c@d>", "S: 250 ok", "C: DATA", "S: 354 go"}
		for _, l := range lines {
			rows = append(rows, "C: "+l)
		}
		return append(rows, "C: .")
	}
	// "Subject: x" + CRLF = 12, "" + CRLF = 2, "..x" + CRLF sent as 5 and
	// counted as 4 (the stuffed dot is not part of the message): 18.
	runContextCases(t, []contextCase{
		{name: "exact", proto: "smtp", rows: data("18", "Subject: x", "", "..x"), key: "smtp.data.end",
			details: []string{"smtp.size.exact"}, params: map[string]string{"sent": "18", "size": "18"}},
		{name: "more than declared", proto: "smtp", rows: data("10", "Subject: x", "", "..x"), key: "smtp.data.end",
			details: []string{"smtp.size.over"}, params: map[string]string{"sent": "18", "size": "10"}},
		{name: "less than declared", proto: "smtp", rows: data("100", "Subject: x", "", "..x"), key: "smtp.data.end",
			details: []string{"smtp.size.under"}},
		{name: "no SIZE, no comparison", proto: "smtp", rows: []string{"S: 220 x", "C: EHLO a", "S: 250 x",
			"C: MAIL FROM:<a@b>", "S: 250 ok", "C: RCPT TO:<c@d>", "S: 250 ok", "C: DATA", "S: 354 go", "C: x", "C: ."},
			key: "smtp.data.end"},
	})
}

// TestReceivedClauses: each folded line of a Received: field is explained
// by its clause (RFC 5321 §4.4; the with protocols of RFC 3848).
func TestReceivedClauses(t *testing.T) {
	header := func(lines ...string) []string {
		rows := []string{"S: +OK ready", "C: RETR 1", "S: +OK 100 octets"}
		for _, l := range lines {
			rows = append(rows, "S: "+l)
		}
		return rows
	}
	from := "Received: from smtp.example.org ([127.77.1.20])"
	runContextCases(t, []contextCase{
		{name: "from and address", proto: "pop3", rows: header(from), key: "msg.header.received.from",
			params: map[string]string{"helo": "smtp.example.org", "addr": "[127.77.1.20]"}},
		{name: "TLS comment", proto: "pop3", rows: header(from, "\t(using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256)"),
			key: "msg.received.tls", params: map[string]string{"tls": "TLSv1.3 with cipher TLS_AES_128_GCM_SHA256"}},
		{name: "by with ESMTPS", proto: "pop3", rows: header(from, "\tby mx.example.net (Maillab) with ESMTPS"),
			key: "msg.received.by", details: []string{"msg.received.with.esmtps"},
			params: map[string]string{"by": "mx.example.net", "with": "ESMTPS"}},
		{name: "ESMTPSA", proto: "pop3", rows: header(from, "\tby smtp.example.org (Maillab) with ESMTPSA"),
			key: "msg.received.by", details: []string{"msg.received.with.esmtpsa"}},
		{name: "ESMTPA", proto: "pop3", rows: header(from, "\tby smtp.example.org with ESMTPA"),
			key: "msg.received.by", details: []string{"msg.received.with.esmtpa"}},
		{name: "ESMTP", proto: "pop3", rows: header(from, "\tby mx.example.net (Maillab) with ESMTP"),
			key: "msg.received.by", details: []string{"msg.received.with.esmtp"}},
		{name: "LMTPS", proto: "pop3", rows: header(from, "\tby mda.example.net with LMTPS"),
			key: "msg.received.by", details: []string{"msg.received.with.lmtp"}},
		{name: "id and date on the by line", proto: "pop3",
			rows: header(from, "\tby mx.example.net with ESMTP id 4F2A; Mon, 07 Dec 2026 05:47:45 +0000"),
			key:  "msg.received.by", details: []string{"msg.received.with.esmtp", "msg.received.id", "msg.received.date"},
			params: map[string]string{"id": "4F2A", "date": "Mon, 07 Dec 2026 05:47:45 +0000"}},
		{name: "for and date", proto: "pop3", rows: header(from, "\tfor <bob@example.net>; Mon, 07 Dec 2026 05:47:45 +0000"),
			key: "msg.received.for", details: []string{"msg.received.date"}, params: map[string]string{"rcpt": "bob@example.net"}},
		{name: "one line", proto: "pop3",
			rows: header("Received: from a.example ([192.0.2.1]) by b.example with SMTP; Mon, 07 Dec 2026 05:47:45 +0000"),
			key:  "msg.header.received.from", details: []string{"msg.received.by.detail", "msg.received.with.smtp", "msg.received.date"}},
		{name: "other continuation", proto: "pop3", rows: header(from, "\tvia UUCP"), key: "msg.header.folded",
			params: map[string]string{"field": "Received"}},
		{name: "no address: the general text", proto: "pop3", rows: header("Received: by local.example; Mon, 07 Dec 2026 05:47:45 +0000"),
			key: "msg.header.received", details: []string{"msg.received.by.detail", "msg.received.date"}},
	})
}

// TestContentTypeNamesACharsetOnlyForText: only text/* has a charset (RFC
// 2046 §4.1.2); the parts of a bounce get texts of their own.
func TestContentTypeNamesACharsetOnlyForText(t *testing.T) {
	tests := []struct {
		value, key string
		params     map[string]string
	}{
		{"text/plain; charset=utf-8", "msg.header.content-type.text", map[string]string{"charset": "utf-8", "mtype": "text/plain"}},
		{"text/html", "msg.header.content-type.text.ascii", map[string]string{"mtype": "text/html"}},
		{"image/jpeg", "msg.header.content-type", map[string]string{"mtype": "image/jpeg"}},
		{"application/pdf; name=a.pdf", "msg.header.content-type", nil},
		{"message/delivery-status", "msg.header.content-type.delivery-status", nil},
		{"text/rfc822-headers", "msg.header.content-type.rfc822-headers", nil},
		{"message/rfc822", "msg.header.content-type.message", nil},
		{"multipart/mixed; boundary=x", "msg.header.content-type.multipart", nil},
		{"multipart/report; report-type=delivery-status; boundary=x", "msg.header.content-type.report", nil},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			x := headerField("Content-Type", tc.value)
			assert.Equal(t, tc.key, x.Key)
			for k, v := range tc.params {
				assert.Equal(t, v, x.Params[k], "param %s", k)
			}
			x.finish()
			assert.Empty(t, missingParams(x))
		})
	}
	for _, lang := range i18n.Languages {
		assert.NotContains(t, i18n.T(lang, prefix+"msg.header.content-type", nil), "{charset}",
			"the text for non-text parts names no charset")
	}
	runContextCases(t, []contextCase{
		{name: "boundary on a folded line", proto: "smtp",
			rows: []string{"S: 220 x", "C: EHLO a", "S: 250 x", "C: DATA", "S: 354 go", "C: Content-Type: multipart/mixed;", "C:  boundary=abc"},
			key:  "msg.header.folded.boundary"},
		{name: "report type on a folded line", proto: "smtp",
			rows: []string{"S: 220 x", "C: EHLO a", "S: 250 x", "C: DATA", "S: 354 go", "C: Content-Type: multipart/report;", "C:  report-type=delivery-status"},
			key:  "msg.header.folded.report-type"},
	})
}

// TestDSNStatus: the Status: of a bounce is explained with its enhanced
// code, and 4.x.x with Action: failed is a persistent transient failure
// (RFC 3463 §3.1).
func TestDSNStatus(t *testing.T) {
	report := func(action, status string) []string {
		return []string{"S: +OK ready", "C: RETR 1", "S: +OK 100 octets",
			"S: Content-Type: multipart/report; report-type=delivery-status; boundary=b", "S: ",
			"S: --b", "S: Content-Type: message/delivery-status", "S: ",
			"S: Reporting-MTA: dns; smtp.example.org", "S: ", "S: Final-Recipient: rfc822; bob@example.net",
			"S: Action: " + action, "S: Status: " + status}
	}
	runContextCases(t, []contextCase{
		{name: "4.4.1 after giving up", proto: "pop3", rows: report("failed", "4.4.1"), key: "msg.dsn.status",
			details: []string{"enh.4.4.1", "msg.dsn.status.gave-up"}, params: map[string]string{"value": "4.4.1", "enhanced": "4.4.1"}},
		{name: "4.4.1 delayed", proto: "pop3", rows: report("delayed", "4.4.1"), key: "msg.dsn.status",
			details: []string{"enh.4.4.1"}},
		{name: "5.1.1", proto: "pop3", rows: report("failed", "5.1.1"), key: "msg.dsn.status", details: []string{"enh.5.1.1"}},
		{name: "unknown detail", proto: "pop3", rows: report("failed", "5.1.99"), key: "msg.dsn.status", details: []string{"enh.subject.1"}},
	})
}

// TestTLSAlertsByContext: an encrypted alert is named by when it comes; a
// plaintext one by its own bytes (RFC 8446 §6).
func TestTLSAlertsByContext(t *testing.T) {
	alert := func(dir event.Dir, wire []byte) event.Event {
		return event.Event{Seq: 99, Conn: 1, Proto: "smtp", Kind: event.KindTLS, Dir: dir, Text: "TLS alert", Wire: wire}
	}
	encrypted := []byte{23, 3, 3, 0, 19}
	tests := []struct {
		name   string
		before []string
		ev     event.Event
		key    string
		alert  string
	}{
		{"server after QUIT", []string{"S: 220 x", "C: QUIT", "S: 221 bye"}, alert(event.ServerToClient, encrypted), "tls.alert.close", ""},
		{"client after QUIT", []string{"S: 220 x", "C: QUIT", "S: 221 bye"}, alert(event.ClientToServer, encrypted), "tls.alert.close.client", ""},
		{"mid-session", []string{"S: 220 x", "C: EHLO a"}, alert(event.ServerToClient, encrypted), "tls.alert", ""},
		{"plaintext bad_certificate", nil, alert(event.ClientToServer, []byte{21, 3, 3, 0, 2, 2, 42}), "tls.alert.plain", "bad_certificate (42)"},
		{"plaintext unknown description", nil, alert(event.ServerToClient, []byte{21, 3, 3, 0, 2, 2, 200}), "tls.alert.plain", "200"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := NewTracker()
			for _, ev := range script("smtp", tc.before...) {
				tr.Explain(ev)
			}
			x := tr.Explain(tc.ev)
			assert.Equal(t, tc.key, short(x.Key))
			assert.Equal(t, tc.alert, x.Params["alert"])
			assert.Contains(t, x.RFC, "RFC 8446")
			assert.Empty(t, missingParams(x))
		})
	}
}

// TestFetchEnvelope: the items of an overview FETCH, and the ENVELOPE
// structure with its first address read out (RFC 9051 §7.5.2).
func TestFetchEnvelope(t *testing.T) {
	fetch := func(data string) []string {
		return []string{"S: * OK ready", "C: T5 UID FETCH 1:* (UID ENVELOPE FLAGS RFC822.SIZE)", "S: * 1 FETCH " + data}
	}
	env := `ENVELOPE ("Mon, 07 Dec 2026 05:47:52 +0000" "=?utf-8?q?Gr=C3=BC=C3=9Fe?=" (("Alice" NIL "alice" "example.org")) ` +
		`(("Alice" NIL "alice" "example.org")) (("Alice" NIL "alice" "example.org")) ((NIL NIL "bob" "example.net")) NIL NIL NIL "<1@x>")`
	runContextCases(t, []contextCase{
		{name: "overview", proto: "imap", rows: fetch("(UID 2 FLAGS () RFC822.SIZE 1569 " + env + ")"),
			key: "imap.resp.fetch", details: []string{"imap.flag.none", "imap.item.uid", "imap.item.size", "imap.item.envelope"},
			params: map[string]string{"uid": "2", "octets": "1569",
				"envaddr": `("Alice" NIL "alice" "example.org")`, "envmailbox": "Alice <alice@example.org>"}},
		{name: "address without a name", proto: "imap",
			rows: fetch(`(ENVELOPE ("d" "s" ((NIL NIL "bob" "example.net")) NIL NIL NIL NIL NIL NIL "<1@x>"))`),
			key:  "imap.resp.fetch", details: []string{"imap.item.envelope"}, params: map[string]string{"envmailbox": "bob@example.net"}},
		{name: "escaped quote in a name", proto: "imap",
			rows: fetch(`(ENVELOPE ("d" "s" (("A \"B\"" NIL "a" "example.org")) NIL NIL NIL NIL NIL NIL NIL))`),
			key:  "imap.resp.fetch", details: []string{"imap.item.envelope"}, params: map[string]string{"envmailbox": `A "B" <a@example.org>`}},
		{name: "an envelope cut by a literal is not guessed", proto: "imap",
			rows: fetch(`(UID 3 ENVELOPE ("d" {5}`), key: "imap.resp.fetch.body"},
		{name: "flags after STORE get no item details", proto: "imap",
			rows: []string{"S: * OK ready", "C: T6 UID STORE 1 +FLAGS (\\Seen)", "S: * 1 FETCH (UID 1 FLAGS (\\Seen))"},
			key:  "imap.resp.fetch.store", details: []string{"imap.flag.seen"}},
	})
}

// TestAuthenticationResults: each method's result is read out with the
// domain it concerns; DMARC names alignment (RFC 7489 §3.1).
func TestAuthenticationResults(t *testing.T) {
	field := func(value string) []string {
		return []string{"S: +OK ready", "C: RETR 1", "S: +OK 100 octets", "S: Authentication-Results: " + value}
	}
	runContextCases(t, []contextCase{
		{name: "all three", proto: "pop3",
			rows: field("mx.example.net; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org; dmarc=pass header.from=example.org"),
			key:  "msg.header.authentication-results", details: []string{"msg.ar.spf", "msg.ar.dkim", "msg.ar.dmarc"},
			params: map[string]string{"spf": "pass", "spfdomain": "example.org", "dkimdomain": "example.org", "dmarcdomain": "example.org"}},
		{name: "SPF of the HELO name", proto: "pop3", rows: field("mx.example.net; spf=fail smtp.helo=evil.example"),
			key: "msg.header.authentication-results", details: []string{"msg.ar.spf.helo"}, params: map[string]string{"spf": "fail"}},
		{name: "nothing to read", proto: "pop3", rows: field("mx.example.net; none"), key: "msg.header.authentication-results"},
	})
}

// TestContextTextsSayWhatTheRFCsSay pins the facts that must survive any
// rewording, in every language: DMARC wants aligned results (RFC 7489
// §3.1); 8BITMIME is about the body and SMTPUTF8 about header fields (RFC
// 6152, 6531); SPF checks the HELO name too (RFC 7208 §2.3); an EHLO name
// can be checked (RFC 5321 §4.1.4); SIZE counts the whole message (RFC
// 1870 §5); QUIT removes only what DELE marked (RFC 1939 §6); the ENVELOPE
// order and address form (RFC 9051 §7.5.2); Received's with protocols (RFC
// 3848).
func TestContextTextsSayWhatTheRFCsSay(t *testing.T) {
	tests := []struct {
		key  string
		must []string // in every language
		en   []string // in English
	}{
		{"dns.answer.dmarc", []string{"SPF", "DKIM", "From:", "d="}, []string{"aligned"}},
		{"smtp.reply.550.dmarc", []string{"SPF", "DKIM", "p=reject"}, []string{"aligned"}},
		{"msg.ar.dmarc", []string{"{dmarcdomain}", "relaxed"}, []string{"aligned"}},
		{"smtp.ehlo.8bitmime", []string{"SMTPUTF8", "ASCII"}, []string{"body", "header fields"}},
		{"smtp.param.body-8bitmime", []string{"SMTPUTF8"}, []string{"body"}},
		{"dns.answer.spf", []string{"MAIL FROM", "HELO"}, nil},
		{"dns.query.txt.spf", []string{"MAIL FROM", "HELO"}, nil},
		{"msg.header.received-spf", []string{"HELO"}, nil},
		{"smtp.ehlo.check.name", []string{"PTR", "FCrDNS", "§4.1.4"}, []string{"spam"}},
		{"smtp.param.size", []string{"DKIM-Signature", "Message-ID", "Received"}, []string{"whole message"}},
		{"pop3.cmd.quit.keep", []string{"DELE", "UPDATE"}, []string{"nothing is removed"}},
		{"pop3.cmd.quit.update", []string{"DELE", "UPDATE"}, []string{"in this session"}},
		{"imap.item.envelope", []string{"date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to, message-id", "NIL",
			"(name adl mailbox host)", "{envaddr}", "{envmailbox}"}, nil},
		{"msg.received.with.esmtpsa", []string{"S", "A", "TLS", "AUTH"}, nil},
		{"msg.dsn.status.gave-up", []string{"4.x.x", "Action: failed"}, []string{"persistent transient failure"}},
		{"msg.header.content-type", []string{"text/*", "charset"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			for _, lang := range i18n.Languages {
				text := i18n.Catalog(lang)[prefix+tc.key]
				for _, s := range tc.must {
					assert.Contains(t, text, s, lang)
				}
				if lang == "en" {
					for _, s := range tc.en {
						assert.Contains(t, strings.ToLower(text), strings.ToLower(s), lang)
					}
				}
			}
		})
	}
}
