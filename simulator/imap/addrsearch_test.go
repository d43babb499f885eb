package imap_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// TestSearchAddresses: SEARCH FROM/TO/CC/BCC compare the parsed
// addresses, not only the raw header text (RFC 9051 §6.4.4), with
// imaptest's search-addresses messages and expectations.
func TestSearchAddresses(t *testing.T) {
	msgs := []string{
		"From: user-from@domain.org\r\nTo: user-to@domain.org\r\nCc: user-cc@domain.org\r\nBcc: user-bcc@domain.org\r\n",
		"From: RealFrom <user-from@domain.org>\r\nTo: RealTo <user-to@domain.org>\r\nCc: RealCc <user-cc@domain.org>\r\n" +
			"Bcc: RealBcc <user-bcc@domain.org>\r\n",
		"From: <user-from (comment)@ (comment) domain.org>\r\nTo: <user-to@domain.org>\r\nCc: <user-cc@domain.org>\r\n" +
			"Bcc: <user-bcc@domain.org>\r\n",
		"From: user-from@domain.org (RealFrom)\r\nTo: user-to@domain.org (RealTo)\r\nCc: user-cc@domain.org (RealCc)\r\n" +
			"Bcc: user-bcc@domain.org (RealBcc)\r\n",
		"From: user-from1@domain.org, user-from2@domain.org\r\nCc: user-cc@domain.org\r\n",
		"To: groupname: groupuser1@domain.org, groupuser2@domain.org;,\r\n  groupname2: groupuser3@domain.org;\r\n",
	}
	cases := []struct{ search, want string }{
		{"FROM user-from@domain.org", "1 2 3 4"},
		{"TO user-to@domain.org", "1 2 3 4"},
		{"CC user-cc@domain.org", "1 2 3 4 5"},
		{"BCC user-bcc@domain.org", "1 2 3 4"},
		{"FROM realfrom", "2 4"},
		{"TO realto", "2 4"},
		{"CC realcc", "2 4"},
		{"BCC realbcc", "2 4"},
		{`HEADER FROM ""`, "1 2 3 4 5"},
		{`HEADER TO ""`, "1 2 3 4 6"},
		{"FROM ser-fro", "1 2 3 4 5"},
		{"BCC ealbc", "2 4"},
		{"FROM user-from2", "5"},
		{"TO groupname2", "6"},
		{"TO groupuser3", "6"},
		{"TO groupuser4", ""},
		{`FROM "RealFrom <user-from@domain.org>"`, "2 4"},
	}
	e := start(t, imap.Options{}, nil)
	for _, m := range msgs {
		_, err := e.st.Deliver(bob, store.Inbox, []byte(m+"\r\nbody\r\n"), nil, time.Time{})
		require.NoError(t, err, "Deliver()")
	}
	r := e.rawSelected(t)
	for i, c := range cases {
		t.Run(c.search, func(t *testing.T) {
			tag := fmt.Sprintf("s%d", i)
			r.send(tag + " SEARCH " + c.search)
			lines := r.until(tag + " ")
			require.Len(t, lines, 2, "one SEARCH line, then the tagged reply")
			assert.True(t, strings.HasPrefix(lines[1], tag+" OK"), lines[1])
			assert.Equal(t, strings.TrimSpace("* SEARCH "+c.want), lines[0])
		})
	}
}
