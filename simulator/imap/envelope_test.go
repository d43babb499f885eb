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

// TestEnvelopeAddresses: FETCH ENVELOPE keeps address groups with their
// start and end markers and mailboxes behind a source route (RFC 3501
// §7.4.2, RFC 9051 §7.5.2). The cases are imaptest's fetch-envelope ones,
// as Dovecot answers them (the at-domain-list of a source route kept,
// go-imap patch 5), except that go-imap separates addresses with a space.
func TestEnvelopeAddresses(t *testing.T) {
	const date = "Date: Thu, 15 Feb 2007 01:02:03 +0200\r\n"
	cases := []struct {
		name, header, want string
	}{
		{"plain",
			"Message-ID: <msg@id>\r\nIn-Reply-To: <reply@to.id>\r\n" + date + "Subject: subject header\r\n" +
				"From: From Real <fromuser@fromdomain.org>\r\nTo: To Real <touser@todomain.org>\r\n" +
				"Cc: Cc Real <ccuser@ccdomain.org>\r\nBcc: Bcc Real <bccuser@bccdomain.org>\r\n" +
				"Sender: Sender Real <senderuser@senderdomain.org>\r\n" +
				"Reply-To: ReplyTo Real <replytouser@replytodomain.org>\r\n",
			`"subject header" (("From Real" NIL "fromuser" "fromdomain.org")) ` +
				`(("Sender Real" NIL "senderuser" "senderdomain.org")) ` +
				`(("ReplyTo Real" NIL "replytouser" "replytodomain.org")) ` +
				`(("To Real" NIL "touser" "todomain.org")) (("Cc Real" NIL "ccuser" "ccdomain.org")) ` +
				`(("Bcc Real" NIL "bccuser" "bccdomain.org")) "<reply@to.id>" "<msg@id>")`},
		{"bare address",
			date + "From: user@domain\r\n",
			`NIL ((NIL NIL "user" "domain")) ((NIL NIL "user" "domain")) ((NIL NIL "user" "domain")) NIL NIL NIL NIL NIL)`},
		{"groups",
			date + "From: user@domain (Real Name)\r\nTo: group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;\r\n" +
				"Cc: group:;, group2: (foo) ;\r\n",
			`NIL (("Real Name" NIL "user" "domain")) (("Real Name" NIL "user" "domain")) ` +
				`(("Real Name" NIL "user" "domain")) ` +
				`((NIL NIL "group" NIL) (NIL NIL "g1" "d1.org") (NIL NIL "g2" "d2.org") (NIL NIL NIL NIL) ` +
				`(NIL NIL "group2" NIL) (NIL NIL "g3" "d3.org") (NIL NIL NIL NIL)) ` +
				`((NIL NIL "group" NIL) (NIL NIL NIL NIL) (NIL NIL "group2" NIL) (NIL NIL NIL NIL)) NIL NIL NIL)`},
		{"empty sender and reply-to",
			date + "From: user@domain (Real Name)\r\nSender: \r\nReply-To: \r\n",
			`NIL (("Real Name" NIL "user" "domain")) (("Real Name" NIL "user" "domain")) ` +
				`(("Real Name" NIL "user" "domain")) NIL NIL NIL NIL NIL)`},
		{"source route",
			date + "From: <@route:user@domain>\r\n",
			`NIL ((NIL "@route" "user" "domain")) ((NIL "@route" "user" "domain")) ((NIL "@route" "user" "domain")) NIL NIL NIL NIL NIL)`},
		{"source route of two hops",
			date + "From: Joe <@relay1.example, @relay2.example:joe@example.org>\r\n",
			`NIL (("Joe" "@relay1.example,@relay2.example" "joe" "example.org")) (("Joe" "@relay1.example,@relay2.example" "joe" "example.org")) ` +
				`(("Joe" "@relay1.example,@relay2.example" "joe" "example.org")) NIL NIL NIL NIL NIL)`},
		{"comments in the address",
			date + "From: <user (c)@ (c) domain.org>\r\nTo: \"Quoted, Name\" <a.b@c.d>, A. Person <p@q.r>\r\n",
			`NIL ((NIL NIL "user" "domain.org")) ((NIL NIL "user" "domain.org")) ((NIL NIL "user" "domain.org")) ` +
				`(("Quoted, Name" NIL "a.b" "c.d") ("A. Person" NIL "p" "q.r")) NIL NIL NIL NIL)`},
		{"encoded name and missing domain",
			date + "From: =?utf-8?q?J=C3=B6rg?= <joerg@example.de>\r\nTo: undisclosed\r\n",
			`NIL (("=?utf-8?q?J=C3=B6rg?=" NIL "joerg" "example.de")) (("=?utf-8?q?J=C3=B6rg?=" NIL "joerg" "example.de")) ` +
				`(("=?utf-8?q?J=C3=B6rg?=" NIL "joerg" "example.de")) ((NIL NIL "undisclosed" "MISSING_DOMAIN")) NIL NIL NIL NIL)`},
	}
	e := start(t, imap.Options{}, nil)
	for _, c := range cases {
		_, err := e.st.Deliver(bob, store.Inbox, []byte(c.header+"\r\nbody\r\n"), nil, time.Time{})
		require.NoError(t, err, "Deliver()")
	}
	r := e.rawSelected(t)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tag := fmt.Sprintf("f%d", i)
			r.send(fmt.Sprintf("%s FETCH %d ENVELOPE", tag, i+1))
			lines := r.until(tag + " ")
			require.Len(t, lines, 2, "one FETCH line, then the tagged reply")
			assert.True(t, strings.HasPrefix(lines[1], tag+" OK"), lines[1])
			prefix := fmt.Sprintf(`* %d FETCH (ENVELOPE ("Thu, 15 Feb 2007 01:02:03 +0200" `, i+1)
			require.True(t, strings.HasPrefix(lines[0], prefix), lines[0])
			assert.Equal(t, c.want+")", strings.TrimPrefix(lines[0], prefix))
		})
	}
}
