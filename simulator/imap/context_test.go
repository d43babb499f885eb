package imap_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// contextLines sends a command and returns its ESEARCH and EXPUNGE/EXISTS
// lines in order, and its tagged reply; FETCH, RECENT and FLAGS lines are
// left out (they are other tests' business).
func contextLines(t *testing.T, r *raw, cmd string) (lines []string, reply string) {
	t.Helper()
	r.send(cmd)
	tag := strings.Fields(cmd)[0] + " "
	for _, l := range r.until(tag) {
		switch {
		case strings.HasPrefix(l, tag):
			reply = l
		case strings.HasPrefix(l, "* ESEARCH"), strings.HasPrefix(l, "* NO"),
			strings.HasSuffix(l, " EXPUNGE"), strings.HasSuffix(l, " EXISTS"):
			lines = append(lines, l)
		}
	}
	return lines, reply
}

type contextStep struct {
	cmd   string
	want  []string // ESEARCH, NO, EXISTS and EXPUNGE lines, in order
	reply string   // prefix of the tagged reply
}

func runContextSteps(t *testing.T, r *raw, steps []contextStep) {
	t.Helper()
	for _, s := range steps {
		lines, reply := contextLines(t, r, s.cmd)
		assert.Equal(t, s.want, lines, s.cmd)
		assert.True(t, strings.HasPrefix(reply, s.reply), "%s: %s", s.cmd, reply)
	}
}

func deliverN(t *testing.T, e *env, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		e.deliver(t, "m"+strconv.Itoa(i))
	}
}

// TestSearchContextUpdate: imaptest's search-context-update and -update2
// as raw exchanges (RFC 5267 §4.3): ADDTO and REMOVEFROM at position 0 as
// flags change, REMOVEFROM before the EXPUNGEs it concerns, nothing after
// CANCELUPDATE.
func TestSearchContextUpdate(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	deliverN(t, e, 6)
	r := e.rawSelected(t)
	runContextSteps(t, r, []contextStep{
		{`a SEARCH RETURN (UPDATE) BODY hello SEEN`, []string{`* ESEARCH (TAG "a")`}, "a OK"},
		{`b STORE 1,2,5 +FLAGS (\Seen)`, []string{`* ESEARCH (TAG "a") ADDTO (0 1:2,5)`}, "b OK"},
		{`c STORE 1,2 -FLAGS (\Seen)`, []string{`* ESEARCH (TAG "a") REMOVEFROM (0 1:2)`}, "c OK"},
		{`d STORE 3:6 +FLAGS (\Deleted)`, nil, "d OK"},
		{`e EXPUNGE`, []string{`* ESEARCH (TAG "a") REMOVEFROM (0 5)`,
			"* 3 EXPUNGE", "* 3 EXPUNGE", "* 3 EXPUNGE", "* 3 EXPUNGE"}, "e OK"},
		{`f CANCELUPDATE "a"`, nil, "f OK"},
		{`g STORE 1 +FLAGS (\Seen)`, nil, "g OK"},
		// update2: a context with ALL and OR
		{`h SEARCH RETURN (UPDATE ALL) OR SEEN SUBJECT m2`, []string{`* ESEARCH (TAG "h") ALL 1:2`}, "h OK"},
		{`i STORE 1:2 -FLAGS (\Seen)`, []string{`* ESEARCH (TAG "h") REMOVEFROM (0 1)`}, "i OK"},
		{`j STORE 1:2 +FLAGS (\Seen)`, []string{`* ESEARCH (TAG "h") ADDTO (0 1)`}, "j OK"},
	})
}

// TestUIDSearchContextUpdate: imaptest's search-context-update3: a UID
// context names UIDs, also in REMOVEFROM for an expunge, which comes
// before the EXPUNGE.
func TestUIDSearchContextUpdate(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	deliverN(t, e, 6)
	r := e.rawSelected(t)
	runContextSteps(t, r, []contextStep{
		{`x1 STORE 1 +FLAGS (\Deleted)`, nil, "x1 OK"},
		{`x2 EXPUNGE`, []string{"* 1 EXPUNGE"}, "x2 OK"}, // now UID = sequence number + 1
		{`x3 STORE 1,2 +FLAGS (\Seen)`, nil, "x3 OK"},
		{`a UID SEARCH RETURN (UPDATE ALL) OR SEEN SUBJECT m3`, []string{`* ESEARCH (TAG "a") UID ALL 2:3`}, "a OK"},
		{`b STORE 3:5 +FLAGS (\Seen)`, []string{`* ESEARCH (TAG "a") UID ADDTO (0 4:6)`}, "b OK"},
		{`c STORE 1:5 -FLAGS (\Seen)`, []string{`* ESEARCH (TAG "a") UID REMOVEFROM (0 2,4:6)`}, "c OK"},
		{`d UID STORE 4,5 +FLAGS (\Seen)`, []string{`* ESEARCH (TAG "a") UID ADDTO (0 4:5)`}, "d OK"},
		{`e STORE 3 +FLAGS (\Deleted)`, nil, "e OK"},
		{`f EXPUNGE`, []string{`* ESEARCH (TAG "a") UID REMOVEFROM (0 4)`, "* 3 EXPUNGE"}, "f OK"},
		// MOVE into the same mailbox: the message leaves under its old UID
		// (before its EXPUNGE) and comes back under a new one (after EXISTS);
		// the EXPUNGE comes first, as in Dovecot
		{`g MOVE 3 INBOX`, []string{`* ESEARCH (TAG "a") UID REMOVEFROM (0 5)`, "* 3 EXPUNGE", "* 4 EXISTS",
			`* ESEARCH (TAG "a") UID ADDTO (0 7)`}, "g OK"},
	})
}

// TestContextNewMail: ADDTO for arriving mail comes after its EXISTS
// (RFC 5267 §4.3.3), after a command and during IDLE.
func TestContextNewMail(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	deliverN(t, e, 2)
	r := e.rawSelected(t)
	runContextSteps(t, r, []contextStep{
		{`a SEARCH RETURN (UPDATE COUNT) SUBJECT new`, []string{`* ESEARCH (TAG "a") COUNT 0`}, "a OK"},
	})
	e.deliver(t, "new one")
	e.deliver(t, "old three")
	runContextSteps(t, r, []contextStep{
		{`b NOOP`, []string{"* 4 EXISTS", `* ESEARCH (TAG "a") ADDTO (0 3)`}, "b OK"},
	})
	r.send("c IDLE")
	require.Equal(t, "+ idling", r.line())
	e.deliver(t, "new two")
	assert.Equal(t, "* 5 EXISTS", r.line())
	for {
		l := r.line()
		if strings.HasSuffix(l, " RECENT") {
			continue
		}
		assert.Equal(t, `* ESEARCH (TAG "a") ADDTO (0 5)`, l)
		break
	}
	r.send("DONE")
	assert.Equal(t, "c OK IDLE completed", r.line())
}

// TestSortContextUpdate: a SORT context (CONTEXT=SORT) names positions in
// the sorted result: REMOVEFROM the last run first, ADDTO where the
// messages now stand.
func TestSortContextUpdate(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	for _, s := range []string{"d", "b", "e", "a", "c"} {
		e.deliver(t, s)
	}
	r := e.rawSelected(t)
	runContextSteps(t, r, []contextStep{
		// by subject: a(4) b(2) c(5) d(1) e(3)
		{`a SORT RETURN (UPDATE ALL) (SUBJECT) UTF-8 UNSEEN`, []string{`* ESEARCH (TAG "a") ALL 4,2,5,1,3`}, "a OK"},
		{`b STORE 2,5,3 +FLAGS (\Seen)`, []string{`* ESEARCH (TAG "a") REMOVEFROM (5 3 2 2,5)`}, "b OK"},
		{`c STORE 5 -FLAGS (\Seen)`, []string{`* ESEARCH (TAG "a") ADDTO (2 5)`}, "c OK"},
	})
	e.deliver(t, "bb")
	runContextSteps(t, r, []contextStep{
		// a(4) c(5) d(1) and the new bb(6) after a
		{`d NOOP`, []string{"* 6 EXISTS", `* ESEARCH (TAG "a") ADDTO (2 6)`}, "d OK"},
		{`e STORE 4 +FLAGS (\Deleted)`, nil, "e OK"},
		{`f EXPUNGE`, []string{`* ESEARCH (TAG "a") REMOVEFROM (1 4)`, "* 4 EXPUNGE"}, "f OK"},
		{`g UID SORT RETURN (UPDATE) (REVERSE SUBJECT) UTF-8 UNSEEN`, []string{`* ESEARCH (TAG "g") UID`}, "g OK"},
		// g: d(1) c(5) bb(6); the UIDs stay those of delivery
		{`h STORE 2 -FLAGS (\Seen)`, []string{`* ESEARCH (TAG "a") ADDTO (1 2)`, `* ESEARCH (TAG "g") UID ADDTO (4 2)`}, "h OK"},
	})
}

// TestSearchPartial: imaptest's search-partial and sort-partial (RFC 5267
// §4.4), and the refusals of CONTEXT's options.
func TestSearchPartial(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	deliverN(t, e, 5)
	r := e.rawSelected(t)
	runRawCases(t, r, []rawCase{
		{"PARTIAL 1:1", "a SEARCH RETURN (PARTIAL 1:1) ALL", []string{`* ESEARCH (TAG "a") PARTIAL (1:1 1)`, "a OK SEARCH completed"}},
		{"PARTIAL 2:4", "a SEARCH RETURN (PARTIAL 2:4) ALL", []string{`* ESEARCH (TAG "a") PARTIAL (2:4 2:4)`, "a OK SEARCH completed"}},
		{"PARTIAL 4:2", "a SEARCH RETURN (PARTIAL 4:2) ALL", []string{`* ESEARCH (TAG "a") PARTIAL (2:4 2:4)`, "a OK SEARCH completed"}},
		{"PARTIAL past the end", "a SEARCH RETURN (PARTIAL 1:6) ALL", []string{`* ESEARCH (TAG "a") PARTIAL (1:6 1:5)`, "a OK SEARCH completed"}},
		{"PARTIAL beyond", "a SEARCH RETURN (PARTIAL 7:9) ALL", []string{`* ESEARCH (TAG "a") PARTIAL (7:9 NIL)`, "a OK SEARCH completed"}},
		{"UID PARTIAL COUNT", "a UID SEARCH RETURN (COUNT PARTIAL 1:2) 2:5",
			[]string{`* ESEARCH (TAG "a") UID PARTIAL (1:2 2:3) COUNT 4`, "a OK UID SEARCH completed"}},
		{"CONTEXT hint", "a SEARCH RETURN (CONTEXT) ALL", []string{`* ESEARCH (TAG "a") ALL 1:5`, "a OK SEARCH completed"}},
		{"sort PARTIAL", "a SORT RETURN (PARTIAL 2:4) (REVERSE ARRIVAL) US-ASCII ALL",
			[]string{`* ESEARCH (TAG "a") PARTIAL (2:4 4,3,2)`, "a OK SORT completed"}},
		{"sort PARTIAL after the charset", "a SORT (ARRIVAL) US-ASCII RETURN (PARTIAL 2:4) ALL",
			[]string{`* ESEARCH (TAG "a") PARTIAL (2:4 2:4)`, "a OK SORT completed"}},
		{"sort PARTIAL past the end", "a SORT (REVERSE ARRIVAL) US-ASCII RETURN (PARTIAL 1:6) ALL",
			[]string{`* ESEARCH (TAG "a") PARTIAL (1:6 5,4,3,2,1)`, "a OK SORT completed"}},
		{"PARTIAL without a range", "a SEARCH RETURN (PARTIAL 1) ALL", []string{"a BAD [CLIENTBUG] PARTIAL range broken"}},
		{"PARTIAL to *", "a SEARCH RETURN (PARTIAL 1:*) ALL", []string{"a BAD [CLIENTBUG] PARTIAL range broken"}},
		{"PARTIAL from *", "a SEARCH RETURN (PARTIAL *:1) ALL", []string{"a BAD [CLIENTBUG] PARTIAL range broken"}},
		{"PARTIAL 0:3", "a SEARCH RETURN (PARTIAL 0:3) ALL", []string{"a BAD [CLIENTBUG] PARTIAL range broken"}},
		{"two UPDATEs", "a SEARCH RETURN (UPDATE UPDATE) ALL", []string{"a BAD [CLIENTBUG] SEARCH return options have duplicate UPDATE"}},
		{"PARTIAL and ALL", "a SEARCH RETURN (PARTIAL 1:2 ALL) ALL", []string{"a BAD [CLIENTBUG] PARTIAL conflicts with ALL"}},
		{"sort PARTIAL and ALL", "a SORT RETURN (ALL PARTIAL 1:2) (DATE) UTF-8 ALL",
			[]string{"a BAD [CLIENTBUG] PARTIAL conflicts with ALL"}},
		{"two PARTIALs", "a SEARCH RETURN (PARTIAL 1:2 PARTIAL 3:4) ALL", []string{"a BAD [CLIENTBUG] PARTIAL can be used only once"}},
	})
}

// TestContextLimits: a tag in use cannot start a second context (§4.3),
// the eleventh context is refused with NOUPDATE but still answered
// (§4.3.1), CANCELUPDATE knows only live contexts (§4.3.5), and
// contexts end with the selection.
func TestContextLimits(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	deliverN(t, e, 2)
	r := e.rawSelected(t)
	var steps []contextStep
	for i := 0; i < 10; i++ {
		tag := "c" + strconv.Itoa(i)
		steps = append(steps, contextStep{tag + " SEARCH RETURN (UPDATE) UNSEEN", []string{`* ESEARCH (TAG "` + tag + `")`}, tag + " OK"})
	}
	steps = append(steps,
		contextStep{"c10 UID SEARCH RETURN (UPDATE COUNT) UNSEEN",
			[]string{`* NO [NOUPDATE "c10"] Too many contexts, no updates`, `* ESEARCH (TAG "c10") UID COUNT 2`}, "c10 OK"},
		contextStep{"c3 SEARCH RETURN (UPDATE) ALL", nil, "c3 BAD [CLIENTBUG] Duplicate search update tag"},
		contextStep{"c3 SEARCH RETURN (COUNT) ALL", []string{`* ESEARCH (TAG "c3") COUNT 2`}, "c3 OK"},
		contextStep{`d CANCELUPDATE "c1" "c2"`, nil, "d OK CANCELUPDATE completed"},
		contextStep{`e CANCELUPDATE "c1"`, nil, `e NO Unknown tag "c1"`},
		contextStep{`f CANCELUPDATE`, nil, "f BAD [CLIENTBUG] CANCELUPDATE needs the tag of a search"},
		contextStep{"c11 SEARCH RETURN (UPDATE) UNSEEN", []string{`* ESEARCH (TAG "c11")`}, "c11 OK"},
		contextStep{"g SELECT INBOX", []string{"* 2 EXISTS"}, "g OK"},
		contextStep{`h CANCELUPDATE "c0"`, nil, `h NO Unknown tag "c0"`},
		contextStep{"i STORE 1 +FLAGS (\\Seen)", nil, "i OK"},
	)
	runContextSteps(t, r, steps)
}

// TestContextOtherSession: another session's flag change reaches the
// context at this session's next command.
func TestContextOtherSession(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	deliverN(t, e, 3)
	r := e.rawSelected(t)
	runContextSteps(t, r, []contextStep{{"a SEARCH RETURN (UPDATE) FLAGGED", []string{`* ESEARCH (TAG "a")`}, "a OK"}})
	list, err := e.st.Messages(bob, store.Inbox)
	require.NoError(t, err)
	_, err = e.st.SetFlags(bob, store.Inbox, []uint32{list[1].UID}, store.FlagsAdd, []string{`\Flagged`})
	require.NoError(t, err)
	runContextSteps(t, r, []contextStep{{"b NOOP", []string{`* ESEARCH (TAG "a") ADDTO (0 2)`}, "b OK"}})
}

// TestSearchReturnSave: RETURN (SAVE) alone saves the result and answers
// only OK, as RFC 5182's example and Dovecot; with other options they are
// answered.
func TestSearchReturnSave(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	deliverN(t, e, 3)
	r := e.rawSelected(t)
	runRawCases(t, r, []rawCase{
		{"SAVE alone", `a SEARCH RETURN (SAVE) SUBJECT m2`, []string{"a OK SEARCH completed"}},
		{"the saved result", "a FETCH $ (UID)", []string{"* 2 FETCH (UID 2)", "a OK FETCH completed"}},
		{"SAVE and MIN", `a SEARCH RETURN (SAVE MIN) OR SUBJECT m1 SUBJECT m3`, []string{`* ESEARCH (TAG "a") MIN 1`, "a OK SEARCH completed"}},
		{"the new saved result", "a UID SEARCH $", []string{"* SEARCH 1 3", "a OK UID SEARCH completed"}},
	})
}
