package explain

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The servers' refusals under a per-address cap, after an idle timeout
// and for an address locked out after too many wrong passwords
// (simulator/limits) each get their own explanation, in every language.
func TestLimitReplies(t *testing.T) {
	tests := []struct {
		name, proto string
		rows        []string
		key         string
		params      map[string]string
	}{
		{"SMTP: too many connections from one address", "submission",
			[]string{"S: 421 4.7.0 smtp.example.org Error: too many connections from 127.0.0.1"},
			"smtp.reply.421.addr", map[string]string{"addr": "127.0.0.1"}},
		{"SMTP: idle before login", "submission",
			[]string{"S: 220 smtp.example.org ESMTP", "S: 421 4.4.2 smtp.example.org Error: timeout exceeded"},
			"smtp.reply.421.timeout", nil},
		{"SMTP: idle at the MX", "smtp",
			[]string{"S: 220 mx.example.net ESMTP", "C: EHLO x", "S: 250 mx.example.net", "S: 421 4.4.2 mx.example.net Error: timeout exceeded"},
			"smtp.reply.421.timeout", nil},
		{"SMTP: the third wrong password", "submission",
			[]string{"S: 220 smtp.example.org ESMTP", "C: AUTH PLAIN AGEAYg==", "S: 421 4.7.0 Too many authentication failures, closing connection"},
			"smtp.reply.421.authfail", nil},
		{"SMTP: address locked out", "submission",
			[]string{"S: 220 smtp.example.org ESMTP", "C: AUTH PLAIN AGEAYg==", "S: 450 4.7.1 Error: too many AUTH commands from 127.0.0.1"},
			"smtp.reply.450.auth", map[string]string{"addr": "127.0.0.1"}},
		{"SMTP: other 421 stays general", "submission",
			[]string{"S: 421 4.7.0 smtp.example.org Error: too many connections"},
			"smtp.reply.421", nil},
		{"POP3: too many connections from one address", "pop3",
			[]string{"S: -ERR [SYS/TEMP] too many connections from your address"},
			"pop3.greeting.err.addr", nil},
		{"POP3: idle", "pop3",
			[]string{"S: +OK hi", "S: -ERR Disconnected for inactivity."},
			"pop3.err.idle", nil},
		{"POP3: address locked out", "pop3",
			[]string{"S: +OK hi", "C: USER a", "S: +OK", "C: PASS b",
				"S: -ERR [SYS/TEMP] too many authentication failures from your address, try again later"},
			"pop3.err.login.locked", map[string]string{"command": "PASS"}},
		{"IMAP: too many connections from one address", "imap",
			[]string{"S: * BYE [UNAVAILABLE] Too many connections from your address"},
			"imap.greeting.bye.addr", nil},
		{"IMAP: idle", "imap",
			[]string{"S: * OK hi", "S: * BYE Disconnected for inactivity."},
			"imap.resp.bye.idle", nil},
		{"IMAP: address locked out", "imap",
			[]string{"S: * OK hi", "C: a1 LOGIN bob x",
				"S: a1 NO [UNAVAILABLE] Too many authentication failures from your address, try again later"},
			"imap.no.login.locked", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := lastKey(t, tc.proto, tc.rows...)
			assert.Equal(t, tc.key, short(x.Key))
			for k, v := range tc.params {
				assert.Equal(t, v, x.Params[k], k)
			}
			assert.False(t, x.Generic)
			assert.NotEmpty(t, x.RFC)
			checkTexts(t, x, tc.name)
		})
	}
}
