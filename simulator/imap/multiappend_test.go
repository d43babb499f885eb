package imap_test

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// appendMulti sends "tag APPEND mailbox" with one synchronising literal
// per message (each optionally preceded by flags/date in opts) and
// returns the tagged reply.
func (r *raw) appendMulti(tag, mailbox string, opts []string, msgs ...string) string {
	r.t.Helper()
	line := tag + " APPEND " + mailbox
	for i, m := range msgs {
		if opts != nil && opts[i] != "" {
			line += " " + opts[i]
		}
		line += " {" + strconv.Itoa(len(m)) + "}"
		r.send(line)
		if l := r.line(); !strings.HasPrefix(l, "+") {
			return l
		}
		_, err := r.conn.Write([]byte(m))
		require.NoError(r.t, err)
		line = ""
	}
	r.send("")
	lines := r.until(tag + " ")
	return lines[len(lines)-1]
}

// TestMultiAppend: RFC 3502, imaptest's group multiappend, APPENDUID with
// a UID set, and all or none.
func TestMultiAppend(t *testing.T) {
	mail1 := "From: user@domain.org\r\nDate: Sat, 24 Mar 2007 23:00:00 +0200\r\nSubject: mail1\r\n\r\nbody1\r\n"
	mail2 := "From: user@domain.org\r\nDate: Sat, 24 Mar 2007 23:00:00 +0200\r\nSubject: mail2\r\n\r\nbody2\r\n"
	e := start(t, imap.Options{}, nil)
	r := e.rawSelected(t)

	r.send("c CAPABILITY")
	assert.Contains(t, r.line(), " MULTIAPPEND ", "offered after login")
	r.until("c OK")

	info, err := e.st.Mailbox(bob, store.Inbox)
	require.NoError(t, err)
	v := strconv.FormatUint(uint64(info.UIDValidity), 10)
	assert.Equal(t, "b1 OK [APPENDUID "+v+" 1:2] APPEND completed", r.appendMulti("b1", "INBOX", nil, mail1, mail2))
	r.send("b2 FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
	got := strings.Join(r.until("b2 "), "\n")
	assert.Contains(t, got, "Subject: mail1")
	assert.Contains(t, got, "Subject: mail2")

	assert.Equal(t, "b3 OK [APPENDUID "+v+" 3:5] APPEND completed",
		r.appendMulti("b3", "INBOX", []string{`(\Seen)`, `"24-Mar-2007 23:00:00 +0200"`, `(\Flagged) "24-Mar-2007 23:00:00 +0200"`}, mail1, mail2, mail1))
	r.send("b4 UID FETCH 3:5 (FLAGS INTERNALDATE)")
	got = strings.Join(r.until("b4 "), "\n")
	assert.Contains(t, got, `UID 3 FLAGS (\Seen \Recent)`)
	assert.Contains(t, got, `UID 4 FLAGS (\Recent) INTERNALDATE "24-Mar-2007 23:00:00 +0200"`)
	assert.Contains(t, got, `UID 5 FLAGS (\Flagged \Recent) INTERNALDATE "24-Mar-2007 23:00:00 +0200"`)

	assert.Equal(t, `b5 NO [TRYCREATE] No such mailbox: "Nowhere"`, r.appendMulti("b5", "Nowhere", nil, mail1, mail2))

	t.Run("a zero byte message is refused before its literal", func(t *testing.T) {
		r.send("z1 APPEND INBOX {0}")
		assert.Equal(t, "z1 NO Can't save a zero byte message.", r.line())
		msgs, err := e.st.Messages(bob, store.Inbox)
		require.NoError(t, err)
		assert.Len(t, msgs, 5)
	})
	t.Run("quota: none stored if the last does not fit", func(t *testing.T) {
		u, err := e.st.Usage(bob)
		require.NoError(t, err)
		e.st.SetQuota(u.Used + int64(len(mail1)) + 10)
		t.Cleanup(func() { e.st.SetQuota(0) })
		reply := r.appendMulti("q1", "INBOX", nil, mail1, mail2)
		assert.True(t, strings.HasPrefix(reply, "q1 NO [OVERQUOTA]"), reply)
		msgs, err := e.st.Messages(bob, store.Inbox)
		require.NoError(t, err)
		assert.Len(t, msgs, 5, "the first message is not stored either")
	})
	t.Run("bad syntax in the second message stores nothing", func(t *testing.T) {
		r.send("s1 APPEND INBOX {" + strconv.Itoa(len(mail1)) + "}")
		require.True(t, strings.HasPrefix(r.line(), "+"))
		r.send(mail1 + " (\\Bogus")
		lines := r.until("s1 ")
		assert.True(t, strings.HasPrefix(lines[len(lines)-1], "s1 BAD"), lines)
		msgs, err := e.st.Messages(bob, store.Inbox)
		require.NoError(t, err)
		assert.Len(t, msgs, 5)
	})
	t.Run("a client that hangs up in the second literal stores nothing", func(t *testing.T) {
		h := e.raw(t)
		h.line()
		h.send("h1 LOGIN " + bob + " " + password)
		h.until("h1 OK")
		h.send("h2 APPEND INBOX {" + strconv.Itoa(len(mail1)) + "}")
		require.True(t, strings.HasPrefix(h.line(), "+"))
		h.send(mail1 + " {1000}")
		require.True(t, strings.HasPrefix(h.line(), "+"))
		_, err := h.conn.Write([]byte(strings.Repeat("x", 500)))
		require.NoError(t, err)
		require.NoError(t, h.conn.(*net.TCPConn).CloseWrite(), "the client hangs up mid-literal")
		assert.Empty(t, h.rest())
		msgs, err := e.st.Messages(bob, store.Inbox)
		require.NoError(t, err)
		assert.Len(t, msgs, 5)
	})
}

// TestFetchWholeHeaderless: BODY[] returns a message as stored even when
// it has no header (go-imap Maillab patch 23); before, a message whose
// header could not be parsed came back empty. Dovecot returns it whole.
func TestFetchWholeHeaderless(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.rawSelected(t)
	assert.Contains(t, r.appendMulti("a1", "INBOX", nil, "part one<end>", "From: a@b\r\nSubj"), " OK [APPENDUID ")
	r.send("f1 FETCH 1:2 (BODY.PEEK[] BODY.PEEK[]<5.3>)")
	got := strings.Join(r.until("f1 "), "\n")
	assert.Contains(t, got, "* 1 FETCH (BODY[] {13}\npart one<end> BODY[]<5> {3}\none)")
	assert.Contains(t, got, "* 2 FETCH (BODY[] {15}\nFrom: a@b\nSubj BODY[]<5> {3}\n a@)", "(lines read without CRLF)")
}
