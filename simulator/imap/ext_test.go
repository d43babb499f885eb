package imap_test

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// TestExtensionCaps: LITERAL+ (RFC 7888) and ID (RFC 2971) are listed in
// every state, LITERAL- never beside LITERAL+ (go-imap patch 2); BINARY
// (RFC 3516) after login.
func TestExtensionCaps(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.raw(t)
	g := r.line()
	assert.Contains(t, g, " LITERAL+ ", "greeting")
	assert.Contains(t, g, " ID ", "greeting")
	assert.NotContains(t, g, "LITERAL-")
	assert.NotContains(t, g, "BINARY")
	r.send("a LOGIN bob@example.net builder")
	ok := r.line()
	for _, c := range []string{" BINARY ", " LITERAL+ ", " ID "} {
		assert.Contains(t, ok, c, "LOGIN's capability list")
	}
	assert.NotContains(t, ok, "LITERAL-")
	r.send("b CAPABILITY")
	caps := r.line()
	assert.Contains(t, caps, " BINARY ")
	assert.Contains(t, caps, " LITERAL+ ")
	assert.NotContains(t, caps, "LITERAL-")
}

// binaryMail has a base64 attachment whose decoded form contains NUL.
func binaryMail() ([]byte, []byte) {
	data := []byte("\x00\x01PNG\x00\xff")
	return []byte("From: alice@example.org\r\nTo: bob@example.net\r\nSubject: bin\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n" +
		"--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(data) + "\r\n--b--\r\n"), data
}

// TestBinaryAndLiteralMinus: raw exchanges after login. FETCH BINARY[]
// sends the decoded part as literal8 (~{n}), BINARY.SIZE its decoded
// size; APPEND takes a message over 4096 octets as a synchronising and as
// a non-synchronising literal (LITERAL+), and a literal8.
func TestBinaryAndLiteralPlus(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	msg, data := binaryMail()
	_, err := e.st.Deliver(bob, store.Inbox, msg, nil, time.Time{})
	require.NoError(t, err)
	big := string(mail("big")) + strings.Repeat("x", 6000) + "\r\n"
	n := strconv.Itoa
	cases := []struct {
		name string
		send string   // written as it is, CRLFs included
		want []string // the lines up to the tagged reply
	}{
		{"BINARY.PEEK of a base64 part", "a FETCH 1 (BINARY.PEEK[2])\r\n",
			[]string{"* 1 FETCH (BINARY[2] ~{" + n(len(data)) + "}", string(data) + ")", "a OK FETCH completed"}},
		{"BINARY.SIZE", "a FETCH 1 (BINARY.SIZE[2])\r\n",
			[]string{"* 1 FETCH (BINARY.SIZE[2] " + n(len(data)) + ")", "a OK FETCH completed"}},
		{"BINARY of a text part", "a FETCH 1 (BINARY.PEEK[1])\r\n",
			[]string{"* 1 FETCH (BINARY[1] ~{2}", "hi)", "a OK FETCH completed"}},
		{"APPEND with a synchronising literal over 4096", "a APPEND INBOX {" + n(len(big)) + "}\r\n" + big + "\r\n",
			[]string{"+ Ready for literal data", "a OK [APPENDUID"}},
		{"APPEND with a non-synchronising literal over 4096", "a APPEND INBOX {" + n(len(big)) + "+}\r\n" + big + "\r\n",
			[]string{"a OK [APPENDUID"}},
		{"APPEND literal8 with literal+", "a APPEND INBOX ~{" + n(len(msg)) + "+}\r\n" + string(msg) + "\r\n",
			[]string{"a OK [APPENDUID"}},
		{"LIST with literal+", "a LIST \"\" {5+}\r\nINBOX\r\n",
			[]string{`* LIST (\HasNoChildren) "/" INBOX`, "a OK LIST completed"}},
	}
	r := e.raw(t)
	r.line()
	r.send("x LOGIN bob@example.net builder")
	r.until("x OK")
	r.send("s SELECT INBOX")
	r.until("s OK")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.conn.Write([]byte(tc.send))
			require.NoError(t, err)
			var got []string
			for len(got) < 20 {
				l := r.line()
				if strings.HasPrefix(l, "* ") && strings.HasSuffix(l, " EXISTS") || strings.HasSuffix(l, " RECENT") {
					continue // news from the APPEND
				}
				got = append(got, l)
				if strings.HasPrefix(l, "a ") {
					break
				}
			}
			require.Len(t, got, len(tc.want), "%q", got)
			for i, w := range tc.want {
				assert.True(t, strings.HasPrefix(got[i], w), "line %d: got %q, want prefix %q", i, short(got[i]), w)
			}
			r.send("b NOOP")
			lines := r.until("b ")
			assert.Equal(t, "b OK NOOP completed", lines[len(lines)-1], "the session goes on")
		})
	}
}

// TestAppendLiteral8Sync: a synchronising literal8 gets "+" like any
// literal.
func TestAppendLiteral8Sync(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	msg, _ := binaryMail()
	r := e.raw(t)
	r.line()
	r.send("x LOGIN bob@example.net builder")
	r.until("x OK")
	r.send("a APPEND INBOX ~{" + strconv.Itoa(len(msg)) + "}")
	require.Equal(t, "+ Ready for literal data", r.line())
	_, err := r.conn.Write(append(msg, "\r\n"...))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(r.line(), "a OK [APPENDUID"))
	msgs, err := e.st.Messages(bob, "INBOX")
	require.NoError(t, err)
	assert.Len(t, msgs, 1)
}
