package imap_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"maillab/simulator/imap"
)

// TestInvalidModifiedUTF7Names: a mailbox name that is not valid modified
// UTF-7 (RFC 3501 §5.1.3) is the client's mistake: NO [CANNOT] with the
// reason, never NO [SERVERBUG]; valid names, with "&-" or a base64
// segment, pass as before.
func TestInvalidModifiedUTF7Names(t *testing.T) {
	const bad = " NO [CANNOT] Mailbox name "
	cases := []struct{ cmd, want string }{
		{`CREATE "&'+,-"`, bad + `&'+,- is not valid modified UTF-7`},
		{`CREATE &'+,-`, bad},
		{`CREATE "a&b"`, bad},                  // "&" without "-"
		{`CREATE "&AGEAYgBj-"`, bad},           // base64 of printable ASCII "abc"
		{`CREATE "&ZeVnLIqe-&ZeVnLIqe-"`, bad}, // two shifts in a row
		{`SELECT "&'+,-"`, bad},
		{`EXAMINE "&'+,-"`, bad},
		{`DELETE "&'+,-"`, bad},
		{`RENAME INBOX "&'+,-"`, bad},
		{`SUBSCRIBE "&'+,-"`, bad},
		{`UNSUBSCRIBE "&'+,-"`, bad},
		{`STATUS "&'+,-" (MESSAGES)`, bad},
		// LIST and LSUB take patterns: matched as written, OK (Dovecot)
		{`LIST "" "&'+,-"`, " OK LIST completed"},
		{`LIST (SUBSCRIBED) "" ("x" "&'+,-") RETURN (CHILDREN)`, " OK LIST completed"},
		{`LSUB "&'+,-" "*"`, " OK LSUB completed"},
		{`COPY 1 "&'+,-"`, bad},
		{`UID MOVE 1 "&'+,-"`, bad},
		{`CREATE "Tom &- Jerry"`, " OK"},
		{`CREATE "&ZeVnLIqe-"`, " OK"},
		{`CREATE "Entwürfe"`, " OK"}, // raw UTF-8, as go-imap accepts it
		{`LIST "" "&ZeVnLIqe-"`, " OK"},
		{`SELECT inbox`, " OK"},
	}
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "one")
	r := e.rawSelected(t)
	for i, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			tag := fmt.Sprintf("m%d", i)
			r.send(tag + " " + c.cmd)
			lines := r.until(tag + " ")
			last := lines[len(lines)-1]
			assert.True(t, strings.HasPrefix(last, tag+c.want), last)
			assert.NotContains(t, last, "SERVERBUG")
		})
	}
	// A rejected APPEND's non-synchronizing literal is read and dropped.
	r.send(`p1 APPEND "&'+,-" {5+}`)
	r.send("hello")
	assert.True(t, strings.HasPrefix(r.line(), "p1"+bad))
	r.send("p2 NOOP")
	lines := r.until("p2 ")
	assert.True(t, strings.HasPrefix(lines[len(lines)-1], "p2 OK"), lines[len(lines)-1])
}
