package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// step is one line of a dialogue; server lines only update the state.
type credStep struct {
	server bool
	line   string
	cred   bool
}

func c(line string, cred bool) credStep { return credStep{line: line, cred: cred} }
func s(line string) credStep            { return credStep{server: true, line: line} }

func TestCredentials(t *testing.T) {
	tests := []struct {
		name  string
		proto string
		steps []credStep
	}{
		{"SMTP AUTH PLAIN with initial response", "submission", []credStep{
			c("EHLO client", false), s("250 AUTH PLAIN LOGIN"),
			c("AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHdvbmRlcmxhbmQ=", true), s("235 2.7.0 ok"),
			c("MAIL FROM:<alice@example.org>", false)}},
		{"SMTP AUTH PLAIN with empty challenge", "smtp", []credStep{
			c("AUTH PLAIN", false), s("334 "), c("AGFsaWNlAHdvbmRlcmxhbmQ=", true), s("235 ok"),
			c("NOOP", false)}},
		{"SMTP AUTH LOGIN", "submission", []credStep{
			c("AUTH LOGIN", false), s("334 VXNlcm5hbWU6"), c("YWxpY2VAZXhhbXBsZS5vcmc=", true),
			s("334 UGFzc3dvcmQ6"), c("d29uZGVybGFuZA==", true), s("235 2.7.0 ok"),
			c("MAIL FROM:<x@example.org>", false)}},
		{"SMTP AUTH cancelled", "submission", []credStep{
			c("AUTH LOGIN", false), s("334 VXNlcm5hbWU6"), c("*", false), s("501 cancelled"),
			c("QUIT", false)}},
		{"SMTP AUTH rejected", "submission", []credStep{
			c("AUTH PLAIN", false), s("504 unknown"), c("RSET", false)}},
		{"SMTP MAIL FROM", "smtp", []credStep{c("MAIL FROM:<x>", false), s("250 ok")}},
		{"SMTP LOGIN is no command", "smtp", []credStep{c("LOGIN a b", false)}},
		{"POP3 USER and PASS", "pop3", []credStep{
			c("USER alice@example.org", false), s("+OK"), c("PASS wonderland", true), s("+OK"),
			c("STAT", false)}},
		{"POP3 APOP", "pop3", []credStep{c("APOP alice@example.org c4c9334bac560ecc979e58001b3e22fb", true)}},
		{"POP3 AUTH PLAIN", "pop3", []credStep{
			c("AUTH PLAIN", false), s("+ "), c("AGFsaWNlAHdvbmRlcmxhbmQ=", true), s("+OK"),
			c("LIST", false)}},
		{"POP3 AUTH lists mechanisms", "pop3", []credStep{
			c("AUTH", false), s("+OK"), s("PLAIN"), s("."), c("USER bob@example.net", false)}},
		{"IMAP LOGIN", "imap", []credStep{c("a1 LOGIN alice@example.org wonderland", true), s("a1 OK")}},
		{"IMAP login lower case", "imap", []credStep{c("a1 login alice wonderland", true)}},
		{"IMAP LOGIN with literals", "imap", []credStep{
			c("a1 LOGIN {17}", true), s("+ Ready for literal data"),
			c("alice@example.org {10}", true), s("+ Ready for literal data"),
			c("wonderland", true), s("a1 OK LOGIN completed"),
			c("a2 SELECT INBOX", false)}},
		{"IMAP AUTHENTICATE PLAIN", "imap", []credStep{
			c("a2 AUTHENTICATE PLAIN", false), s("+ "), c("AGFsaWNlAHdvbmRlcmxhbmQ=", true),
			s("a2 OK authenticated"), c("a3 SELECT INBOX", false)}},
		{"IMAP AUTHENTICATE with SASL-IR", "imap", []credStep{
			c("a2 AUTHENTICATE PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=", true), s("a2 OK")}},
		{"IMAP bare + challenge", "imap", []credStep{
			c("a2 AUTHENTICATE PLAIN", false), s("+"), c("AGFsaWNlAHdvbmRlcmxhbmQ=", true)}},
		{"IMAP IDLE continuation is no challenge", "imap", []credStep{
			c("a4 IDLE", false), s("+ idling"), s("* 3 EXISTS"), c("DONE", false), s("a4 OK IDLE done")}},
		{"IMAP APPEND literal is no credential", "imap", []credStep{
			c("a5 APPEND INBOX {12}", false), s("+ Ready"), c("Subject: hi", false), c("", false)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cr CredentialTracker
			for i, st := range tc.steps {
				if st.server {
					cr.Server(tc.proto, st.line)
					continue
				}
				assert.Equal(t, st.cred, cr.Client(tc.proto, st.line), "step %d: %q", i, st.line)
			}
		})
	}
}
