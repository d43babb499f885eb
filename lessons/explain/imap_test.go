package explain

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIMAPTaggedUntaggedContinuation(t *testing.T) {
	msg := "Subject: hi\r\n\r\nHello\r\n"
	rows := []string{
		"S: * OK [CAPABILITY IMAP4rev2 STARTTLS AUTH=PLAIN] ready",
		"C: a1 LOGIN \"bob@example.net\" \"builder\"",
		"C: a2 CAPABILITY",
		"S: * CAPABILITY IMAP4rev2 IDLE MOVE",
		"S: a2 OK CAPABILITY completed",
		"S: a1 OK [CAPABILITY IMAP4rev2 IDLE] Logged in",
		"C: a3 SELECT INBOX",
		"S: * 1 EXISTS",
		"S: * OK [UIDVALIDITY 7] UIDs valid",
		"S: a3 OK [READ-WRITE] SELECT completed",
		"C: a4 UID FETCH 1 (UID FLAGS BODY[])",
		"S: * 1 FETCH (UID 1 FLAGS (\\Seen) BODY[] {" + strconv.Itoa(len(msg)) + "}",
		"S: Subject: hi", "S: ", "S: Hello",
		"S: )",
		"S: a4 OK UID FETCH completed",
		"C: a5 IDLE",
		"S: + idling",
		"S: * 2 EXISTS",
		"S: * 1 FETCH (UID 1 FLAGS (\\Seen \\Flagged))",
		"C: DONE",
		"S: a5 OK IDLE completed",
		"C: a6 STORE 1 +FLAGS (\\Deleted)",
		"S: * 1 FETCH (FLAGS (\\Seen \\Deleted))",
		"S: a6 OK STORE completed",
		"C: a7 EXPUNGE",
		"S: * 1 EXPUNGE",
		"S: a7 OK EXPUNGE completed",
		"C: a8 LOGOUT",
		"S: * BYE logging out",
		"S: a8 OK LOGOUT completed",
	}
	want := []string{
		"imap.greeting",
		"imap.cmd.login", "imap.cmd.capability", "imap.resp.capability", "imap.ok.capability", "imap.ok.login",
		"imap.cmd.select", "imap.resp.exists.select", "imap.code.uidvalidity", "imap.ok.select",
		"imap.cmd.fetch.body", "imap.resp.fetch.body", "msg.header.subject", "msg.header.end", "msg.body.text",
		"imap.resp.fetch.end", "imap.ok.fetch",
		"imap.cmd.idle", "imap.cont.idle", "imap.resp.exists.new", "imap.resp.fetch.push", "imap.cmd.done", "imap.ok.idle",
		"imap.cmd.store.deleted", "imap.resp.fetch.store", "imap.ok.store",
		"imap.cmd.expunge", "imap.resp.expunge", "imap.ok.expunge",
		"imap.cmd.logout", "imap.resp.bye.logout", "imap.ok.logout",
	}
	xs := explainAll("imap", rows...)
	var got []string
	for _, x := range xs {
		got = append(got, short(x.Key))
	}
	assert.Equal(t, want, got)
	assert.Equal(t, "untagged", xs[0].Class)
	assert.Equal(t, []string{"imap.code.capability", "auth.offered.cleartext"}, shorts(xs[0].Details),
		"AUTH=PLAIN offered before STARTTLS")
	assert.Equal(t, "OK", xs[4].Class)
	assert.Equal(t, "a1 LOGIN", xs[5].Params["command"], "the tag finds the command even out of order")
	assert.Equal(t, []string{"imap.code.read-write"}, shorts(xs[9].Details))
	assert.Equal(t, "INBOX", xs[9].Params["mailbox"])
	assert.Equal(t, []string{"imap.uid"}, shorts(xs[10].Details))
	assert.Equal(t, strconv.Itoa(len(msg)), xs[11].Params["size"])
	assert.Equal(t, "continuation", xs[18].Class)
	assert.Equal(t, []string{"imap.flag.seen", "imap.flag.flagged"}, shorts(xs[20].Details))
	assert.Equal(t, []string{"imap.flag.deleted"}, shorts(xs[23].Details))
}

func TestIMAPClientLiteralAndSASL(t *testing.T) {
	msg := "Subject: x\r\n\r\nhi\r\n"
	xs := explainAll("imap",
		"S: * OK ready",
		"C: a1 AUTHENTICATE PLAIN",
		"S: + ",
		"C: AGJvYgBidWlsZGVy",
		"S: a1 OK [CAPABILITY IMAP4rev2] authenticated",
		"C: a2 APPEND Sent (\\Seen) {"+strconv.Itoa(len(msg))+"}",
		"S: + Ready for literal data",
		"C: Subject: x", "C: ", "C: hi",
		"C: ",
		"S: a2 OK [APPENDUID 1 5] APPEND completed",
		"C: a3 LOGIN bob {7}",
		"S: + ok",
		"C: builder",
		"C: ",
		"S: a3 NO [AUTHENTICATIONFAILED] Invalid credentials",
		"C: a4 FETCH 1 BODY[]",
		"S: a4 BAD No mailbox selected",
		"S: * BAD Empty line",
	)
	var got []string
	for _, x := range xs {
		got = append(got, short(x.Key))
	}
	assert.Equal(t, []string{"imap.greeting",
		"imap.cmd.authenticate", "imap.cont.sasl.empty", "imap.sasl.response", "imap.ok.authenticate",
		"imap.cmd.append", "imap.cont.literal", "msg.header.subject", "msg.header.end", "msg.body.text",
		"imap.literal.rest", "imap.ok.append",
		"imap.cmd.login", "imap.cont.literal", "imap.literal.data", "imap.literal.rest", "imap.no.login",
		"imap.cmd.fetch.body", "imap.bad", "imap.resp.bad"}, got)
	assert.Equal(t, []string{"imap.code.appenduid"}, shorts(xs[11].Details))
	assert.Equal(t, "Sent", xs[11].Params["mailbox"])
	assert.Equal(t, []string{"imap.code.authenticationfailed"}, shorts(xs[16].Details))
	assert.Equal(t, "NO", xs[16].Class)
	assert.Equal(t, "BAD", xs[18].Class)
}

func TestIMAPResponses(t *testing.T) {
	tests := []struct {
		name string
		rows []string
		key  string
	}{
		{"PREAUTH", []string{"S: * PREAUTH welcome"}, "imap.greeting.preauth"},
		{"BYE greeting", []string{"S: * BYE [UNAVAILABLE] Too many connections"}, "imap.greeting.bye"},
		{"RECENT", []string{"S: * OK hi", "S: * 0 RECENT"}, "imap.resp.recent"},
		{"FLAGS", []string{"S: * OK hi", "S: * FLAGS (\\Seen \\Deleted)"}, "imap.resp.flags"},
		{"PERMANENTFLAGS", []string{"S: * OK hi", "S: * OK [PERMANENTFLAGS (\\Seen \\*)] Limited"}, "imap.code.permanentflags"},
		{"UIDNEXT", []string{"S: * OK hi", "S: * OK [UIDNEXT 4] Predicted"}, "imap.code.uidnext"},
		{"untagged OK without code", []string{"S: * OK hi", "S: * OK still here"}, "imap.resp.ok"},
		{"unknown code is generic", []string{"S: * OK hi", "S: * OK [XWEIRD 1] odd"}, "imap.code.unknown"},
		{"LIST", []string{"S: * OK hi", "C: a1 LIST \"\" *", "S: * LIST (\\HasNoChildren \\Sent) \"/\" Sent"}, "imap.resp.list"},
		{"STATUS", []string{"S: * OK hi", "S: * STATUS INBOX (MESSAGES 2 UNSEEN 1)"}, "imap.resp.status"},
		{"ESEARCH", []string{"S: * OK hi", "S: * ESEARCH (TAG \"a1\") ALL 1:3"}, "imap.resp.esearch.seq"},
		{"SEARCH", []string{"S: * OK hi", "S: * SEARCH 1 2"}, "imap.resp.search"},
		{"ENABLED", []string{"S: * OK hi", "S: * ENABLED UTF8=ACCEPT"}, "imap.resp.enabled"},
		{"BYE without LOGOUT", []string{"S: * OK hi", "S: * BYE server shutting down"}, "imap.resp.bye"},
		{"continuation without context", []string{"S: * OK hi", "S: + go on"}, "imap.cont"},
		{"FETCH answer", []string{"S: * OK hi", "C: a1 FETCH 1 (FLAGS)", "S: * 1 FETCH (FLAGS ())"}, "imap.resp.fetch"},
		{"MOVE", []string{"S: * OK hi", "C: a1 UID MOVE 1 Trash"}, "imap.cmd.move"},
		{"EXAMINE", []string{"S: * OK hi", "C: a1 EXAMINE INBOX"}, "imap.cmd.examine"},
		{"STATUS cmd", []string{"S: * OK hi", "C: a1 STATUS INBOX (UNSEEN)"}, "imap.cmd.status"},
		{"SEARCH cmd", []string{"S: * OK hi", "C: a1 UID SEARCH UNSEEN"}, "imap.cmd.search"},
		{"UID EXPUNGE", []string{"S: * OK hi", "C: a1 UID EXPUNGE 3"}, "imap.cmd.uid-expunge"},
		{"BODY.PEEK", []string{"S: * OK hi", "C: a1 FETCH 1 BODY.PEEK[]"}, "imap.cmd.fetch.peek"},
		{"STORE -FLAGS", []string{"S: * OK hi", "C: a1 STORE 1 -FLAGS (\\Seen)"}, "imap.cmd.store.remove"},
		{"invalid modified UTF-7 name", []string{"S: * OK hi", "C: a1 CREATE \"&'+,-\"",
			"S: a1 NO [CANNOT] Mailbox name &'+,- is not valid modified UTF-7 (RFC 3501 §5.1.3): write \"&\" as \"&-\""}, "imap.no.mutf7"},
		{"no tag", []string{"S: * OK hi", "C: LOGIN bob builder"}, "generic.client"},
		{"unknown command", []string{"S: * OK hi", "C: a1 XYZZY"}, "generic.client"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := lastKey(t, "imap", tc.rows...)
			assert.Equal(t, tc.key, short(x.Key))
			assert.Equal(t, tc.key == "imap.code.unknown" || tc.key == "generic.client", x.Generic)
		})
	}
	list := lastKey(t, "imap", "S: * OK hi", "S: * LIST (\\HasNoChildren \\Sent) \"/\" Sent")
	assert.Equal(t, "Sent", list.Params["mailbox"])
	assert.Equal(t, []string{"imap.special-use"}, shorts(list.Details))
}

func TestIMAPContext(t *testing.T) {
	tr := NewTracker()
	for _, ev := range script("imap", "S: * OK hi", "C: T5 FETCH 1 BODY[]", "S: * 1 FETCH (BODY[] {20}", "S: 12345678") {
		tr.Explain(ev)
	}
	assert.Equal(t, "T5 FETCH", tr.Context().LastClientCommand)
	assert.True(t, tr.Context().InData, "inside the literal")
	tr.Explain(script("imap", "S: 12345678")[0])
	tr.Explain(script("imap", "S: )")[0])
	assert.False(t, tr.Context().InData)
	tr.Explain(script("imap", "S: T5 OK done")[0])
	assert.Equal(t, "T5 FETCH", tr.Context().Answering)
}

// TestIMAPRefusedLiteral: a tagged answer instead of "+" ends the
// command, so the next client line is a command again, not literal data;
// a BYE ends the literal too.
func TestIMAPRefusedLiteral(t *testing.T) {
	xs := explainAll("imap",
		"S: * OK ready",
		"C: a APPEND INBOX {94371840}",
		"S: a BAD [CLIENTBUG] Log in first: APPEND is only valid in the authenticated state",
		"C: b LOGIN bob builder",
		"S: b OK logged in",
		"C: c APPEND INBOX {94371840}",
		"S: c NO [TOOBIG] Message too large (the limit is 10485760 octets, APPENDLIMIT)",
		"C: d APPEND INBOX {400}",
		"S: d NO [OVERQUOTA] Mailbox full: the message needs 400 octets, 12 are left",
		"C: e SEARCH ((((((((ALL))))))))",
		"S: e BAD [LIMIT] Too many nested parentheses (the limit is 100)",
		"C: f NOOP {5000+}",
		"S: f NO [TOOBIG] Literal too large for NOOP (the limit is 4096 octets)",
		"S: * BYE Literal too large, closing the connection",
	)
	var got []string
	for _, x := range xs {
		got = append(got, short(x.Key))
	}
	assert.Equal(t, []string{"imap.greeting",
		"imap.cmd.append", "imap.bad",
		"imap.cmd.login", "imap.ok.login",
		"imap.cmd.append", "imap.no",
		"imap.cmd.append", "imap.no",
		"imap.cmd.search", "imap.bad",
		"imap.cmd.noop", "imap.no", "imap.resp.bye.literal"}, got)
	assert.Equal(t, []string{"imap.code.clientbug", "imap.literal.refused"}, shorts(xs[2].Details))
	assert.Equal(t, []string{"imap.code.toobig", "imap.literal.refused"}, shorts(xs[6].Details))
	assert.Equal(t, []string{"imap.code.overquota", "imap.literal.refused"}, shorts(xs[8].Details))
	assert.Equal(t, []string{"imap.code.limit"}, shorts(xs[10].Details))
	assert.Equal(t, []string{"imap.code.toobig"}, shorts(xs[12].Details), "no + is awaited for a literal+")

	login := lastKey(t, "imap", "S: * OK hi", "C: a1 LOGIN bob builder",
		"S: a1 OK [CAPABILITY IMAP4rev2 MOVE APPENDLIMIT=10485760] Logged in")
	assert.Equal(t, []string{"imap.code.capability", "imap.cap.appendlimit"}, shorts(login.Details))
	assert.Equal(t, "10485760", login.Params["limit"])

	bye := lastKey(t, "imap", "S: * OK hi", "C: x1 BOGUS", "S: x1 BAD Unknown command BOGUS",
		"S: * BYE Too many invalid IMAP commands.")
	assert.Equal(t, "imap.resp.bye.invalid", short(bye.Key))
}
