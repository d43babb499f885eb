package imap_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// step is one command of a hand-typed exchange and every line the server
// answers it with, the tagged completion last. A wanted line ending in
// "…" matches any line with that prefix (UIDVALIDITY changes every run).
type csStep struct {
	cmd  string
	want []string
}

func (r *raw) csExchange(tag string, s csStep) {
	r.t.Helper()
	r.send(tag + " " + s.cmd)
	got := r.until(tag + " ")
	if !assert.Len(r.t, got, len(s.want), "%s: %q", s.cmd, got) {
		return
	}
	for i, w := range s.want {
		if p, ok := strings.CutSuffix(w, "…"); ok {
			assert.True(r.t, strings.HasPrefix(got[i], p), "%s: line %d: %q, want %q", s.cmd, i, got[i], w)
			continue
		}
		assert.Equal(r.t, w, got[i], "%s: line %d", s.cmd, i)
	}
}

// loggedIn is a raw session after LOGIN (tag a1); three messages, UIDs
// 1-3 with MODSEQ 2-4, already \Recent in another session.
func condStoreEnv(t *testing.T) (*env, *raw) {
	t.Helper()
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "one", "two", "three")
	_, err := e.st.ClaimRecent(bob, store.Inbox, 3)
	require.NoError(t, err)
	r := e.raw(t)
	r.line()
	r.send("a1 LOGIN " + bob + " " + password)
	r.until("a1 OK")
	return e, r
}

var selectCondStore = []string{"* 3 EXISTS", "* 0 RECENT", "* OK [UNSEEN 1] First unseen message",
	"* OK [UIDVALIDITY …", "* OK [UIDNEXT 4] Predicted next UID", `* FLAGS (\Seen \Answered \Flagged \Deleted \Draft)`,
	`* OK [PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft \*)] Permanent flags`,
	"* OK [HIGHESTMODSEQ 4] Highest"}

// TestCondStoreRFCExamples runs the examples of RFC 7162 §3.1 against
// three messages with MODSEQ 2, 3 and 4 (the RFC's numbers are larger,
// the exchanges the same).
func TestCondStoreRFCExamples(t *testing.T) {
	sel := csStep{"SELECT INBOX (CONDSTORE)", append(selectCondStore, "t OK [READ-WRITE] SELECT completed")}
	cases := []struct {
		name  string
		steps []csStep
	}{
		{"ENABLE CONDSTORE, then SELECT reports HIGHESTMODSEQ (§3.1.2.1)", []csStep{
			{"ENABLE CONDSTORE", []string{"* ENABLED CONDSTORE", "t OK ENABLE completed"}},
			{"SELECT INBOX", append(selectCondStore, "t OK [READ-WRITE] SELECT completed")},
		}},
		{"without CONDSTORE no HIGHESTMODSEQ", []csStep{
			{"SELECT INBOX", append(selectCondStore[:len(selectCondStore)-1:len(selectCondStore)-1],
				"t OK [READ-WRITE] SELECT completed")},
		}},
		{"FETCH MODSEQ (§3.1.4)", []csStep{sel,
			{"FETCH 1:* (FLAGS MODSEQ)", []string{"* 1 FETCH (FLAGS () MODSEQ (2))", "* 2 FETCH (FLAGS () MODSEQ (3))",
				"* 3 FETCH (FLAGS () MODSEQ (4))", "t OK FETCH completed"}},
		}},
		{"FETCH MODSEQ enables CONDSTORE in the selected state (§3.1)", []csStep{
			{"SELECT INBOX", append(selectCondStore[:len(selectCondStore)-1:len(selectCondStore)-1],
				"t OK [READ-WRITE] SELECT completed")},
			{"FETCH 2 (MODSEQ)", []string{"* OK [HIGHESTMODSEQ 4] Highest", "* 2 FETCH (MODSEQ (3))", "t OK FETCH completed"}},
			{"FETCH 2 (MODSEQ)", []string{"* 2 FETCH (MODSEQ (3))", "t OK FETCH completed"}},
		}},
		{"UID FETCH CHANGEDSINCE (§3.1.4.1)", []csStep{sel,
			{`STORE 2 +FLAGS.SILENT (\Seen)`, []string{"* 2 FETCH (MODSEQ (5))", "t OK STORE completed"}},
			{"UID FETCH 1:* (FLAGS) (CHANGEDSINCE 3)", []string{`* 2 FETCH (UID 2 FLAGS (\Seen) MODSEQ (5))`,
				"* 3 FETCH (UID 3 FLAGS () MODSEQ (4))", "t OK UID FETCH completed"}},
			{"UID FETCH 1:* (FLAGS) (CHANGEDSINCE 5)", []string{"t OK UID FETCH completed"}},
		}},
		{"conditional STORE succeeds (§3.1.3, example 3)", []csStep{sel,
			{`UID STORE 1:3 (UNCHANGEDSINCE 4) +FLAGS.SILENT (\Deleted)`, []string{"* 1 FETCH (UID 1 MODSEQ (5))",
				"* 2 FETCH (UID 2 MODSEQ (5))", "* 3 FETCH (UID 3 MODSEQ (5))", "t OK UID STORE completed"}},
		}},
		{"conditional STORE fails for changed messages: MODIFIED (§3.1.3, example 4)", []csStep{sel,
			{`STORE 3 +FLAGS (\Flagged)`, []string{`* 3 FETCH (FLAGS (\Flagged) MODSEQ (5))`, "t OK STORE completed"}},
			{`STORE 1:3 (UNCHANGEDSINCE 4) +FLAGS.SILENT (\Deleted)`, []string{"* 1 FETCH (MODSEQ (6))",
				"* 2 FETCH (MODSEQ (6))", "t OK [MODIFIED 3] Conditional store failed"}},
			{`UID STORE 1:3 (UNCHANGEDSINCE 5) FLAGS (\Seen)`, []string{`* 3 FETCH (UID 3 FLAGS (\Seen) MODSEQ (7))`,
				"t OK [MODIFIED 1:2] Conditional store failed"}},
		}},
		{"a conditional .SILENT STORE that changes nothing still answers MODSEQ (§3.1.3)", []csStep{sel,
			{`STORE 1 (UNCHANGEDSINCE 9) +FLAGS.SILENT (\Seen)`, []string{"* 1 FETCH (MODSEQ (5))", "t OK STORE completed"}},
			{`STORE 1 (UNCHANGEDSINCE 9) +FLAGS.SILENT (\Seen)`, []string{"* 1 FETCH (MODSEQ (5))", "t OK STORE completed"}},
			{`STORE 1 +FLAGS.SILENT (\Seen)`, []string{"t OK STORE completed"}},
		}},
		{"UNCHANGEDSINCE 0 fails for every message (§3.1.3)", []csStep{sel,
			{`STORE 1 (UNCHANGEDSINCE 0) +FLAGS (\Seen)`, []string{"t OK [MODIFIED 1] Conditional store failed"}},
		}},
		{"STORE UNCHANGEDSINCE enables CONDSTORE and answers with MODSEQ", []csStep{
			{"SELECT INBOX", append(selectCondStore[:len(selectCondStore)-1:len(selectCondStore)-1],
				"t OK [READ-WRITE] SELECT completed")},
			{`STORE 1 (UNCHANGEDSINCE 9) +FLAGS (\Seen)`, []string{"* OK [HIGHESTMODSEQ 4] Highest",
				`* 1 FETCH (FLAGS (\Seen) MODSEQ (5))`, "t OK STORE completed"}},
		}},
		{"SEARCH MODSEQ (§3.1.5)", []csStep{sel,
			{`STORE 2 +FLAGS.SILENT (\Draft)`, []string{"* 2 FETCH (MODSEQ (5))", "t OK STORE completed"}},
			{"SEARCH MODSEQ 4", []string{"* SEARCH 2 3 (MODSEQ 5)", "t OK SEARCH completed"}},
			{`SEARCH OR NOT MODSEQ 3 MODSEQ "/flags/\\draft" all 5`, []string{"* SEARCH 1 2 (MODSEQ 5)", "t OK SEARCH completed"}},
			{`SEARCH MODSEQ 3 NOT DRAFT`, []string{"* SEARCH 3 (MODSEQ 4)", "t OK SEARCH completed"}},
			{"SEARCH MODSEQ 6", []string{"* SEARCH", "t OK SEARCH completed"}},
			{"UID SEARCH RETURN (COUNT MAX) MODSEQ 1", []string{`* ESEARCH (TAG "t") UID MAX 3 COUNT 3 MODSEQ 5`,
				"t OK UID SEARCH completed"}},
		}},
		{"SORT MODSEQ, as SEARCH (§3.1.5, sort-data of §7)", []csStep{sel,
			{`STORE 2 +FLAGS.SILENT (\Draft)`, []string{"* 2 FETCH (MODSEQ (5))", "t OK STORE completed"}},
			{"SORT (REVERSE ARRIVAL) UTF-8 MODSEQ 4", []string{"* SORT 3 2 (MODSEQ 5)", "t OK SORT completed"}},
			{"SORT (ARRIVAL) UTF-8 MODSEQ 3 NOT DRAFT", []string{"* SORT 3 (MODSEQ 4)", "t OK SORT completed"}},
			{"SORT (ARRIVAL) UTF-8 MODSEQ 6", []string{"* SORT", "t OK SORT completed"}},
			{"SORT (ARRIVAL) UTF-8 ALL", []string{"* SORT 1 2 3", "t OK SORT completed"}},
			{"UID SORT RETURN (MIN) (REVERSE ARRIVAL) UTF-8 MODSEQ 1", []string{`* ESEARCH (TAG "t") UID MIN 3 MODSEQ 4`,
				"t OK UID SORT completed"}},
			{"UID SORT RETURN (ALL) (ARRIVAL) UTF-8 MODSEQ 1", []string{`* ESEARCH (TAG "t") UID ALL 1:3 MODSEQ 5`,
				"t OK UID SORT completed"}},
		}},
		{"STATUS HIGHESTMODSEQ (§3.1.6)", []csStep{
			{"STATUS INBOX (UIDNEXT MESSAGES HIGHESTMODSEQ)", []string{`* STATUS INBOX (MESSAGES 3 UIDNEXT 4 HIGHESTMODSEQ 4)`,
				"t OK STATUS completed"}},
			{"STATUS Trash (HIGHESTMODSEQ)", []string{`* STATUS "Trash" (HIGHESTMODSEQ 1)`, "t OK STATUS completed"}},
		}},
		{"bad modifiers", []csStep{sel,
			{"FETCH 1 (FLAGS) (CHANGEDSINCE x)", []string{"t BAD …"}},
			{"FETCH 1 (FLAGS) (FOO 1)", []string{"t BAD …"}},
			{"UID FETCH 1 (FLAGS) (CHANGEDSINCE 1 VANISHED)", []string{"t BAD …"}},
			{`STORE 1 (UNCHANGEDSINCE) +FLAGS (\Seen)`, []string{"t BAD …"}},
			{"SELECT INBOX (FOO)", []string{"t BAD …"}},
			{"SELECT INBOX (QRESYNC (1 1))", []string{"t BAD …"}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, r := condStoreEnv(t)
			for _, s := range tc.steps {
				r.csExchange("t", s)
			}
		})
	}
}

// TestCondStoreUnsolicited: once CONDSTORE is enabled, the FETCH that
// tells of another session's flag change carries the new MODSEQ (RFC 7162
// §3.1.4); a session without CONDSTORE gets no MODSEQ.
func TestCondStoreUnsolicited(t *testing.T) {
	e, a := condStoreEnv(t)
	a.csExchange("t", csStep{"SELECT INBOX (CONDSTORE)", append(selectCondStore, "t OK [READ-WRITE] SELECT completed")})
	plain := e.rawSelected(t)
	b := e.rawSelected(t)
	b.csExchange("b", csStep{`STORE 2 +FLAGS.SILENT (\Seen)`, []string{"b OK STORE completed"}})
	a.csExchange("n", csStep{"NOOP", []string{`* 2 FETCH (UID 2 FLAGS (\Seen) MODSEQ (5))`, "n OK NOOP completed"}})
	plain.csExchange("n", csStep{"NOOP", []string{`* 2 FETCH (UID 2 FLAGS (\Seen))`, "n OK NOOP completed"}})
	// Reading a body sets \Seen: the FETCH tells the new flags and MODSEQ.
	a.send("g FETCH 3 BODY[]<0.4>")
	assert.Equal(t, `* 3 FETCH (FLAGS (\Seen) MODSEQ (6) BODY[]<0> {4}`, a.line())
	assert.Equal(t, "From)", a.line())
	a.until("g OK")
}

// TestCondStoreHeldExpunge: while an expunge waits for a command that may
// report it, FETCH sends MODSEQ values above it; the tagged OK is preceded
// by a HIGHESTMODSEQ below the expunge's, so a client that loses the
// connection then resynchronises from before the expunge (RFC 7162 §3.2).
func TestCondStoreHeldExpunge(t *testing.T) {
	e, a := condStoreEnv(t)
	a.csExchange("t", csStep{"SELECT INBOX (CONDSTORE)", append(selectCondStore, "t OK [READ-WRITE] SELECT completed")})
	b := e.rawSelected(t)
	b.csExchange("b1", csStep{`STORE 1 +FLAGS.SILENT (\Deleted)`, []string{"b1 OK STORE completed"}})
	b.csExchange("b2", csStep{"EXPUNGE", []string{"* 1 EXPUNGE", "b2 OK EXPUNGE completed"}})
	b.csExchange("b3", csStep{`STORE 1 +FLAGS.SILENT (\Seen)`, []string{"b3 OK STORE completed"}})
	a.csExchange("f", csStep{"FETCH 2 (MODSEQ)", []string{"* 2 FETCH (MODSEQ (7))",
		`* 1 FETCH (UID 1 FLAGS (\Deleted) MODSEQ (5))`, "* OK [HIGHESTMODSEQ 5] Highest", "f OK FETCH completed"}})
	a.csExchange("n", csStep{"NOOP", []string{"* 1 EXPUNGE", `* 1 FETCH (UID 2 FLAGS (\Seen) MODSEQ (7))`, "n OK NOOP completed"}})
}
