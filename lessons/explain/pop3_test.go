package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPOP3Session walks a whole session: commands, status lines, the
// multi-line responses with their terminating dot, and the states.
func TestPOP3Session(t *testing.T) {
	rows := []string{
		"S: +OK mail.example.net POP3 server ready <1.2@mail.example.net>",
		"C: CAPA", "S: +OK capability list follows", "S: TOP", "S: UIDL", "S: SASL PLAIN", "S: XFOO", "S: .",
		"C: STLS", "S: +OK Begin TLS negotiation",
		"C: USER bob@example.net", "S: +OK send PASS", "C: PASS builder",
		"S: +OK bob@example.net's maildrop has 2 messages (1760 octets)",
		"C: STAT", "S: +OK 2 1760",
		"C: LIST", "S: +OK 2 messages", "S: 1 880", "S: 2 880", "S: .",
		"C: UIDL 2", "S: +OK 2 1795443101.2",
		"C: RETR 1", "S: +OK 880 octets", "S: Subject: hi", "S: ", "S: ..dot line", "S: text", "S: .",
		"C: DELE 1", "S: +OK message 1 deleted",
		"C: QUIT", "S: +OK bye (1 message left)",
	}
	want := []string{
		"pop3.greeting.apop",
		"pop3.cmd.capa", "pop3.ok.capa", "pop3.capa.top", "pop3.capa.uidl", "pop3.capa.sasl", "pop3.capa.unknown", "pop3.multiline.end",
		"pop3.cmd.stls", "pop3.ok.stls",
		"pop3.cmd.user", "pop3.ok.user", "pop3.cmd.pass", "pop3.ok.login",
		"pop3.cmd.stat", "pop3.ok.stat",
		"pop3.cmd.list", "pop3.ok.list", "pop3.list.line", "pop3.list.line", "pop3.multiline.end",
		"pop3.cmd.uidl.one", "pop3.ok.uidl.one",
		"pop3.cmd.retr", "pop3.ok.retr", "msg.header.subject", "msg.header.end", "msg.body.text", "msg.body.text", "pop3.multiline.end",
		"pop3.cmd.dele", "pop3.ok.dele",
		"pop3.cmd.quit.update", "pop3.ok.quit.update",
	}
	xs := explainAll("pop3", rows...)
	var got []string
	for _, x := range xs {
		got = append(got, short(x.Key))
	}
	assert.Equal(t, want, got)
	assert.Equal(t, "<1.2@mail.example.net>", xs[0].Params["timestamp"])
	assert.Equal(t, "+OK", xs[0].Class)
	assert.True(t, xs[6].Generic, "unknown capability")
	assert.Equal(t, map[string]string{"count": "2", "size": "1760"}, xs[15].Params)
	assert.Equal(t, map[string]string{"msg": "1", "size": "880"}, xs[18].Params)
	assert.Equal(t, "1795443101.2", xs[22].Params["value"])
	assert.Equal(t, []string{"pop3.dot-stuffed"}, shorts(xs[27].Details))
	assert.Equal(t, "RETR", xs[29].Params["command"])
}

func TestPOP3States(t *testing.T) {
	tr := NewTracker()
	steps := []struct {
		row, state string
		inData     bool
	}{
		{"S: +OK ready", "AUTHORIZATION", false},
		{"C: USER bob", "AUTHORIZATION", false},
		{"S: +OK", "AUTHORIZATION", false},
		{"C: PASS x", "AUTHORIZATION", false},
		{"S: +OK logged in", "TRANSACTION", false},
		{"C: RETR 1", "TRANSACTION", false},
		{"S: +OK 3 octets", "TRANSACTION", true},
		{"S: hi", "TRANSACTION", true},
		{"S: .", "TRANSACTION", false},
		{"C: QUIT", "TRANSACTION", false},
		{"S: +OK bye", "UPDATE", false},
	}
	for i, st := range steps {
		tr.Explain(script("pop3", st.row)[0])
		assert.Equal(t, st.state, tr.Context().State, "step %d %s", i, st.row)
		assert.Equal(t, st.inData, tr.Context().InData, "step %d %s", i, st.row)
	}
	assert.Equal(t, "QUIT", tr.Context().Answering)
}

func TestPOP3Errors(t *testing.T) {
	tests := []struct {
		name string
		rows []string
		key  string
	}{
		{"QUIT before login", []string{"S: +OK hi", "C: QUIT"}, "pop3.cmd.quit"},
		{"its answer", []string{"S: +OK hi", "C: QUIT", "S: +OK bye"}, "pop3.ok.quit"},
		{"wrong password", []string{"S: +OK hi", "C: USER a", "S: +OK", "C: PASS b", "S: -ERR invalid password"}, "pop3.err.login"},
		{"[AUTH]", []string{"S: +OK hi", "C: USER a", "S: +OK", "C: PASS b", "S: -ERR [AUTH] invalid user name or password"}, "pop3.err.code.auth"},
		{"[IN-USE]", []string{"S: +OK hi", "C: USER a", "S: +OK", "C: PASS b", "S: -ERR [IN-USE] locked"}, "pop3.err.code.in-use"},
		{"[SYS/TEMP]", []string{"S: +OK hi", "C: RETR 1", "S: -ERR [SYS/TEMP] cannot read message"}, "pop3.err.code.sys-temp"},
		{"plain -ERR", []string{"S: +OK hi", "C: RETR 9", "S: -ERR no such message"}, "pop3.err"},
		{"-ERR greeting", []string{"S: -ERR go away"}, "pop3.greeting.err"},
		{"SASL challenge", []string{"S: +OK hi", "C: AUTH PLAIN", "S: + "}, "pop3.sasl.challenge"},
		{"SASL response", []string{"S: +OK hi", "C: AUTH PLAIN", "S: + ", "C: AGJvYgBidWlsZGVy"}, "pop3.sasl.response"},
		{"SASL success", []string{"S: +OK hi", "C: AUTH PLAIN", "S: + ", "C: AGJvYgBidWlsZGVy", "S: +OK maildrop locked"}, "pop3.ok.login"},
		{"AUTH with initial response", []string{"S: +OK hi", "C: AUTH PLAIN AGJvYgBidWlsZGVy"}, "pop3.cmd.auth.ir"},
		{"TOP", []string{"S: +OK hi", "C: TOP 1 0"}, "pop3.cmd.top"},
		{"RSET", []string{"S: +OK hi", "C: RSET", "S: +OK"}, "pop3.ok.rset"},
		{"unknown command", []string{"S: +OK hi", "C: XYZZY"}, "generic.client"},
		{"too many invalid", []string{"S: +OK hi", "C: XYZZY", "S: -ERR Too many invalid commands."}, "pop3.err.invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := lastKey(t, "pop3", tc.rows...)
			assert.Equal(t, tc.key, short(x.Key))
		})
	}
}
