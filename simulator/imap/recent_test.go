package imap_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
)

// step is one line a client sends in a scripted exchange and the whole
// answer it must get, up to its tagged line (or "+" for a literal). An
// empty cmd delivers one more message to INBOX instead (the MDA).
type step struct {
	s    int // the session, 0-based
	cmd  string
	want []string
}

// script is a table case: sessions log in as Bob (those listed in rev2
// send ENABLE IMAP4rev2 first) and run steps in order.
type script struct {
	name     string
	mail     int // messages in INBOX before the sessions log in
	sessions int
	rev2     []int
	steps    []step
}

// changing hides what differs between runs: UIDVALIDITY is derived from
// the clock.
var changing = regexp.MustCompile(`(UIDVALIDITY|COPYUID|APPENDUID) \d+`)

func (sc script) run(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	for i := range sc.mail {
		e.deliver(t, fmt.Sprint("message ", i+1))
	}
	sessions := make([]*raw, sc.sessions)
	for i := range sessions {
		r := e.raw(t)
		r.line() // greeting
		r.send("l LOGIN " + bob + " " + password)
		r.until("l ")
		for _, j := range sc.rev2 {
			if j == i {
				r.send("e ENABLE IMAP4rev2")
				require.Equal(t, "e OK ENABLE completed", r.until("e ")[1:][0], "ENABLE")
			}
		}
		sessions[i] = r
	}
	for n, st := range sc.steps {
		if st.cmd == "" {
			e.deliver(t, fmt.Sprint("step ", n))
			continue
		}
		r := sessions[st.s]
		// The answer ends with a line that starts like the last wanted one:
		// the tagged line, or "+" for a literal.
		end, _, _ := strings.Cut(st.want[len(st.want)-1], " ")
		r.send(st.cmd)
		got := r.until(end + " ")
		for i := range got {
			got[i] = changing.ReplaceAllString(got[i], "$1 V")
		}
		require.Equal(t, st.want, got, "step %d: session %d: %s", n, st.s, st.cmd)
	}
}

const (
	flagsLine = `* FLAGS (\Seen \Answered \Flagged \Deleted \Draft)`
	permLine  = `* OK [PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft \*)] Permanent flags`
)

// selectAnswer is SELECT INBOX's answer in IMAP4rev1 (RFC 3501 §6.3.1).
func selectAnswer(tag string, exists, recent, next int, flags string) []string {
	return []string{fmt.Sprintf("* %d EXISTS", exists), fmt.Sprintf("* %d RECENT", recent),
		"* OK [UNSEEN 1] First unseen message", "* OK [UIDVALIDITY V] UIDs valid",
		fmt.Sprintf("* OK [UIDNEXT %d] Predicted next UID", next), flags, permLine,
		tag + " OK [READ-WRITE] SELECT completed"}
}

// TestRecent: \Recent of RFC 3501 §2.3.2, "the first session to be
// notified about a message", and never in IMAP4rev2 (RFC 9051 dropped it).
func TestRecent(t *testing.T) {
	for _, sc := range []script{
		{name: "the first SELECT takes the recent messages, the second gets none", mail: 2, sessions: 2,
			steps: []step{
				{0, "a1 SELECT INBOX", selectAnswer("a1", 2, 2, 3, flagsLine)},
				{1, "b1 SELECT INBOX", selectAnswer("b1", 2, 0, 3, flagsLine)},
				{0, "a2 FETCH 1:2 FLAGS", []string{`* 1 FETCH (FLAGS (\Recent))`, `* 2 FETCH (FLAGS (\Recent))`, "a2 OK FETCH completed"}},
				{1, "b2 FETCH 1:2 FLAGS", []string{`* 1 FETCH (FLAGS ())`, `* 2 FETCH (FLAGS ())`, "b2 OK FETCH completed"}},
				// RFC 3501 §6.4.4: NEW is RECENT UNSEEN, OLD is NOT RECENT.
				{0, "a3 SEARCH RECENT", []string{"* SEARCH 1 2", "a3 OK SEARCH completed"}},
				{0, "a4 STORE 1 +FLAGS.SILENT (\\Seen)", []string{"a4 OK STORE completed"}},
				{0, "a5 SEARCH NEW", []string{"* SEARCH 2", "a5 OK SEARCH completed"}},
				{0, "a6 SEARCH OLD", []string{"* SEARCH", "a6 OK SEARCH completed"}},
				{1, "b3 SEARCH RECENT", []string{"* SEARCH", `* 1 FETCH (UID 1 FLAGS (\Seen))`, "b3 OK SEARCH completed"}},
				{1, "b4 SEARCH OLD", []string{"* SEARCH 1 2", "b4 OK SEARCH completed"}},
			}},
		{name: "new mail is recent in the session that hears of it first", sessions: 2,
			steps: []step{
				{0, "a1 SELECT INBOX", []string{"* 0 EXISTS", "* 0 RECENT", "* OK [UIDVALIDITY V] UIDs valid",
					"* OK [UIDNEXT 1] Predicted next UID", flagsLine, permLine, "a1 OK [READ-WRITE] SELECT completed"}},
				{1, "b1 SELECT INBOX", []string{"* 0 EXISTS", "* 0 RECENT", "* OK [UIDVALIDITY V] UIDs valid",
					"* OK [UIDNEXT 1] Predicted next UID", flagsLine, permLine, "b1 OK [READ-WRITE] SELECT completed"}},
				{s: 0}, // the MDA delivers
				{1, "b2 NOOP", []string{"* 1 EXISTS", "* 1 RECENT", "b2 OK NOOP completed"}},
				{0, "a2 NOOP", []string{"* 1 EXISTS", "* 0 RECENT", "a2 OK NOOP completed"}},
				{1, "b3 FETCH 1 FLAGS", []string{`* 1 FETCH (FLAGS (\Recent))`, "b3 OK FETCH completed"}},
				{0, "a3 SEARCH NEW", []string{"* SEARCH", "a3 OK SEARCH completed"}},
			}},
		{name: "STATUS counts what no session has seen; EXAMINE looks without taking", mail: 1, sessions: 2,
			steps: []step{
				{0, "a1 STATUS INBOX (MESSAGES RECENT)", []string{"* STATUS INBOX (MESSAGES 1 RECENT 1)", "a1 OK STATUS completed"}},
				{1, "b1 EXAMINE INBOX", []string{"* 1 EXISTS", "* 1 RECENT", "* OK [UNSEEN 1] First unseen message",
					"* OK [UIDVALIDITY V] UIDs valid", "* OK [UIDNEXT 2] Predicted next UID", flagsLine,
					"* OK [PERMANENTFLAGS ()] Permanent flags", "b1 OK [READ-ONLY] EXAMINE completed"}},
				{0, "a2 SELECT INBOX", selectAnswer("a2", 1, 1, 2, flagsLine)},
				{1, "b2 STATUS INBOX (RECENT)", []string{"* STATUS INBOX (RECENT 0)", "b2 OK STATUS completed"}},
			}},
		{name: "a client cannot set or clear \\Recent (RFC 3501 §2.3.2)", mail: 2, sessions: 2,
			steps: []step{
				{0, "a1 SELECT INBOX", selectAnswer("a1", 2, 2, 3, flagsLine)},
				{0, "a2 STORE 1 FLAGS (\\Seen)", []string{`* 1 FETCH (FLAGS (\Seen \Recent))`, "a2 OK STORE completed"}},
				{0, "a3 STORE 2 -FLAGS (\\Recent)", []string{`* 2 FETCH (FLAGS (\Recent))`, "a3 OK STORE completed"}},
				{1, "b1 SELECT INBOX", []string{"* 2 EXISTS", "* 0 RECENT", "* OK [UNSEEN 2] First unseen message",
					"* OK [UIDVALIDITY V] UIDs valid", "* OK [UIDNEXT 3] Predicted next UID", flagsLine, permLine,
					"b1 OK [READ-WRITE] SELECT completed"}},
				{1, "b2 STORE 2 +FLAGS (\\Recent)", []string{`* 2 FETCH (FLAGS ())`, "b2 OK STORE completed"}},
			}},
		{name: "IMAP4rev2 sessions neither show nor take \\Recent", mail: 1, sessions: 2, rev2: []int{0},
			steps: []step{
				{0, "a1 SELECT INBOX", []string{"* 1 EXISTS", "* OK [UIDVALIDITY V] UIDs valid",
					"* OK [UIDNEXT 2] Predicted next UID", flagsLine, permLine, `* LIST (\HasNoChildren) "/" INBOX`,
					"a1 OK [READ-WRITE] SELECT completed"}},
				{0, "a2 FETCH 1 FLAGS", []string{`* 1 FETCH (FLAGS ())`, "a2 OK FETCH completed"}},
				{s: 0}, // the MDA delivers
				{0, "a3 NOOP", []string{"* 2 EXISTS", "a3 OK NOOP completed"}},
				{1, "b1 SELECT INBOX", selectAnswer("b1", 2, 2, 3, flagsLine)},
			}},
		{name: "a message moved within its mailbox is new again (RFC 6851)", mail: 2, sessions: 2,
			steps: []step{
				{0, "a1 SELECT INBOX", selectAnswer("a1", 2, 2, 3, flagsLine)},
				{1, "b1 SELECT INBOX", selectAnswer("b1", 2, 0, 3, flagsLine)},
				// The EXPUNGE comes before the EXISTS of the copy, as in Dovecot.
				{1, "b2 MOVE 1 INBOX", []string{"* OK [COPYUID V 1 3] COPY completed", "* 1 EXPUNGE", "* 2 EXISTS",
					"* 1 RECENT", "b2 OK MOVE completed"}},
				{0, "a2 NOOP", []string{"* 1 EXPUNGE", "* 2 EXISTS", "* 1 RECENT", "a2 OK NOOP completed"}},
				{0, "a3 UID SEARCH RECENT", []string{"* SEARCH 2", "a3 OK UID SEARCH completed"}},
				// The count after the EXPUNGE, which took one recent away.
				{1, "b3 UID MOVE 3 INBOX", []string{"* OK [COPYUID V 3 4] COPY completed", "* 2 EXPUNGE", "* 2 EXISTS",
					"* 1 RECENT", "b3 OK UID MOVE completed"}},
				{1, "b4 UID FETCH 1:* FLAGS", []string{`* 1 FETCH (UID 2 FLAGS ())`, `* 2 FETCH (UID 4 FLAGS (\Recent))`,
					"b4 OK UID FETCH completed"}},
			}},
	} {
		t.Run(sc.name, sc.run)
	}
}

// TestKeywordsAnnounced: a keyword is in FLAGS before any FETCH shows it
// (RFC 3501 §7.2.6, RFC 9051 §7.3.5), in every session that has the
// mailbox selected, as Dovecot sends it.
func TestKeywordsAnnounced(t *testing.T) {
	withLabel := `* FLAGS (\Seen \Answered \Flagged \Deleted \Draft $Label1)`
	permLabel := `* OK [PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft $Label1 \*)] Permanent flags`
	for _, sc := range []script{
		{name: "STORE of a new keyword", mail: 2, sessions: 2, rev2: []int{1},
			steps: []step{
				{0, "a1 SELECT INBOX", selectAnswer("a1", 2, 2, 3, flagsLine)},
				{1, "b1 SELECT INBOX", []string{"* 2 EXISTS", "* OK [UIDVALIDITY V] UIDs valid",
					"* OK [UIDNEXT 3] Predicted next UID", flagsLine, permLine, `* LIST (\HasNoChildren) "/" INBOX`,
					"b1 OK [READ-WRITE] SELECT completed"}},
				{0, "a2 STORE 1 +FLAGS ($Label1)", []string{withLabel, permLabel, `* 1 FETCH (UID 1 FLAGS ($Label1 \Recent))`,
					"a2 OK STORE completed"}},
				{0, "a3 STORE 2 +FLAGS ($Label1)", []string{`* 2 FETCH (FLAGS ($Label1 \Recent))`, "a3 OK STORE completed"}},
				{1, "b2 NOOP", []string{withLabel, permLabel, `* 1 FETCH (UID 1 FLAGS ($Label1))`, `* 2 FETCH (UID 2 FLAGS ($Label1))`,
					"b2 OK NOOP completed"}},
			}},
		{name: "PERMANENTFLAGS lists the keywords at SELECT, nothing for EXAMINE", mail: 1, sessions: 2,
			steps: []step{
				{0, "a1 SELECT INBOX", selectAnswer("a1", 1, 1, 2, flagsLine)},
				{1, "b1 EXAMINE INBOX", []string{"* 1 EXISTS", "* 0 RECENT", "* OK [UNSEEN 1] First unseen message",
					"* OK [UIDVALIDITY V] UIDs valid", "* OK [UIDNEXT 2] Predicted next UID", flagsLine,
					"* OK [PERMANENTFLAGS ()] Permanent flags", "b1 OK [READ-ONLY] EXAMINE completed"}},
				{0, "a2 STORE 1 +FLAGS.SILENT ($Label1)", []string{withLabel, permLabel, "a2 OK STORE completed"}},
				{1, "b2 NOOP", []string{withLabel, "* OK [PERMANENTFLAGS ()] Permanent flags",
					`* 1 FETCH (UID 1 FLAGS ($Label1))`, "b2 OK NOOP completed"}},
				{0, "a3 SELECT INBOX", []string{"* OK [CLOSED] Previous mailbox is now closed", "* 1 EXISTS", "* 0 RECENT",
					"* OK [UNSEEN 1] First unseen message", "* OK [UIDVALIDITY V] UIDs valid",
					"* OK [UIDNEXT 2] Predicted next UID", withLabel, permLabel, "a3 OK [READ-WRITE] SELECT completed"}},
			}},
		{name: "a FETCH shows only announced keywords; the update follows", mail: 1, sessions: 2,
			steps: []step{
				{0, "a1 SELECT INBOX", selectAnswer("a1", 1, 1, 2, flagsLine)},
				{1, "b1 SELECT INBOX", selectAnswer("b1", 1, 0, 2, flagsLine)},
				{0, "a2 STORE 1 +FLAGS.SILENT ($Label1)", []string{withLabel, permLabel, "a2 OK STORE completed"}},
				{1, "b2 FETCH 1 FLAGS", []string{`* 1 FETCH (FLAGS ())`, withLabel, permLabel, `* 1 FETCH (UID 1 FLAGS ($Label1))`,
					"b2 OK FETCH completed"}},
			}},
		{name: "a COPY or APPEND that brings a keyword", mail: 1, sessions: 2,
			steps: []step{
				{0, "a1 CREATE Later", []string{"a1 OK CREATE completed"}},
				{1, "b1 SELECT Later", []string{"* 0 EXISTS", "* 0 RECENT", "* OK [UIDVALIDITY V] UIDs valid",
					"* OK [UIDNEXT 1] Predicted next UID", flagsLine, permLine, "b1 OK [READ-WRITE] SELECT completed"}},
				{0, "a2 SELECT INBOX", selectAnswer("a2", 1, 1, 2, flagsLine)},
				{0, "a3 STORE 1 +FLAGS.SILENT ($Label1)", []string{withLabel, permLabel, "a3 OK STORE completed"}},
				{0, "a4 COPY 1 Later", []string{"a4 OK [COPYUID V 1 1] COPY completed"}},
				{1, "b2 NOOP", []string{withLabel, permLabel, "* 1 EXISTS", "* 1 RECENT", "b2 OK NOOP completed"}},
				{1, "b3 FETCH 1 FLAGS", []string{`* 1 FETCH (FLAGS ($Label1 \Recent))`, "b3 OK FETCH completed"}},
				{0, "a5 APPEND Later ($Todo) {5}", []string{"+ Ready for literal data"}},
				{0, "hello", []string{"a5 OK [APPENDUID V 2] APPEND completed"}},
				{1, "b4 NOOP", []string{`* FLAGS (\Seen \Answered \Flagged \Deleted \Draft $Label1 $Todo)`,
					`* OK [PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft $Label1 $Todo \*)] Permanent flags`, "* 2 EXISTS",
					"* 2 RECENT", "b4 OK NOOP completed"}},
			}},
	} {
		t.Run(sc.name, sc.run)
	}
}

// TestRecentGoneAfterLateEnable: ENABLE IMAP4rev2 in the selected state
// (which go-imap accepts) ends \Recent in FETCH and SEARCH at once.
func TestRecentGoneAfterLateEnable(t *testing.T) {
	script{mail: 1, sessions: 1, steps: []step{
		{0, "a1 SELECT INBOX", selectAnswer("a1", 1, 1, 2, flagsLine)},
		{0, "a2 FETCH 1 FLAGS", []string{`* 1 FETCH (FLAGS (\Recent))`, "a2 OK FETCH completed"}},
		{0, "a3 ENABLE IMAP4rev2", []string{"* ENABLED IMAP4rev2", "a3 OK ENABLE completed"}},
		{0, "a4 FETCH 1 FLAGS", []string{`* 1 FETCH (FLAGS ())`, "a4 OK FETCH completed"}},
		{0, "a5 SEARCH RECENT", []string{"* ESEARCH (TAG \"a5\")", "a5 OK SEARCH completed"}},
	}}.run(t)
}
