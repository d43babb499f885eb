package imap_test

import (
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// lit is a synchronising literal in a hand-typed command.
type lit string

// command sends an APPEND made of text and literals, each literal after
// the server's "+", and returns the tagged reply (which may come instead
// of a "+").
func (r *raw) command(tag string, parts ...any) string {
	r.t.Helper()
	line := tag + " APPEND "
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			line += p
		case lit:
			r.send(line + "{" + strconv.Itoa(len(p)) + "}")
			if l := r.line(); !strings.HasPrefix(l, "+ ") {
				return l
			}
			_, err := r.conn.Write([]byte(p))
			require.NoError(r.t, err)
			line = ""
		}
	}
	r.send(line)
	lines := r.until(tag + " ")
	return lines[len(lines)-1]
}

// bodies fetches BODY[] of every message of the selected mailbox.
func (r *raw) bodies(tag string) []string {
	r.t.Helper()
	r.send(tag + " FETCH 1:* BODY.PEEK[]")
	var out []string
	for {
		l := r.line()
		if strings.HasPrefix(l, tag+" ") {
			require.True(r.t, strings.HasPrefix(l, tag+" OK"), l)
			return out
		}
		i := strings.LastIndexByte(l, '{')
		if !strings.HasPrefix(l, "* ") || i < 0 || !strings.HasSuffix(l, "}") {
			continue
		}
		n, err := strconv.Atoi(l[i+1 : len(l)-1])
		require.NoError(r.t, err)
		buf := make([]byte, n)
		_, err = io.ReadFull(r.r, buf)
		require.NoError(r.t, err)
		out = append(out, string(buf))
		r.line() // ")"
	}
}

// TestCatenate: RFC 4469 on imaptest's group catenate (Dovecot's
// answers): sections, PARTIAL, UIDVALIDITY, bad URLs and TRYCREATE.
func TestCatenate(t *testing.T) {
	msg1 := "From: foo@example.com\r\n\r\nHello world body\r\n"
	msg2 := "From: foo2@example.com\r\n\r\nLookslike: header\r\n\r\nAnother body\r\n"
	e := start(t, imap.Options{}, nil)
	require.NoError(t, e.st.CreateMailbox(bob, "box"))
	r := e.rawSelected(t)

	r.send("c CAPABILITY")
	assert.Contains(t, r.line(), " CATENATE ", "offered after login")
	r.until("c OK")

	ok := func(reply string) { t.Helper(); assert.Contains(t, reply, " OK [APPENDUID ", reply) }
	ok(r.command("a1", `box (\Seen \Flagged) CATENATE (TEXT `, lit(msg1), ")"))
	ok(r.command("a2", `box (\Seen \Flagged) CATENATE (TEXT `, lit(msg2), ")"))
	info, err := e.st.Mailbox(bob, "box")
	require.NoError(t, err)
	v := strconv.FormatUint(uint64(info.UIDValidity), 10)
	require.NoError(t, e.st.CreateMailbox(bob, "box2"))

	ok(r.command("b1", `box2 (\Seen \Flagged) CATENATE (URL "/box/;uid=1/;section=header" TEXT `, lit("body1\r\n"), ")"))
	ok(r.command("b2", `box2 (\Seen \Flagged) CATENATE (URL "/box;uidvalidity=`+v+`/;uid=1/;section=header" TEXT `, lit("body2\r\n"), ")"))
	ok(r.command("b3", `box2 CATENATE (URL "/box/;uid=2/;section=text" TEXT `, lit("body3\r\n"), ")"))
	ok(r.command("b4", `box2 CATENATE (URL "/box/;uid=2/;section=1" TEXT `, lit("body4\r\n"), ")"))
	ok(r.command("b5", `box2 CATENATE (TEXT `, lit("From: new@example.com\r\nSubject: test header\r\n\r\n"),
		` URL "/box/;uid=1/;section=1" TEXT `, lit("\r\nsuffix\r\n"), ")"))
	ok(r.command("b6", `box2 CATENATE (TEXT `, lit("From: hdr1@example.com\r\n"), " TEXT ", lit("Subject: hdr2\r\n"),
		" TEXT ", lit("\r\nbody6\r\n"), ")"))
	ok(r.command("b7", `box2 CATENATE (URL "/box/;uid=2/;partial=100000.1" TEXT `, lit("Hdr: foo\r\n\r\nbody7\r\n"), ")"))
	ok(r.command("b8", `box2 CATENATE (URL "imap://bob%40example.net@mail.example.net/box/;UID=2")`))
	ok(r.command("b9", `box2 CATENATE (URL "/box/;UID=2/;SECTION=HEADER.FIELDS%20(FROM)" TEXT `, lit("body9\r\n"), ")"))

	bad := `URL "/box;uidvalidity=12345/;uid=1/;section=header"`
	badReply := `NO [BADURL /box;uidvalidity=12345/;uid=1/;section=header] Invalid UIDVALIDITY.`
	invalid := []struct {
		name  string
		parts []any
	}{
		{"bad URL first", []any{"box2 (\\Seen) CATENATE (" + bad + " TEXT ", lit("body\r\n"), ")"}},
		{"bad URL last", []any{"box2 CATENATE (TEXT ", lit("hdr: 1\r\n"), " " + bad + ")"}},
		{"bad URL between", []any{"box2 CATENATE (TEXT ", lit("hdr: 1\r\n"), " " + bad + " TEXT ", lit("hdr: 2\r\n"), ")"}},
		{"bad URL after a good one", []any{"box2 CATENATE (TEXT ", lit("hdr: 1\r\n"), ` URL "/box/;uid=1/;section=header" TEXT `,
			lit("hdr: 2\r\n"), " " + bad + " TEXT ", lit("hdr: 3\r\n"), ")"}},
		{"two URLs", []any{"box2 CATENATE (" + bad + ` URL "/box/;uid=1/;section=header")`}},
		{"bad URL in the second message", []any{"box2 CATENATE (URL \"/box/;uid=1\") CATENATE (" + bad + ")"}},
		{"bad URL, then a literal message", []any{"box2 CATENATE (" + bad + ") ", lit("hello\r\n")}},
	}
	for i, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			tag := "x" + strconv.Itoa(i)
			assert.Equal(t, tag+" "+badReply, r.command(tag, tc.parts...))
		})
	}
	others := []struct{ name, url, reply string }{ // Dovecot 2.3's words
		{"no such UID", "/box/;uid=9", `NO [BADURL /box/;uid=9] Message not found.`},
		{"no such mailbox", "/nobox/;uid=1", `NO [BADURL /nobox/;uid=1] Mailbox doesn't exist: nobox.`},
		{"no UID", "/box", `NO [BADURL /box] Invalid IMAP URL: No message UID.`},
		{"another user", "imap://alice@mail.example.net/INBOX/;uid=1", `NO [BADURL imap://alice@mail.example.net/INBOX/;uid=1] Invalid IMAP URL: Another user's mailbox.`},
		{"URLAUTH", "/box/;uid=1;urlauth=anonymous", "NO [BADURL /box/;uid=1;urlauth=anonymous] Invalid IMAP URL: `;URLAUTH=' is not allowed in this context."},
		{"not IMAP", "http://x/", `NO [BADURL http://x/] Invalid IMAP URL: Not an IMAP URL.`},
	}
	for i, tc := range others {
		t.Run(tc.name, func(t *testing.T) {
			tag := "y" + strconv.Itoa(i)
			assert.Equal(t, tag+" "+tc.reply, r.command(tag, `box2 CATENATE (URL "`+tc.url+`")`))
		})
	}

	t.Run("a non-synchronising literal after a bad URL is read and dropped", func(t *testing.T) {
		r.send("z1 APPEND box2 CATENATE (" + bad + " TEXT {5+}")
		r.send("hello)")
		assert.Equal(t, "z1 "+badReply, r.line())
		r.send("z2 NOOP")
		assert.Equal(t, "z2 OK NOOP completed", r.line())
	})

	t.Run("no mailbox: TRYCREATE before any literal or URL", func(t *testing.T) {
		for i, parts := range [][]any{
			{`boxnonexistent CATENATE (URL "/box/;uid=1/;section=1")`},
			{`boxnonexistent CATENATE (URL "/box/;uid=1/;section=1" TEXT `, lit("hello\r\n"), ")"},
			{`boxnonexistent CATENATE (TEXT `, lit("hello\r\n"), ` URL "/box/;uid=1/;section=1")`},
			{`boxnonexistent (\Seen \Flagged) CATENATE (TEXT `, lit("hdr1: 1\r\n"), " " + bad + " TEXT ", lit("hdr2: 2\r\n"), ")"},
		} {
			tag := "n" + strconv.Itoa(i)
			assert.Equal(t, tag+` NO [TRYCREATE] No such mailbox: "boxnonexistent"`, r.command(tag, parts...))
		}
	})

	r.send("s SELECT box2")
	r.until("s OK")
	assert.Equal(t, []string{
		"From: foo@example.com\r\n\r\nbody1\r\n",
		"From: foo@example.com\r\n\r\nbody2\r\n",
		"Lookslike: header\r\n\r\nAnother body\r\nbody3\r\n",
		"Lookslike: header\r\n\r\nAnother body\r\nbody4\r\n",
		"From: new@example.com\r\nSubject: test header\r\n\r\nHello world body\r\n\r\nsuffix\r\n",
		"From: hdr1@example.com\r\nSubject: hdr2\r\n\r\nbody6\r\n",
		"Hdr: foo\r\n\r\nbody7\r\n",
		msg2,
		"From: foo2@example.com\r\n\r\nbody9\r\n",
	}, r.bodies("f"), "no failed APPEND stored anything")
	msgs, err := e.st.Messages(bob, "box2")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{`\Flagged`, `\Seen`}, msgs[0].Flags)
}

// TestCatenateMultiAppend: imaptest's group catenate-multiappend: CATENATE
// and literals mixed in one MULTIAPPEND, all or none.
func TestCatenateMultiAppend(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.rawSelected(t)
	ok := func(reply string) { t.Helper(); assert.Contains(t, reply, " OK [APPENDUID ", reply) }
	ok(r.command("a1", "INBOX CATENATE (TEXT ", lit("From: foo@example.com\r\n\r\nHello world body\r\n"),
		") CATENATE (TEXT ", lit("From: bar@example.com\r\n\r\nSecond body\r\n"), ")"))
	ok(r.command("a2", `INBOX CATENATE (URL "/INBOX/;uid=1/;section=header" TEXT `, lit("body1\r\n"),
		`) CATENATE (URL "/INBOX/;uid=2/;section=header" TEXT `, lit("body2\r\n"), ")"))
	ok(r.command("a3", `INBOX CATENATE (URL "/INBOX/;uid=1") CATENATE (URL "/INBOX/;uid=2/;section=header" TEXT `, lit("body3\r\n"), ")"))
	ok(r.command("a4", `INBOX CATENATE (URL "/INBOX/;uid=1") `, lit("New: Message\r\n\r\nbody4\r\n")))
	ok(r.command("a5", `INBOX CATENATE (URL "/INBOX/;uid=1") (\Answered) `, lit("New: Message\r\n\r\nbody5\r\n")))
	bad := `URL "/INBOX;uidvalidity=12345/;uid=1/;section=header"`
	for i, parts := range [][]any{
		{`INBOX (\Seen \Flagged) CATENATE (` + bad + `) CATENATE (URL "/INBOX/;uid=1")`},
		{`INBOX (\Seen \Flagged) CATENATE (` + bad + `) CATENATE (URL "/INBOX/;uid=1" TEXT `, lit("hello\r\n"), ")"},
		{`INBOX (\Seen \Flagged) CATENATE (` + bad + `) CATENATE (TEXT `, lit("hello\r\n"), ")"},
		{`INBOX (\Seen \Flagged) CATENATE (` + bad + `) `, lit("hello\r\n")},
	} {
		tag := "x" + strconv.Itoa(i)
		assert.True(t, strings.HasPrefix(r.command(tag, parts...), tag+" NO [BADURL "))
	}
	body := r.bodies("f")
	assert.Equal(t, []string{
		"From: foo@example.com\r\n\r\nHello world body\r\n",
		"From: bar@example.com\r\n\r\nSecond body\r\n",
		"From: foo@example.com\r\n\r\nbody1\r\n",
		"From: bar@example.com\r\n\r\nbody2\r\n",
		"From: foo@example.com\r\n\r\nHello world body\r\n",
		"From: bar@example.com\r\n\r\nbody3\r\n",
		"From: foo@example.com\r\n\r\nHello world body\r\n",
		"New: Message\r\n\r\nbody4\r\n",
		"From: foo@example.com\r\n\r\nHello world body\r\n",
		"New: Message\r\n\r\nbody5\r\n",
	}, body)
}

// TestCatenateLimits: the composed message must fit APPENDLIMIT (NO
// [TOOBIG]) and the quota (NO [OVERQUOTA]); nothing is stored otherwise.
func TestCatenateLimits(t *testing.T) {
	e := start(t, imap.Options{AppendLimit: 100}, nil)
	e.deliver(t, "a message of about one hundred and fifty octets")
	r := e.rawSelected(t)
	assert.Equal(t, "t1 NO [TOOBIG] Composed message grows too big: the limit is 100 bytes",
		r.command("t1", `INBOX CATENATE (URL "/INBOX/;uid=1/;section=text" URL "/INBOX/;uid=1")`))
	assert.Equal(t, "t2 NO [TOOBIG] Composed message grows too big: the limit is 100 bytes",
		r.command("t2", `INBOX CATENATE (URL "/INBOX/;uid=1" TEXT `, lit("x\r\n"), ")"))
	u, err := e.st.Usage(bob)
	require.NoError(t, err)
	e.st.SetQuota(u.Used + 80) // room for one of the two texts (about 60 octets each), not for both
	reply := r.command("t3", `INBOX CATENATE (URL "/INBOX/;uid=1/;section=text") CATENATE (URL "/INBOX/;uid=1/;section=text")`)
	assert.True(t, strings.HasPrefix(reply, "t3 NO [OVERQUOTA]"), reply)
	msgs, err := e.st.Messages(bob, store.Inbox)
	require.NoError(t, err)
	assert.Len(t, msgs, 1)
}
