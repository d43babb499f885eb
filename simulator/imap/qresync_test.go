package imap_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// qresyncEnv: five messages, UIDs 1-5 with MODSEQ 2-6, already \Recent in
// another session; then UID 2 expunged (STORE 7, EXPUNGE 8) and UID 4
// marked \Seen (9). A raw session is logged in (tag a1) and has sent
// ENABLE QRESYNC.
func qresyncEnv(t *testing.T) (*env, *raw, uint32) {
	t.Helper()
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "one", "two", "three", "four", "five")
	_, err := e.st.ClaimRecent(bob, store.Inbox, 5)
	require.NoError(t, err)
	_, err = e.st.SetFlags(bob, store.Inbox, []uint32{2}, store.FlagsAdd, []string{store.FlagDeleted})
	require.NoError(t, err)
	require.NoError(t, e.st.Delete(bob, store.Inbox, []uint32{2}))
	_, err = e.st.SetFlags(bob, store.Inbox, []uint32{4}, store.FlagsAdd, []string{store.FlagSeen})
	require.NoError(t, err)
	in, err := e.st.Mailbox(bob, store.Inbox)
	require.NoError(t, err)
	require.Equal(t, uint64(9), in.HighestModSeq)
	r := e.raw(t)
	r.line()
	r.send("a1 LOGIN " + bob + " " + password)
	r.until("a1 OK")
	r.csExchange("a2", csStep{"ENABLE QRESYNC", []string{"* ENABLED QRESYNC", "a2 OK ENABLE completed"}})
	return e, r, in.UIDValidity
}

func selectLines(exists int, more ...string) []string {
	lines := []string{fmt.Sprintf("* %d EXISTS", exists), "* 0 RECENT", "* OK [UNSEEN 1] First unseen message",
		"* OK [UIDVALIDITY …", "* OK [UIDNEXT 6] Predicted next UID", `* FLAGS (\Seen \Answered \Flagged \Deleted \Draft)`,
		`* OK [PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft \*)] Permanent flags`,
		"* OK [HIGHESTMODSEQ 9] Highest"}
	return append(lines, more...)
}

// TestQResyncRFCExamples: RFC 7162 §3.2.5 (SELECT with QRESYNC), §3.2.6
// (UID FETCH with VANISHED), §3.2.10 (VANISHED for expunges) and §3.2.11
// (CLOSED), with this store's small numbers.
func TestQResyncRFCExamples(t *testing.T) {
	cases := []struct {
		name  string
		steps func(v uint32) []csStep
	}{
		{"SELECT QRESYNC: VANISHED (EARLIER), then FETCH of what changed (§3.2.5)", func(v uint32) []csStep {
			return []csStep{{fmt.Sprintf("SELECT INBOX (QRESYNC (%d 6))", v), selectLines(4,
				"* VANISHED (EARLIER) 2", `* 3 FETCH (UID 4 FLAGS (\Seen) MODSEQ (9))`, "t OK [READ-WRITE] SELECT completed")}}
		}},
		{"known-uids limit both (§3.2.5)", func(v uint32) []csStep {
			return []csStep{{fmt.Sprintf("SELECT INBOX (QRESYNC (%d 6 1:3))", v), selectLines(4,
				"* VANISHED (EARLIER) 2", "t OK [READ-WRITE] SELECT completed")}}
		}},
		{"seq-match data is accepted (§3.2.5.2)", func(v uint32) []csStep {
			return []csStep{{fmt.Sprintf("EXAMINE INBOX (QRESYNC (%d 8 1:5 (1:3 1,3:4)))", v), []string{
				"* 4 EXISTS", "* 0 RECENT", "* OK [UNSEEN 1] First unseen message", "* OK [UIDVALIDITY …",
				"* OK [UIDNEXT 6] Predicted next UID", `* FLAGS (\Seen \Answered \Flagged \Deleted \Draft)`,
				"* OK [PERMANENTFLAGS ()] Permanent flags", "* OK [HIGHESTMODSEQ 9] Highest",
				`* 3 FETCH (UID 4 FLAGS (\Seen) MODSEQ (9))`, "t OK [READ-ONLY] EXAMINE completed"}}}
		}},
		{"nothing changed since", func(v uint32) []csStep {
			return []csStep{{fmt.Sprintf("SELECT INBOX (QRESYNC (%d 9))", v), selectLines(4, "t OK [READ-WRITE] SELECT completed")}}
		}},
		{"another UIDVALIDITY: a plain SELECT (§3.2.5)", func(v uint32) []csStep {
			return []csStep{{fmt.Sprintf("SELECT INBOX (QRESYNC (%d 6))", v+1000), selectLines(4, "t OK [READ-WRITE] SELECT completed")}}
		}},
		{"CLOSED when a SELECT replaces the selected mailbox (§3.2.11)", func(v uint32) []csStep {
			return []csStep{
				{"SELECT INBOX", selectLines(4, "t OK [READ-WRITE] SELECT completed")},
				{fmt.Sprintf("SELECT INBOX (QRESYNC (%d 8))", v), append([]string{"* OK [CLOSED] Previous mailbox is now closed"},
					selectLines(4, `* 3 FETCH (UID 4 FLAGS (\Seen) MODSEQ (9))`, "t OK [READ-WRITE] SELECT completed")...)},
			}
		}},
		{"UID FETCH CHANGEDSINCE VANISHED (§3.2.6)", func(uint32) []csStep {
			return []csStep{
				{"SELECT INBOX", selectLines(4, "t OK [READ-WRITE] SELECT completed")},
				{"UID FETCH 1:* (FLAGS) (CHANGEDSINCE 6 VANISHED)", []string{"* VANISHED (EARLIER) 2",
					`* 3 FETCH (UID 4 FLAGS (\Seen) MODSEQ (9))`, "t OK UID FETCH completed"}},
				{"UID FETCH 3:5 (FLAGS) (CHANGEDSINCE 6 VANISHED)", []string{
					`* 3 FETCH (UID 4 FLAGS (\Seen) MODSEQ (9))`, "t OK UID FETCH completed"}},
				{"FETCH 1:* (FLAGS) (CHANGEDSINCE 6 VANISHED)", []string{"t BAD …"}},
			}
		}},
		{"expunges are announced as VANISHED (§3.2.10)", func(uint32) []csStep {
			return []csStep{
				{"SELECT INBOX", selectLines(4, "t OK [READ-WRITE] SELECT completed")},
				{`STORE 1,3 +FLAGS.SILENT (\Deleted)`, []string{"* 1 FETCH (MODSEQ (10))", "* 3 FETCH (MODSEQ (10))",
					"t OK STORE completed"}},
				{"EXPUNGE", []string{"* VANISHED 1,4", "t OK EXPUNGE completed"}},
				{"UID FETCH 1:* (FLAGS) (CHANGEDSINCE 9 VANISHED)", []string{"* VANISHED (EARLIER) 1,4",
					"t OK UID FETCH completed"}},
			}
		}},
		{"QRESYNC parameter errors (§3.2.5)", func(v uint32) []csStep {
			return []csStep{
				{fmt.Sprintf("SELECT INBOX (QRESYNC (%d 0))", v), []string{"t BAD …"}},
				{"SELECT INBOX (QRESYNC (0 6))", []string{"t BAD …"}},
				{fmt.Sprintf("SELECT INBOX (QRESYNC (%d 6 1:x))", v), []string{"t BAD …"}},
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, r, v := qresyncEnv(t)
			for _, s := range tc.steps(v) {
				r.csExchange("t", s)
			}
		})
	}
}

// TestQResyncWithoutEnable: the QRESYNC parameter before ENABLE QRESYNC
// is BAD (RFC 7162 §3.2.5), and CONDSTORE alone keeps EXPUNGE.
func TestQResyncWithoutEnable(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "one", "two")
	r := e.raw(t)
	r.line()
	r.send("a1 LOGIN " + bob + " " + password)
	r.until("a1 OK")
	r.csExchange("a2", csStep{"SELECT INBOX (QRESYNC (1 1))", []string{"a2 BAD …"}})
	r.send("a3 SELECT INBOX (CONDSTORE)")
	r.until("a3 OK")
	r.csExchange("a4", csStep{`STORE 1 +FLAGS.SILENT (\Deleted)`, []string{"* 1 FETCH (MODSEQ (4))", "a4 OK STORE completed"}})
	r.csExchange("a5", csStep{"EXPUNGE", []string{"* 1 EXPUNGE", "a5 OK EXPUNGE completed"}})
}

// TestQResyncTwoDevices is the lesson's story: the phone remembers
// UIDVALIDITY and HIGHESTMODSEQ and hangs up; the laptop marks one message
// \Seen and expunges another; the phone comes back with SELECT (QRESYNC)
// and receives only those two changes, not the whole mailbox.
func TestQResyncTwoDevices(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "one", "two", "three", "four", "five")

	phone := e.raw(t)
	phone.line()
	phone.send("p1 LOGIN " + bob + " " + password)
	phone.until("p1 OK")
	phone.send("p2 ENABLE QRESYNC")
	phone.until("p2 OK")
	phone.send("p3 SELECT INBOX")
	var validity, modSeq string
	for _, l := range phone.until("p3 OK") {
		if v, ok := strings.CutPrefix(l, "* OK [UIDVALIDITY "); ok {
			validity, _, _ = strings.Cut(v, "]")
		}
		if v, ok := strings.CutPrefix(l, "* OK [HIGHESTMODSEQ "); ok {
			modSeq, _, _ = strings.Cut(v, "]")
		}
	}
	require.NotEmpty(t, validity)
	require.Equal(t, "6", modSeq)
	phone.send("p4 LOGOUT")
	phone.until("p4 OK")

	laptop := e.rawSelected(t)
	laptop.csExchange("l1", csStep{`UID STORE 2 +FLAGS (\Seen)`, []string{`* 2 FETCH (UID 2 FLAGS (\Seen))`, "l1 OK UID STORE completed"}})
	laptop.csExchange("l2", csStep{`UID STORE 4 +FLAGS.SILENT (\Deleted)`, []string{"l2 OK UID STORE completed"}})
	laptop.csExchange("l3", csStep{"UID EXPUNGE 4", []string{"* 4 EXPUNGE", "l3 OK UID EXPUNGE completed"}})

	again := e.raw(t)
	again.line()
	again.send("p1 LOGIN " + bob + " " + password)
	again.until("p1 OK")
	again.send("p2 ENABLE QRESYNC")
	again.until("p2 OK")
	again.send("p3 SELECT INBOX (QRESYNC (" + validity + " " + modSeq + " 1:5))")
	got := again.until("p3 ")
	assert.Equal(t, []string{"* OK [HIGHESTMODSEQ 9] Highest", "* VANISHED (EARLIER) 4",
		`* 2 FETCH (UID 2 FLAGS (\Seen) MODSEQ (7))`, "p3 OK [READ-WRITE] SELECT completed"}, got[len(got)-4:])
	for _, l := range got {
		assert.NotContains(t, l, "UID 1 ", "an unchanged message is not sent")
	}
}

// TestQResyncForgotten: past store.MaxVanished expunges the server no
// longer knows which UIDs vanished after an old modseq and reports every
// UID below UIDNEXT that is not in the mailbox (RFC 7162 §3.2.5.2).
func TestQResyncForgotten(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	n := store.MaxVanished + 3
	subjects := make([]string, n)
	for i := range subjects {
		subjects[i] = fmt.Sprint("m", i)
	}
	e.deliver(t, subjects...)
	in, err := e.st.Mailbox(bob, store.Inbox)
	require.NoError(t, err)
	old := in.HighestModSeq
	for uid := uint32(1); uid < uint32(n); uid++ { // all but the last, one by one
		require.NoError(t, e.st.Delete(bob, store.Inbox, []uint32{uid}))
	}
	r := e.raw(t)
	r.line()
	r.send("a1 LOGIN " + bob + " " + password)
	r.until("a1 OK")
	r.send("a2 ENABLE QRESYNC")
	r.until("a2 OK")
	r.send(fmt.Sprintf("a3 SELECT INBOX (QRESYNC (%d %d))", in.UIDValidity, old))
	got := r.until("a3 ")
	assert.Contains(t, got, fmt.Sprintf("* VANISHED (EARLIER) 1:%d", n-1), "everything not there")
	r.send(fmt.Sprintf("a4 UID FETCH 1:* (UID) (CHANGEDSINCE %d VANISHED)", old+10))
	got = r.until("a4 ")
	assert.Equal(t, []string{fmt.Sprintf("* VANISHED (EARLIER) 11:%d", n-1), "a4 OK UID FETCH completed"}, got,
		"a recent modseq is still answered exactly")
}
