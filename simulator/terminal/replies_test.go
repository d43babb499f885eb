package terminal

import (
	"bufio"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// turn is one line of a dialogue: the client's (and whether it asks for
// STARTTLS) or the server's (and what it decides).
type turn struct {
	server   bool
	line     string
	starttls bool // client: the line asks for STARTTLS
	decided  bool // server: the line answers it
	ok       bool
}

func cl(line string, starttls bool) turn { return turn{line: line, starttls: starttls} }
func sv(line string) turn                { return turn{server: true, line: line} }
func answer(line string, ok bool) turn   { return turn{server: true, line: line, decided: true, ok: ok} }

func TestReplies(t *testing.T) {
	tests := []struct {
		name  string
		proto string
		turns []turn
	}{
		{"SMTP in lock step", "smtp", []turn{
			sv("220 mx ESMTP"), cl("EHLO x", false), sv("250-mx"), sv("250 STARTTLS"),
			cl("STARTTLS", true), answer("220 go ahead", true)}},
		{"SMTP typed ahead of the greeting", "submission", []turn{
			cl("EHLO x", false), cl("starttls", true), sv("220 smtp ESMTP"), sv("250-smtp"),
			sv("250 STARTTLS"), answer("220 Ready to start TLS", true)}},
		{"SMTP: go-smtp reads any line that begins with STARTTLS as the command", "smtp", []turn{
			sv("220 mx"), cl("STARTTLSX now", true), answer("220 go ahead", true)}},
		{"SMTP refused", "smtp", []turn{
			sv("220 mx"), cl("STARTTLS", true), answer("454 4.7.0 TLS not available", false)}},
		{"SMTP DATA body is no command", "smtp", []turn{
			sv("220 mx"), cl("DATA", false), sv("354 go"), cl("STARTTLS", false), cl(".", false),
			sv("250 queued"), cl("STARTTLS", true), answer("220 go", true)}},
		{"SMTP DATA refused ends the body", "smtp", []turn{
			sv("220 mx"), cl("DATA", false), sv("503 need RCPT"), cl("STARTTLS", true), answer("220 go", true)}},
		{"SMTP AUTH exchange", "submission", []turn{
			sv("220 s"), cl("AUTH LOGIN", false), sv("334 VXNlcm5hbWU6"), cl("Ym9i", false),
			sv("334 UGFzc3dvcmQ6"), cl("YnVpbGRlcg==", false), sv("235 ok"), cl("STARTTLS", true),
			answer("503 already", false)}},
		{"POP3 STLS", "pop3", []turn{sv("+OK ready"), cl("STLS", true), answer("+OK Begin TLS", true)}},
		{"POP3 STLS refused", "pop3", []turn{sv("+OK ready"), cl("stls x", true), answer("-ERR syntax", false)}},
		{"POP3 multi-line before STLS", "pop3", []turn{
			cl("CAPA", false), cl("STLS", true), sv("+OK ready"), sv("+OK capabilities"), sv("STLS"),
			sv("+OK in a list"), sv("."), answer("+OK Begin TLS", true)}},
		{"POP3 LIST with an argument is one line", "pop3", []turn{
			sv("+OK"), cl("LIST 1", false), cl("STLS", true), sv("+OK 1 120"), answer("-ERR no", false)}},
		{"POP3 refused multi-line command", "pop3", []turn{
			sv("+OK"), cl("RETR 1", false), cl("STLS", true), sv("-ERR no such message"), answer("+OK go", true)}},
		{"IMAP by tag", "imap", []turn{
			sv("* OK ready"), cl("a1 CAPABILITY", false), cl("a2 starttls", true), sv("* CAPABILITY IMAP4rev1 STARTTLS"),
			sv("a1 OK done"), answer("a2 OK Begin TLS", true)}},
		{"IMAP refused", "imap", []turn{cl("t STARTTLS", true), sv("* OK ready"), answer("t BAD no", false)}},
		{"IMAP STARTTLS with more is no request", "imap", []turn{cl("t STARTTLS now", false), sv("t BAD")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newReplies(tc.proto)
			for i, tu := range tc.turns {
				if !tu.server {
					assert.Equal(t, tu.starttls, r.sent(tu.line), "turn %d: %q", i, tu.line)
					continue
				}
				decided, ok := r.received(tu.line)
				assert.Equal(t, tu.decided, decided, "turn %d: %q decided", i, tu.line)
				assert.Equal(t, tu.ok, ok, "turn %d: %q ok", i, tu.line)
			}
		})
	}
}

func TestReadLine(t *testing.T) {
	long := strings.Repeat("a", 20000)
	tests := []struct {
		name  string
		input string
		limit int
		want  []string
		cut   []bool
	}{
		{"CRLF and LF", "one\r\ntwo\nthree\r\n", 100, []string{"one", "two", "three"}, []bool{false, false, false}},
		{"empty line", "\r\nx\r\n", 100, []string{"", "x"}, []bool{false, false}},
		{"last line without end", "one\r\ntail", 100, []string{"one", "tail"}, []bool{false, false}},
		{"exactly the limit", "12345\r\nx\r\n", 5, []string{"12345", "x"}, []bool{false, false}},
		{"one over the limit", "123456\r\nx\r\n", 5, []string{"12345", "x"}, []bool{true, false}},
		{"far longer than the buffer", long + "\r\nnext\r\n", MaxReceived, []string{long[:MaxReceived], "next"},
			[]bool{true, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			br := bufio.NewReaderSize(strings.NewReader(tc.input), 16)
			for i, want := range tc.want {
				got, cut, err := readLine(br, tc.limit)
				require.NoError(t, err, "line %d", i)
				assert.Equal(t, want, got, "line %d", i)
				assert.Equal(t, tc.cut[i], cut, "line %d cut", i)
			}
			_, _, err := readLine(br, tc.limit)
			assert.Error(t, err, "then EOF")
		})
	}
}
