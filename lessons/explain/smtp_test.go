package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSMTPContext: the same reply line means different things depending
// on the command it answers.
func TestSMTPContext(t *testing.T) {
	greet := []string{"S: 220 mx.example.net ESMTP ready", "C: EHLO a.example", "S: 250 mx.example.net"}
	tests := []struct {
		name    string
		proto   string
		rows    []string
		key     string
		details []string
		params  map[string]string
		class   string
	}{
		{name: "greeting", rows: []string{"S: 220 mx.example.net ESMTP Service Ready"},
			key: "smtp.reply.220.greeting", params: map[string]string{"server": "mx.example.net", "code": "220"}, class: "2xx"},
		{name: "220 after STARTTLS", rows: append(greet[:3:3], "C: STARTTLS", "S: 220 2.0.0 Ready to start TLS"),
			key: "smtp.reply.220.starttls", details: []string{"enh.2.0.0"}},
		{name: "EHLO again after STARTTLS", rows: append(greet[:3:3], "C: STARTTLS", "S: 220 Go ahead", "C: EHLO a.example"),
			key: "smtp.cmd.ehlo.again"},
		{name: "first EHLO", rows: []string{"S: 220 x", "C: EHLO a.example"}, key: "smtp.cmd.ehlo",
			params: map[string]string{"domain": "a.example"}},
		{name: "HELO reply", rows: []string{"S: 220 x", "C: HELO a.example", "S: 250 mx.example.net"},
			key: "smtp.reply.250.helo"},
		{name: "EHLO hello line", rows: []string{"S: 220 x", "C: EHLO a", "S: 250-mx.example.net Hello a"},
			key: "smtp.ehlo.hello", params: map[string]string{"server": "mx.example.net", "client": "a", "code": "250"}},
		{name: "EHLO keyword", rows: []string{"S: 220 x", "C: EHLO a", "S: 250-mx Hello a", "S: 250-PIPELINING"},
			key: "smtp.ehlo.pipelining"},
		{name: "EHLO SIZE", rows: []string{"S: 220 x", "C: EHLO a", "S: 250-mx Hello a", "S: 250 SIZE 1000"},
			key: "smtp.ehlo.size", params: map[string]string{"limit": "1000", "code": "250"}},
		{name: "EHLO AUTH", rows: []string{"S: 220 x", "C: EHLO a", "S: 250-mx Hello a", "S: 250 AUTH PLAIN LOGIN"},
			key: "smtp.ehlo.auth", params: map[string]string{"mechanisms": "PLAIN LOGIN", "code": "250"}},
		{name: "250 after MAIL", rows: append(greet[:3:3], "C: MAIL FROM:<a@b.example>", "S: 250 2.1.0 Ok"),
			key: "smtp.reply.250.mail", details: []string{"enh.2.1.0"},
			params: map[string]string{"mailbox": "a@b.example", "code": "250", "enhanced": "2.1.0"}},
		{name: "250 after RCPT", rows: append(greet[:3:3], "C: MAIL FROM:<a@b>", "S: 250 Ok", "C: RCPT TO:<c@d>", "S: 250 2.1.5 Ok"),
			key: "smtp.reply.250.rcpt", details: []string{"enh.2.1.5"}},
		{name: "250 after the dot", rows: append(greet[:3:3], "C: MAIL FROM:<a@b>", "S: 250 Ok", "C: RCPT TO:<c@d>",
			"S: 250 Ok", "C: DATA", "S: 354 go", "C: Subject: x", "C: ", "C: hi", "C: .", "S: 250 2.0.0 Ok: queued as ABC123"),
			key: "smtp.reply.250.queued", params: map[string]string{"id": "ABC123", "code": "250", "enhanced": "2.0.0"}},
		{name: "250 after the dot without id", rows: append(greet[:3:3], "C: MAIL FROM:<a@b>", "S: 250 Ok", "C: RCPT TO:<c@d>",
			"S: 250 Ok", "C: DATA", "S: 354 go", "C: .", "S: 250 Ok"),
			key: "smtp.reply.250.data"},
		{name: "250 after RSET", rows: append(greet[:3:3], "C: RSET", "S: 250 2.0.0 Ok"), key: "smtp.reply.250.rset"},
		{name: "250 after NOOP", rows: append(greet[:3:3], "C: NOOP", "S: 250 2.0.0 Ok"), key: "smtp.reply.250.noop"},
		{name: "354", rows: append(greet[:3:3], "C: DATA", "S: 354 End data with <CR><LF>.<CR><LF>"),
			key: "smtp.reply.354", class: "3xx"},
		{name: "MAIL with params", rows: []string{"C: MAIL FROM:<a@b> BODY=8BITMIME SIZE=618 SMTPUTF8"},
			key: "smtp.cmd.mail", details: []string{"smtp.param.body-8bitmime", "smtp.param.size", "smtp.param.smtputf8"},
			params: map[string]string{"mailbox": "a@b", "size": "618"}},
		{name: "null sender", rows: []string{"C: MAIL FROM:<>"}, key: "smtp.cmd.mail.null"},
		{name: "550 user unknown", rows: append(greet[:3:3], "C: MAIL FROM:<a@b>", "S: 250 Ok", "C: RCPT TO:<x@d>",
			"S: 550 5.1.1 <x@d>: Recipient address rejected: User unknown"),
			key: "smtp.reply.550", details: []string{"enh.5.1.1"}, class: "5xx"},
		{name: "550 relay denied", rows: append(greet[:3:3], "C: RCPT TO:<x@other>", "S: 550 5.7.1 Relay access denied"),
			key: "smtp.reply.550.relay", details: []string{"enh.5.7.1"}},
		{name: "450 greylisted", rows: append(greet[:3:3], "C: MAIL FROM:<a@b>", "S: 250 Ok", "C: RCPT TO:<bob@example.net>",
			"S: 450 4.2.0 <bob@example.net>: Recipient address rejected: Greylisted, see RFC 6647"),
			key: "smtp.reply.450.greylist", details: []string{"enh.4.2.0"}, class: "4xx"},
		{name: "554 as greeting", rows: []string{"S: 554 no SMTP service here"}, key: "smtp.reply.554.greeting"},
		{name: "530 STARTTLS first", rows: append(greet[:3:3], "C: MAIL FROM:<a@b>", "S: 530 5.7.0 Must issue a STARTTLS command first"),
			key: "smtp.reply.530.starttls", details: []string{"enh.5.7.0"}},
		{name: "530 auth required", rows: append(greet[:3:3], "C: MAIL FROM:<a@b>", "S: 530 5.7.0 Authentication required"),
			key: "smtp.reply.530.auth"},
		{name: "552 too big", rows: append(greet[:3:3], "C: MAIL FROM:<a@b> SIZE=99999999", "S: 552 5.3.4 Message size exceeds fixed limit"),
			key: "smtp.reply.552", details: []string{"enh.5.3.4"}},
		{name: "unknown code falls back to class", rows: append(greet[:3:3], "C: MAIL FROM:<a@b>", "S: 456 4.9.9 odd"),
			key: "smtp.reply.class.4xx", details: []string{"enh.unknown"}, class: "4xx"},
		{name: "unknown detail falls back to subject", rows: append(greet[:3:3], "C: RCPT TO:<a@b>", "S: 550 5.1.9 odd"),
			key: "smtp.reply.550", details: []string{"enh.subject.1"}},
		{name: "enhanced code class must match", rows: append(greet[:3:3], "C: NOOP", "S: 250 5.0.0 weird"),
			key: "smtp.reply.250.noop"},
		{name: "multi-line 5xx keeps the command", rows: append(greet[:3:3], "C: RCPT TO:<a@b>", "S: 550-5.1.1 first", "S: 550 5.1.1 second"),
			key: "smtp.reply.550", details: []string{"enh.5.1.1"}},
		{name: "221", rows: append(greet[:3:3], "C: QUIT", "S: 221 2.0.0 Bye"), key: "smtp.reply.221"},
		{name: "unknown EHLO keyword is generic", rows: []string{"S: 220 x", "C: EHLO a", "S: 250-mx Hello a", "S: 250 XFROBNICATE"},
			key: "smtp.ehlo.unknown"},
		{name: "unknown command is generic", rows: []string{"S: 220 x", "C: GET / HTTP/1.1"}, key: "generic.client",
			params: map[string]string{"proto": "SMTP"}},
		{name: "its 500 is still explained", rows: []string{"S: 220 x", "C: GET / HTTP/1.1", "S: 500 5.5.1 Unknown"},
			key: "smtp.reply.500", details: []string{"enh.5.5.1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			proto := tc.proto
			if proto == "" {
				proto = "smtp"
			}
			x := lastKey(t, proto, tc.rows...)
			assert.Equal(t, tc.key, short(x.Key))
			if tc.details != nil {
				assert.Equal(t, tc.details, shorts(x.Details))
			}
			for k, v := range tc.params {
				assert.Equal(t, v, x.Params[k], "param %s", k)
			}
			if tc.class != "" {
				assert.Equal(t, tc.class, x.Class)
			}
			if !x.Generic {
				assert.NotEmpty(t, x.RFC)
			}
		})
	}
}

func TestSMTPDataLines(t *testing.T) {
	xs := explainAll("smtp", "S: 220 x", "C: EHLO a", "S: 250 x", "C: MAIL FROM:<a@b>", "S: 250 ok",
		"C: RCPT TO:<c@d>", "S: 250 ok", "C: DATA", "S: 354 go",
		"C: Received: from a", "C: \tby b", "C: Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=", "C: X-Spam: no",
		"C: Content-Transfer-Encoding: quoted-printable", "C: ", "C: Krak=C3=B3w", "C: ..leading dot",
		"C: plain", "C: .", "S: 250 ok")
	keys := []string{}
	for _, x := range xs[9:] {
		keys = append(keys, short(x.Key))
	}
	assert.Equal(t, []string{"msg.header.received", "msg.received.by", "msg.header.subject", "msg.header.x",
		"msg.header.content-transfer-encoding", "msg.header.end", "msg.body.qp", "msg.body.text", "msg.body.text",
		"smtp.data.end", "smtp.reply.250.data"}, keys)
	assert.Equal(t, []string{"msg.encoded-word"}, shorts(xs[11].Details), "RFC 2047 encoded word")
	assert.Equal(t, "b", xs[10].Params["by"], "a folded Received line is explained by its clause")
	assert.Equal(t, []string{"smtp.dot-stuffed"}, shorts(xs[16].Details))
}

func TestSMTPAuthExchanges(t *testing.T) {
	login := explainAll("submission", "S: 220 x", "C: EHLO a", "S: 250 x", "C: AUTH LOGIN",
		"S: 334 VXNlcm5hbWU6", "C: YWxpY2U=", "S: 334 UGFzc3dvcmQ6", "C: d29uZGVybGFuZA==",
		"S: 235 2.7.0 Authentication successful", "C: MAIL FROM:<alice@example.org>", "S: 250 ok")
	var keys []string
	for _, x := range login[3:] {
		keys = append(keys, short(x.Key))
	}
	assert.Equal(t, []string{"smtp.cmd.auth.login", "smtp.reply.334.username", "smtp.sasl.username",
		"smtp.reply.334.password", "smtp.sasl.password", "smtp.reply.235", "smtp.cmd.mail", "smtp.reply.250.mail"}, keys)
	assert.Equal(t, []string{"enh.2.7.0"}, shorts(login[8].Details))

	plain := explainAll("submission", "S: 220 x", "C: AUTH PLAIN", "S: 334 ", "C: AGFsaWNlAHdvbmRlcmxhbmQ=",
		"S: 535 5.7.8 Authentication credentials invalid", "C: AUTH PLAIN AGFsaWNlAHg=", "S: 235 ok", "C: AUTH CRAM-MD5",
		"S: 334 PDEyMzQ1QGV4YW1wbGU+", "C: *", "S: 501 5.0.0 cancelled")
	keys = nil
	for _, x := range plain[1:] {
		keys = append(keys, short(x.Key))
	}
	assert.Equal(t, []string{"smtp.cmd.auth.plain.noir", "smtp.reply.334.empty", "smtp.sasl.plain", "smtp.reply.535",
		"smtp.cmd.auth.plain", "smtp.reply.235", "smtp.cmd.auth.other", "smtp.reply.334.challenge", "smtp.sasl.cancel",
		"smtp.reply.501"}, keys)
	assert.Equal(t, "<12345@example>", plain[8].Params["challenge"])
	assert.Equal(t, []string{"enh.5.7.8"}, shorts(plain[4].Details))
}

// TestSMTPPipelining: with PIPELINING the replies come after several
// commands; each still answers its own command.
func TestSMTPPipelining(t *testing.T) {
	xs := explainAll("smtp", "S: 220 x", "C: EHLO a", "S: 250 x", "C: MAIL FROM:<a@b>", "C: RCPT TO:<c@d>",
		"C: RCPT TO:<e@f>", "C: DATA", "S: 250 sender ok", "S: 250 rcpt ok", "S: 550 no such user", "S: 354 go")
	assert.Equal(t, "smtp.reply.250.mail", short(xs[7].Key))
	assert.Equal(t, "smtp.reply.250.rcpt", short(xs[8].Key))
	assert.Equal(t, "c@d", xs[8].Params["mailbox"])
	assert.Equal(t, "smtp.reply.550", short(xs[9].Key))
	assert.Equal(t, "smtp.reply.354", short(xs[10].Key))
}

// TestLMTPPerRecipient: after the dot LMTP answers once per accepted
// recipient, in RCPT order (RFC 2033 §4.2).
func TestLMTPPerRecipient(t *testing.T) {
	xs := explainAll("lmtp", "S: 220 mda LMTP", "C: LHLO mx", "S: 250-mda Hello mx", "S: 250 PIPELINING",
		"C: MAIL FROM:<a@b>", "S: 250 ok", "C: RCPT TO:<bob@example.net>", "S: 250 ok", "C: RCPT TO:<nobody@example.net>",
		"S: 550 5.1.1 unknown", "C: RCPT TO:<carol@example.net>", "S: 250 ok", "C: DATA", "S: 354 go", "C: hi", "C: .",
		"S: 250 2.0.0 <bob@example.net> Delivered", "S: 452 4.2.2 <carol@example.net> mailbox full", "C: QUIT", "S: 221 bye")
	assert.Equal(t, "lmtp.cmd.lhlo", short(xs[1].Key))
	assert.Equal(t, "lmtp.data.end", short(xs[15].Key))
	assert.Equal(t, "2", xs[15].Params["count"])
	assert.Equal(t, "lmtp.reply.rcpt.ok", short(xs[16].Key))
	assert.Equal(t, "bob@example.net", xs[16].Params["mailbox"])
	assert.Equal(t, "lmtp.reply.rcpt.temp", short(xs[17].Key))
	assert.Equal(t, "carol@example.net", xs[17].Params["mailbox"])
	assert.Equal(t, []string{"enh.4.2.2"}, shorts(xs[17].Details))
	assert.Equal(t, "smtp.reply.221", short(xs[19].Key))
}

func TestSMTPBDAT(t *testing.T) {
	xs := explainAll("smtp", "S: 220 x", "C: EHLO a", "S: 250 x", "C: MAIL FROM:<a@b>", "S: 250 ok",
		"C: RCPT TO:<c@d>", "S: 250 ok", "C: BDAT 15", "C: Subject: hi", "C: ", "S: 250 2.0.0 15 octets received",
		"C: BDAT 4 LAST", "C: ok", "S: 250 2.0.0 Ok: queued as Q1")
	assert.Equal(t, "smtp.cmd.bdat", short(xs[7].Key))
	assert.Equal(t, "msg.header.subject", short(xs[8].Key))
	assert.Equal(t, "msg.header.end", short(xs[9].Key))
	assert.Equal(t, "smtp.reply.250.bdat", short(xs[10].Key))
	assert.Equal(t, "smtp.cmd.bdat.last", short(xs[11].Key))
	assert.Equal(t, "msg.body.text", short(xs[12].Key), "the chunks continue one message")
	assert.Equal(t, "smtp.reply.250.queued", short(xs[13].Key))
}

func TestSMTPContextFields(t *testing.T) {
	tr := NewTracker()
	evs := script("smtp", "S: 220 x", "C: EHLO a", "S: 250 x", "C: MAIL FROM:<a@b>", "S: 250 ok", "C: RCPT TO:<c@d>",
		"S: 250 ok", "C: DATA", "S: 354 go", "C: hi")
	for _, ev := range evs {
		tr.Explain(ev)
	}
	c := tr.Context()
	assert.Equal(t, "smtp", c.Proto)
	assert.Equal(t, "DATA", c.LastClientCommand)
	assert.True(t, c.InData)
	tr.Explain(script("smtp", "C: .")[0])
	assert.False(t, tr.Context().InData)
	tr.Explain(script("smtp", "S: 250 ok")[0])
	assert.Equal(t, ".", tr.Context().Answering)
}
