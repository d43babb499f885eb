package imap_test

// Regression tests for what Dovecot's imaptest (its scripted groups, one per
// file in src/tests) found wrong, each as the raw exchange Dovecot 2.3.19
// answers.

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// TestBinaryPartialOrigin: a partial BINARY answer names its origin octet
// (BINARY[2]<1>), as RFC 3516 §4.2 describes it and Dovecot sends it
// (go-imap patch 50; imaptest groups fetch-binary-mime-base64 and -qp).
// go-imap's client reads it back (patch 51).
func TestBinaryPartialOrigin(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	msg, data := binaryMail()
	_, err := e.st.Deliver(bob, store.Inbox, msg, nil, time.Time{})
	require.NoError(t, err)
	n := strconv.Itoa
	cases := []struct {
		name, send string
		want       []string
	}{
		{"offset and length", "a FETCH 1 (BINARY.PEEK[2]<1.3>)",
			[]string{"* 1 FETCH (BINARY[2]<1> ~{3}", string(data[1:4]) + ")", "a OK FETCH completed"}},
		{"offset 0", "a FETCH 1 (BINARY.PEEK[1]<0.100>)",
			[]string{"* 1 FETCH (BINARY[1]<0> ~{2}", "hi)", "a OK FETCH completed"}},
		{"past the end", "a FETCH 1 (BINARY.PEEK[2]<100.5>)",
			[]string{"* 1 FETCH (BINARY[2]<100> ~{0}", ")", "a OK FETCH completed"}},
		{"whole part: no origin", "a FETCH 1 (BINARY.PEEK[2])",
			[]string{"* 1 FETCH (BINARY[2] ~{" + n(len(data)) + "}", string(data) + ")", "a OK FETCH completed"}},
	}
	r := e.rawSelected(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r.t = t
			r.send(tc.send)
			got := r.until("a ")
			assert.Equal(t, tc.want, got)
		})
	}

	c := e.loginSelect(t, nil)
	want := &goimap.FetchItemBinarySection{Part: []int{2}, Partial: &goimap.SectionPartial{Offset: 1, Size: 3}}
	msgs, err := c.Fetch(goimap.SeqSetNum(1), &goimap.FetchOptions{
		BinarySection: []*goimap.FetchItemBinarySection{want}}).Collect()
	require.NoError(t, err, "Fetch() reads BINARY[2]<1>")
	require.Len(t, msgs, 1)
	require.Len(t, msgs[0].BinarySection, 1)
	assert.Equal(t, data[1:4], msgs[0].BinarySection[0].Bytes)
	assert.Equal(t, int64(1), msgs[0].BinarySection[0].Section.Partial.Offset)
}

// TestESearchModSeqMinMax: SEARCH RETURN (MIN), (MAX) or (MIN MAX) with a
// MODSEQ criterion reports the highest mod-sequence of the messages
// returned, not of all found (RFC 4731 §3.2, RFC 7162 §3.1.5), as Dovecot
// (imaptest group esearch-condstore, the same script).
func TestESearchModSeqMinMax(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "one", "two", "three", "four")
	r := e.rawSelected(t)
	r.send("f FETCH 1 (MODSEQ)") // enables CONDSTORE (RFC 7162 §3.1)
	r.until("f OK")
	modseq := map[int]string{}
	for _, n := range []int{1, 3, 2, 4} { // the order gives 2 the highest of 1:3
		r.send("s STORE " + strconv.Itoa(n) + " +FLAGS (\\Seen)")
		lines := r.until("s ")
		require.Equal(t, "s OK STORE completed", lines[len(lines)-1])
		m := regexp.MustCompile(`^\* ` + strconv.Itoa(n) + ` FETCH \(.*MODSEQ \((\d+)\)`).FindStringSubmatch(lines[0])
		require.NotNil(t, m, "%q", lines)
		modseq[n] = m[1]
	}
	cases := []struct{ send, want string }{
		{`a SEARCH RETURN (MIN) 1:3 MODSEQ "/flags/\\seen" all 1`, `* ESEARCH (TAG "a") MIN 1 MODSEQ ` + modseq[1]},
		{`a SEARCH RETURN (MAX) 1:3 MODSEQ "/flags/\\seen" all 1`, `* ESEARCH (TAG "a") MAX 3 MODSEQ ` + modseq[3]},
		{`a SEARCH RETURN () 1:3 MODSEQ "/flags/\\seen" all 1`, `* ESEARCH (TAG "a") ALL 1:3 MODSEQ ` + modseq[2]},
		{`a SEARCH RETURN (MIN MAX) 2:3 MODSEQ "/flags/\\seen" all 1`, `* ESEARCH (TAG "a") MIN 2 MAX 3 MODSEQ ` + modseq[2]},
		{`a SEARCH RETURN (MIN COUNT) 1:3 MODSEQ 1`, `* ESEARCH (TAG "a") MIN 1 COUNT 3 MODSEQ ` + modseq[2]},
		{`a UID SEARCH RETURN (MAX) 1:3 MODSEQ 1`, `* ESEARCH (TAG "a") UID MAX 3 MODSEQ ` + modseq[3]},
	}
	for _, tc := range cases {
		r.send(tc.send)
		got := r.until("a ")
		require.Len(t, got, 2, "%q", got)
		assert.Equal(t, tc.want, got[0], tc.send)
		assert.Regexp(t, `^a OK (UID )?SEARCH completed$`, got[1])
	}
}

// TestListInvalidUTF7Pattern: LIST and LSUB take patterns, not names; one
// that is not valid modified UTF-7 is matched as written and answered OK,
// as Dovecot does (go-imap patch 52; imaptest group atoms, whose script
// is the first four exchanges). SELECT of such a name stays NO.
func TestListInvalidUTF7Pattern(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.raw(t)
	r.line()
	r.send("a LOGIN " + bob + " " + password)
	r.until("a OK")
	r.send(`c CREATE "&-"`) // the mailbox "&"
	r.until("c OK")
	cases := []struct {
		send string
		want []string
	}{
		{`a LIST "" ~foo`, []string{"a OK LIST completed"}},
		{`a SELECT ~foo`, []string{`a NO [NONEXISTENT] No such mailbox: "~foo"`}},
		{"a SELECT !#$&'+,-.0123456789:;<=>?@^_`|[}",
			[]string{"a NO [CANNOT] Mailbox name !#$&'+,-.0123456789:;<=>?@^_`|[} is not valid modified UTF-7 (RFC 3501 §5.1.3): write \"&\" as \"&-\""}},
		{"a LIST \"\" !#$&'+,-.0123456789:;<=>?@^_`|[}%*", []string{"a OK LIST completed"}},
		{`a LIST "&'+,-" "*"`, []string{"a OK LIST completed"}},
		{`a LSUB "" "&'+,-"`, []string{"a OK LSUB completed"}},
		{`a LIST (SUBSCRIBED) "" ("x" "&'+,-") RETURN (CHILDREN)`, []string{"a OK LIST completed"}},
		{`a LIST "" "&*"`, []string{`* LIST (\HasNoChildren) "/" "&-"`, "a OK LIST completed"}},
	}
	for _, tc := range cases {
		r.send(tc.send)
		got := r.until("a ")
		assert.Equal(t, tc.want, got, tc.send)
		assert.NotContains(t, got[len(got)-1], "SERVERBUG")
	}
	// the pattern as a literal: go-imap reads it, with the same answer
	r.send(`l LIST "" {5}`)
	require.Equal(t, "+ Ready for literal data", r.line())
	r.send("&'+,-")
	assert.Equal(t, []string{"l OK LIST completed"}, r.until("l "))
}

// TestMoveSameMailboxOrder: MOVE into the selected mailbox itself answers
// COPYUID, then the EXPUNGE, then EXISTS for the new copy, as Dovecot does
// (imaptest group move, its last exchange: "* 1 expunge" before "* 1
// exists"); the RECENT count comes with EXISTS.
func TestMoveSameMailboxOrder(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "one")
	r := e.rawSelected(t)
	box, err := e.st.Mailbox(bob, store.Inbox)
	require.NoError(t, err)
	v := strconv.FormatUint(uint64(box.UIDValidity), 10)
	r.send("a MOVE 1 INBOX")
	assert.Equal(t, []string{
		"* OK [COPYUID " + v + " 1 2] COPY completed", "* 1 EXPUNGE", "* 1 EXISTS", "* 1 RECENT",
		"a OK MOVE completed"}, r.until("a "))
	r.send("b FETCH 1 (UID)")
	assert.Equal(t, []string{"* 1 FETCH (UID 2)", "b OK FETCH completed"}, r.until("b "))
}

// TestAppendBinaryToBase64: a message APPENDed as a literal8 is stored
// with its Content-Transfer-Encoding binary parts base64-encoded, as
// Dovecot does (go-imap patch 53): FETCH BODY[] (a plain literal, which
// must not carry NUL, RFC 3501 §9) shows base64, BINARY[] the original
// octets. imaptest group append-binary; the expected octets are Dovecot
// 2.3.19's answers to the same APPENDs.
func TestAppendBinaryToBase64(t *testing.T) {
	hdr := "From: user@domain.org\r\nMime-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"
	multi := func(cte, body string) string {
		return "From: user@domain.org\r\nMime-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
			"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/octet-stream\r\n" +
			"Content-Transfer-Encoding: " + cte + "\r\n\r\n" + body + "\r\n--b--\r\n"
	}
	long := strings.Repeat("\x00\xff", 60)
	b64 := base64.StdEncoding.EncodeToString([]byte(long)) // 160 characters
	cases := []struct {
		name, lit, msg, want string
	}{
		{"imaptest's message", "~", hdr + "\x00-\xe4\r\n\r\n\r\n\r\n",
			strings.Replace(hdr, "binary", "base64", 1) + "AC3kDQoNCg0KDQo="},
		{"binary without NUL", "~", hdr + "abc\xe4\r\n", strings.Replace(hdr, "binary", "base64", 1) + "YWJj5A0K"},
		{"a part of a multipart", "~", multi("binary", "\x00\x01\x02"), multi("base64", "AAEC")},
		{"lines of 76", "~", multi("binary", long), multi("base64", b64[:76]+"\r\n"+b64[76:152]+"\r\n"+b64[152:])},
		{"no binary part", "~", multi("8bit", "gr\xfc\xdf"), multi("8bit", "gr\xfc\xdf")},
		{"a plain literal is stored as sent", "", hdr + "abc\xe4\r\n", hdr + "abc\xe4\r\n"},
	}
	e := start(t, imap.Options{}, nil)
	r := e.rawSelected(t)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r.t = t
			_, err := r.conn.Write([]byte("a APPEND INBOX " + tc.lit + "{" + strconv.Itoa(len(tc.msg)) + "+}\r\n" + tc.msg + "\r\n"))
			require.NoError(t, err)
			require.Contains(t, r.until("a ")[0:], "a OK [APPENDUID "+
				strconv.FormatUint(uint64(mustValidity(t, e)), 10)+" "+strconv.Itoa(i+1)+"] APPEND completed")
			msgs, err := e.st.Messages(bob, store.Inbox)
			require.NoError(t, err)
			require.Len(t, msgs, i+1)
			assert.Equal(t, tc.want, string(msgs[i].Raw))
		})
	}
	// imaptest's fetches of the first message
	r.send("b FETCH 1 (BODY.PEEK[1])")
	assert.Equal(t, []string{"* 1 FETCH (BODY[1] {16}", "AC3kDQoNCg0KDQo=)", "b OK FETCH completed"}, r.until("b "))
	r.send("c FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1])")
	assert.Equal(t, []string{"* 1 FETCH (BINARY[1] ~{11}", "\x00-\xe4", "", "", "", " BINARY.SIZE[1] 11)",
		"c OK FETCH completed"}, r.until("c "))
}

func mustValidity(t *testing.T, e *env) uint32 {
	t.Helper()
	box, err := e.st.Mailbox(bob, store.Inbox)
	require.NoError(t, err)
	return box.UIDValidity
}

// TestModSeqNeverGoesBack: a session that was shown a message's newest
// flags and MODSEQ (by FETCH or its own STORE) is not sent the older
// changes still queued for it afterwards: flags and MODSEQ never go back in
// time, as in Dovecot, which reports the current state (imaptest's stress
// mode: "MODSEQ dropped").
func TestModSeqNeverGoesBack(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "one", "two")
	b := e.rawSelected(t)
	b.send("b1 FETCH 1:2 (MODSEQ)") // enables CONDSTORE
	b.until("b1 OK")
	a := e.rawSelected(t)
	a.send("a3 STORE 1 +FLAGS (\\Flagged)")
	a.until("a3 OK")
	a.send("a4 STORE 1 +FLAGS (\\Seen)")
	a.until("a4 OK")
	a.send("a5 STORE 2 +FLAGS (\\Answered)")
	a.until("a5 OK")
	a.send("a6 FETCH 1:2 (MODSEQ)")
	lines := a.until("a6 OK")
	require.Len(t, lines, 4, "%q", lines) // * OK [HIGHESTMODSEQ n] first: FETCH MODSEQ enables CONDSTORE
	lines = lines[1:]

	// FETCH shows the newest state of message 1; the two queued changes
	// of it are older or equal and are not repeated; message 2's is sent.
	b.send("b2 FETCH 1 (FLAGS MODSEQ)")
	assert.Equal(t, []string{
		strings.Replace(lines[0], "* 1 FETCH (", `* 1 FETCH (FLAGS (\Seen \Flagged \Recent) `, 1),
		strings.Replace(lines[1], "* 2 FETCH (", `* 2 FETCH (UID 2 FLAGS (\Answered \Recent) `, 1),
		"b2 OK FETCH completed"}, b.until("b2 "))
	b.send("b3 NOOP")
	assert.Equal(t, []string{"b3 OK NOOP completed"}, b.until("b3 "))

	// the same after the session's own STORE
	a.send("a7 STORE 1 -FLAGS (\\Flagged)")
	a.until("a7 OK")
	b.send("b4 STORE 1 +FLAGS (\\Draft)")
	got := b.until("b4 ")
	require.Len(t, got, 2, "%q", got)
	assert.Regexp(t, `^\* 1 FETCH \(FLAGS \(\\Seen \\Draft \\Recent\) MODSEQ \(\d+\)\)$`, got[0])
	b.send("b5 NOOP")
	assert.Equal(t, []string{"b5 OK NOOP completed"}, b.until("b5 "))
}

// TestBodyWithoutNUL: a NUL octet in a stored message is sent as 0x80 in
// BODY[…] and RFC822 (plain literals, which must not carry NUL: RFC 3501
// §9 CHAR8) and as it is in BINARY[] (a literal8), as Dovecot 2.3.19
// answered the same exchange.
func TestBodyWithoutNUL(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	msg := "From: user@domain.org\r\nSubject: a\x00b\r\n\r\n\x00abc\r\n"
	_, err := e.st.Deliver(bob, store.Inbox, []byte(msg), nil, time.Time{})
	require.NoError(t, err)
	r := e.rawSelected(t)
	r.send("a FETCH 1 (BODY.PEEK[] RFC822.SIZE)")
	assert.Equal(t, []string{"* 1 FETCH (RFC822.SIZE 45 BODY[] {45}", "From: user@domain.org", "Subject: a\x80b", "",
		"\x80abc", ")", "a OK FETCH completed"}, r.until("a "))
	r.send("b FETCH 1 (BINARY.PEEK[1])")
	assert.Equal(t, []string{"* 1 FETCH (BINARY[1] ~{6}", "\x00abc", ")", "b OK FETCH completed"}, r.until("b "))
	r.send("c FETCH 1 (BODY.PEEK[TEXT] RFC822.HEADER)")
	assert.Equal(t, []string{"* 1 FETCH (BODY[TEXT] {6}", "\x80abc", " RFC822.HEADER {39}", "From: user@domain.org",
		"Subject: a\x80b", "", ")", "c OK FETCH completed"}, r.until("c "))
}
