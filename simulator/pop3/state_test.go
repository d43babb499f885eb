package pop3

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// step is one command and the expected reply prefix; data, when set, is
// the exact multi-line body as on the wire.
type step struct {
	send  string
	want  string
	multi bool
	data  []string
}

// runScript runs steps and ends with QUIT, so the maildrop lock is free
// for the next row once the connection is closed.
func runScript(t *testing.T, r *raw, steps []step) {
	t.Helper()
	runSteps(t, r, steps)
	if steps[len(steps)-1].send != "QUIT" {
		r.cmd("QUIT", "+OK")
	}
	r.eof()
}

func runSteps(t *testing.T, r *raw, steps []step) {
	t.Helper()
	for _, s := range steps {
		r.cmd(s.send, s.want)
		if s.multi || s.data != nil {
			got := r.data()
			if s.data != nil {
				assert.Equal(t, s.data, got, "data after %q", s.send)
			}
		}
	}
}

func TestAuthorizationState(t *testing.T) {
	ts := start(t, Options{})
	notYet := func(cmd string) []step {
		return []step{{send: cmd, want: "-ERR " + firstWord(cmd) + " not allowed before login"}}
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"STAT", notYet("STAT")},
		{"LIST", notYet("LIST")},
		{"UIDL", notYet("UIDL 1")},
		{"RETR", notYet("RETR 1")},
		{"TOP", notYet("TOP 1 1")},
		{"DELE", notYet("DELE 1")},
		{"NOOP", notYet("NOOP")},
		{"RSET", notYet("RSET")},
		{"PASS without USER", []step{{send: "PASS wonderland", want: "-ERR send USER first"}}},
		{"USER without name", []step{{send: "USER", want: "-ERR syntax: USER name"}}},
		{"USER PASS", []step{{send: "USER " + alice, want: "+OK send PASS"},
			{send: "PASS " + alicePass, want: "+OK " + alice + "'s maildrop has 3 messages ("}}},
		{"keywords ignore case", []step{{send: "user " + alice, want: "+OK"},
			{send: "pAsS " + alicePass, want: "+OK " + alice + "'s maildrop"}}},
		{"user name ignores case", []step{{send: "USER ALICE@example.ORG", want: "+OK"},
			{send: "PASS " + alicePass, want: "+OK"}}},
		{"wrong password", []step{{send: "USER " + alice, want: "+OK"},
			{send: "PASS nope", want: "-ERR [AUTH] invalid user name or password"},
			{send: "PASS " + alicePass, want: "-ERR send USER first"}}},
		{"unknown user", []step{{send: "USER mallory@example.org", want: "+OK"},
			{send: "PASS x", want: "-ERR [AUTH] invalid user name or password"}}},
		{"PASS with spaces", []step{{send: "USER " + alice, want: "+OK"},
			{send: "PASS wonder land", want: "-ERR [AUTH]"}}},
		{"APOP wrong digest", []step{{send: "APOP " + alice + " 0123456789abcdef0123456789abcdef",
			want: "-ERR [AUTH] invalid user name or password"}}},
		{"APOP syntax", []step{{send: "APOP " + alice, want: "-ERR syntax: APOP name digest"}}},
		{"LAST is obsolete", []step{{send: "LAST", want: "-ERR LAST is obsolete"}}},
		{"unknown command", []step{{send: "HELO x", want: "-ERR unknown command"}}},
		{"long keyword", []step{{send: "XYZZY", want: "-ERR unknown command"}}},
		{"binary garbage", []step{{send: "\x00\xff\x16\x03", want: "-ERR unknown command"}}},
		{"control character", []step{{send: "USER a\x01b", want: "-ERR invalid character"}}},
		{"empty line", []step{{send: "", want: "-ERR empty command"}}},
		{"STLS not offered", []step{{send: "STLS", want: "-ERR STLS not available"}}},
		{"AUTH other mechanism", []step{{send: "AUTH CRAM-MD5", want: "-ERR unsupported authentication mechanism"}}},
		{"AUTH lists mechanisms", []step{{send: "AUTH", want: "+OK", data: []string{"PLAIN"}}}},
		{"CAPA", []step{{send: "CAPA", want: "+OK Capability list follows", data: []string{
			"TOP", "UIDL", "USER", "SASL PLAIN", "RESP-CODES", "AUTH-RESP-CODE", "IMPLEMENTATION Maillab"}}}},
		{"CAPA with argument", []step{{send: "CAPA x", want: "-ERR syntax: CAPA"}}},
		{"QUIT", []step{{send: "QUIT", want: "+OK " + host + " POP3 server signing off"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runScript(t, ts.connect(t), tc.steps)
		})
	}
}

func firstWord(s string) string {
	for i, c := range s {
		if c == ' ' {
			return s[:i]
		}
	}
	return s
}

func TestTransactionState(t *testing.T) {
	ts := start(t, Options{})
	s1, s2, s3 := WireSize([]byte(msg1)), WireSize([]byte(msg2)), WireSize([]byte(msg3))
	total := s1 + s2 + s3
	tests := []struct {
		name  string
		steps []step
	}{
		{"STAT", []step{{send: "STAT", want: fmt.Sprintf("+OK 3 %d", total)}}},
		{"STAT with argument", []step{{send: "STAT 1", want: "-ERR syntax: STAT"}}},
		{"LIST", []step{{send: "LIST", want: fmt.Sprintf("+OK 3 messages (%d octets)", total),
			data: []string{fmt.Sprintf("1 %d", s1), fmt.Sprintf("2 %d", s2), fmt.Sprintf("3 %d", s3)}}}},
		{"LIST one", []step{{send: "LIST 2", want: fmt.Sprintf("+OK 2 %d", s2)}}},
		{"LIST out of range", []step{{send: "LIST 4", want: "-ERR no such message"}}},
		{"LIST zero", []step{{send: "LIST 0", want: "-ERR no such message"}}},
		{"LIST huge", []step{{send: "LIST 99999999999999999999999", want: "-ERR no such message"}}},
		{"LIST not a number", []step{{send: "LIST x", want: "-ERR invalid message number"}}},
		{"LIST negative", []step{{send: "LIST -1", want: "-ERR invalid message number"}}},
		{"LIST two arguments", []step{{send: "LIST 1 2", want: "-ERR syntax: LIST [msg]"}}},
		{"UIDL", []step{{send: "UIDL", want: "+OK", data: []string{"1 mem-1", "2 mem-2", "3 mem-3"}}}},
		{"UIDL one", []step{{send: "UIDL 3", want: "+OK 3 mem-3"}}},
		{"RETR", []step{{send: "RETR 3", want: fmt.Sprintf("+OK %d octets", s3),
			data: []string{"Subject: three", "", "...double"}}}},
		{"RETR without number", []step{{send: "RETR", want: "-ERR syntax: RETR msg"}}},
		{"RETR out of range", []step{{send: "RETR 7", want: "-ERR no such message"}}},
		{"TOP headers only", []step{{send: "TOP 3 0", want: "+OK", data: []string{"Subject: three", ""}}}},
		{"TOP negative", []step{{send: "TOP 1 -1", want: "-ERR invalid line count"}}},
		{"TOP syntax", []step{{send: "TOP 1", want: "-ERR syntax: TOP msg n"}}},
		{"DELE and deleted", []step{
			{send: "DELE 1", want: "+OK message 1 deleted"},
			{send: "DELE 1", want: "-ERR message 1 already deleted"},
			{send: "RETR 1", want: "-ERR message 1 already deleted"},
			{send: "TOP 1 1", want: "-ERR message 1 already deleted"},
			{send: "LIST 1", want: "-ERR message 1 already deleted"},
			{send: "UIDL 1", want: "-ERR message 1 already deleted"},
			{send: "STAT", want: fmt.Sprintf("+OK 2 %d", s2+s3)},
			{send: "LIST", want: "+OK 2 messages", data: []string{fmt.Sprintf("2 %d", s2), fmt.Sprintf("3 %d", s3)}},
			{send: "UIDL", want: "+OK", data: []string{"2 mem-2", "3 mem-3"}},
			{send: "RSET", want: fmt.Sprintf("+OK maildrop has 3 messages (%d octets)", total)},
			{send: "RETR 1", want: "+OK", multi: true},
		}},
		{"NOOP", []step{{send: "NOOP", want: "+OK"}}},
		{"USER again", []step{{send: "USER " + bob, want: "-ERR already logged in"}}},
		{"PASS again", []step{{send: "PASS x", want: "-ERR already logged in"}}},
		{"APOP again", []step{{send: "APOP a b", want: "-ERR already logged in"}}},
		{"AUTH again", []step{{send: "AUTH PLAIN", want: "-ERR already logged in"}}},
		{"STLS after login", []step{{send: "STLS", want: "-ERR STLS not allowed after login"}}},
		{"LAST", []step{{send: "LAST", want: "-ERR LAST is obsolete"}}},
		{"garbage", []step{{send: "\x00\xff\x16\x03", want: "-ERR unknown command"}}},
		{"CAPA", []step{{send: "CAPA", want: "+OK Capability list follows", multi: true}}},
		{"QUIT", []step{{send: "QUIT", want: "+OK " + host + " POP3 server signing off (3 messages left)"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// QUIT without deletions: the next row sees all three messages.
			runScript(t, ts.login(t, alice, alicePass), tc.steps)
		})
	}
}
