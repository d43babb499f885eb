package imap_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// sortMailbox fills INBOX for the SORT tests: a message that is expunged
// at once (so UIDs are sequence numbers + 1), then five whose every sort
// key differs. Sizes grow with the body: 2 < 4 < 1 < 5 < 3.
func sortMailbox(t *testing.T, e *env) {
	t.Helper()
	day := func(d int) time.Time { return time.Date(2025, 3, d, 12, 0, 0, 0, time.UTC) }
	msgs := []struct {
		header string
		body   int
		date   time.Time
	}{
		{"Subject: gone\r\n", 10, day(1)},
		{"Subject: Re: beta\r\nFrom: Zed Last <adam@a.org>\r\nTo: mary@b.org\r\n" +
			"Date: Mon, 03 Mar 2025 10:00:00 +0000\r\n", 3000, day(10)},
		{"Subject: alpha\r\nFrom: carl@a.org\r\nTo: \"Bea\" <zoe@b.org>\r\nCc: x@c.org\r\n", 1000, day(1)}, // no Date
		{"Subject: [list] Beta (fwd)\r\nFrom: Ann <bert@a.org>\r\nTo: alice@b.org\r\n" +
			"Date: Mon, 03 Mar 2025 09:00:00 -0500\r\n", 5000, day(9)}, // 14:00 UTC: after message 1
		{"Subject: Fwd: ALPHA\r\nFrom: =?UTF-8?Q?=C3=89mile?= <dan@a.org>\r\nTo: undisclosed-recipients:;\r\n" +
			"Date: Tue, 04 Mar 2025 08:00:00 +0000\r\n", 2000, day(8)},
		{"Subject: gamma\r\nFrom: Bob <Bob@a.org>\r\nTo: Zoe <ann@b.org>\r\nDate: yesterday\r\n", 4000, day(7)},
	}
	for _, m := range msgs {
		raw := m.header + "\r\n" + strings.Repeat("x", m.body) + "\r\n"
		_, err := e.st.Deliver(bob, store.Inbox, []byte(raw), nil, m.date)
		require.NoError(t, err, "Deliver()")
	}
	list, err := e.st.Messages(bob, store.Inbox)
	require.NoError(t, err, "Messages()")
	require.NoError(t, e.st.Delete(bob, store.Inbox, []uint32{list[0].UID}), "Delete()")
}

// rawCase is one raw command and the lines it must get back, the tagged
// reply included.
type rawCase struct {
	name string
	send string
	want []string
}

// runRawCases sends each command on r and compares the whole answer.
func runRawCases(t *testing.T, r *raw, cases []rawCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r.send(tc.send)
			tag := strings.Fields(tc.send)[0] + " "
			assert.Equal(t, tc.want, r.until(tag), tc.send)
		})
	}
}

// TestSort: SORT and UID SORT (RFC 5256 §3) with every key, REVERSE, ties
// by sequence number, search criteria, charsets; the keys of SORT=DISPLAY
// (RFC 5957); the RETURN options of ESORT (RFC 5267 §3).
func TestSort(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	sortMailbox(t, e)
	r := e.rawSelected(t)
	runRawCases(t, r, []rawCase{
		// base subjects ALPHA (2, 4), BETA (1, 3), GAMMA (5)
		{"SUBJECT", "a SORT (SUBJECT) UTF-8 ALL", []string{"* SORT 2 4 1 3 5", "a OK SORT completed"}},
		// message 2 has no Date: its internal date (1 March) counts;
		// message 3's 09:00 -0500 is after message 1's 10:00 +0000;
		// message 5's Date cannot be parsed: internal date (7 March)
		{"DATE", "a SORT (DATE) UTF-8 ALL", []string{"* SORT 2 1 3 4 5", "a OK SORT completed"}},
		{"SUBJECT REVERSE DATE", "a SORT (SUBJECT REVERSE DATE) UTF-8 ALL",
			[]string{"* SORT 4 2 3 1 5", "a OK SORT completed"}},
		{"ARRIVAL", "a SORT (ARRIVAL) US-ASCII ALL", []string{"* SORT 2 5 4 3 1", "a OK SORT completed"}},
		{"REVERSE ARRIVAL", "a SORT (REVERSE ARRIVAL) UTF-8 ALL", []string{"* SORT 1 3 4 5 2", "a OK SORT completed"}},
		// local parts ADAM, CARL, BERT, DAN, BOB: case does not count
		{"FROM", "a SORT (FROM) UTF-8 ALL", []string{"* SORT 1 3 5 2 4", "a OK SORT completed"}},
		// a group sorts by its name (undisclosed-recipients), as in Dovecot
		{"TO", "a SORT (TO) UTF-8 ALL", []string{"* SORT 3 5 1 4 2", "a OK SORT completed"}},
		// no Cc sorts as "", first; equal keys stay in sequence order ...
		{"CC", "a SORT (CC) UTF-8 ALL", []string{"* SORT 1 3 4 5 2", "a OK SORT completed"}},
		// ... also reversed (RFC 5256 §3: ties by sequence number)
		{"REVERSE CC", "a SORT (REVERSE CC) UTF-8 ALL", []string{"* SORT 2 1 3 4 5", "a OK SORT completed"}},
		{"SIZE", "a SORT (SIZE) UTF-8 ALL", []string{"* SORT 2 4 1 5 3", "a OK SORT completed"}},
		{"REVERSE SIZE", "a sort (reverse size) utf-8 all", []string{"* SORT 3 5 1 4 2", "a OK SORT completed"}},
		// display names ANN, BOB, carl@a.org (none), ÉMILE (RFC 2047; É
		// decomposes to E + accent, so it sorts among the Es), ZED LAST
		{"DISPLAYFROM", "a SORT (DISPLAYFROM) UTF-8 ALL", []string{"* SORT 3 5 2 4 1", "a OK SORT completed"}},
		{"DISPLAYTO", "a SORT (DISPLAYTO) UTF-8 ALL", []string{"* SORT 3 2 1 4 5", "a OK SORT completed"}},
		{"search criteria", "a SORT (SUBJECT) UTF-8 SINCE 8-Mar-2025", []string{"* SORT 4 1 3", "a OK SORT completed"}},
		{"search with OR and NOT", `a SORT (DATE) UTF-8 OR FROM bob NOT SUBJECT beta`,
			[]string{"* SORT 2 4 5", "a OK SORT completed"}},
		// RFC 5256 §4's third example: no match
		{"nothing found", `a SORT (SUBJECT) US-ASCII TEXT "not in mailbox"`, []string{"* SORT", "a OK SORT completed"}},
		{"UID SORT", "a UID SORT (ARRIVAL) UTF-8 ALL", []string{"* SORT 3 6 5 4 2", "a OK UID SORT completed"}},
		{"UID SORT with a UID set", "a UID SORT (SIZE) UTF-8 UID 2:4", []string{"* SORT 3 2 4", "a OK UID SORT completed"}},
		{"other charset", "a SORT (SUBJECT) ISO-8859-1 ALL",
			[]string{"a NO [BADCHARSET (UTF-8 US-ASCII)] Unknown charset"}},
		{"unknown key", "a SORT (SENDER) UTF-8 ALL", []string{"a BAD [CLIENTBUG] Unknown sort argument: SENDER"}},
		{"empty program", "a SORT () UTF-8 ALL", []string{"a BAD [CLIENTBUG] Empty sort program"}},
		{"REVERSE alone", "a SORT (REVERSE) UTF-8 ALL", []string{"a BAD [CLIENTBUG] Sort list ends with REVERSE"}},
		{"no charset", "a SORT (DATE) ALL", []string{"a BAD [CLIENTBUG] Missing search parameters"}},

		// ESORT (RFC 5267 §3): MIN and MAX are the first and last in sort
		// order, ALL keeps the order
		{"RETURN MIN MAX", "a SORT RETURN (MIN MAX) (DATE) UTF-8 ALL",
			[]string{`* ESEARCH (TAG "a") MIN 2 MAX 5`, "a OK SORT completed"}},
		{"RETURN ALL", "a SORT RETURN (ALL) (REVERSE ARRIVAL) UTF-8 ALL",
			[]string{`* ESEARCH (TAG "a") ALL 1,3:5,2`, "a OK SORT completed"}},
		{"RETURN ()", "a SORT RETURN () (SUBJECT) UTF-8 ALL",
			[]string{`* ESEARCH (TAG "a") ALL 2,4,1,3,5`, "a OK SORT completed"}},
		{"RETURN COUNT", "a SORT RETURN (COUNT) (DATE) UTF-8 SINCE 8-Mar-2025",
			[]string{`* ESEARCH (TAG "a") COUNT 3`, "a OK SORT completed"}},
		{"UID SORT RETURN everything", "a UID SORT RETURN (MIN MAX ALL COUNT) (ARRIVAL) UTF-8 ALL",
			[]string{`* ESEARCH (TAG "a") UID MIN 3 MAX 2 ALL 3,6,5,4,2 COUNT 5`, "a OK UID SORT completed"}},
		{"RETURN with nothing found", `a SORT RETURN (MIN MAX ALL COUNT) (DATE) UTF-8 SUBJECT nowhere`,
			[]string{`* ESEARCH (TAG "a") COUNT 0`, "a OK SORT completed"}},
		// RETURN (SAVE) keeps the result for "$" (RFC 5182) and says nothing
		{"RETURN SAVE", "a SORT RETURN (SAVE) (SIZE) UTF-8 SINCE 8-Mar-2025", []string{"a OK SORT completed"}},
		{"the saved result", "a UID SEARCH UID $", []string{"* SEARCH 2 4 5", "a OK UID SEARCH completed"}},
		{"RETURN SAVE COUNT", "a SORT RETURN (SAVE COUNT) (SIZE) UTF-8 FROM carl",
			[]string{`* ESEARCH (TAG "a") COUNT 1`, "a OK SORT completed"}},
		{"sorting the saved result", "a SORT (REVERSE DATE) UTF-8 $", []string{"* SORT 2", "a OK SORT completed"}},
	})
}

// TestSortCaps: SORT, SORT=DISPLAY, ESORT, CONTEXT=SEARCH and
// CONTEXT=SORT are offered after login, and SORT needs a selected mailbox.
func TestSortCaps(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := e.raw(t)
	r.line()
	r.send("a LOGIN " + bob + " " + password)
	ok := r.line()
	for _, c := range []string{" SORT ", " SORT=DISPLAY ", " ESORT ", " CONTEXT=SEARCH ", " CONTEXT=SORT "} {
		assert.Contains(t, ok, c, "LOGIN's capability list")
	}
	r.send("b SORT (DATE) UTF-8 ALL")
	assert.Equal(t, "b BAD [CLIENTBUG] This command is only valid in the selected state", r.line())
}

// TestSortSubjectImaptest: imaptest's sort-subject, its mailbox and its
// expected answers (Dovecot's): base subjects "", A, B, B, "B (A)", C, C,
// [XYZ], _ compared byte by byte after case mapping.
func TestSortSubjectImaptest(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	date := time.Date(2008, 2, 22, 23, 0, 0, 0, time.FixedZone("", 2*3600))
	msgs := []struct{ subject, body string }{
		{"Subject: a\n", "1"}, {"Subject: C\n", "2"}, {"Subject: b\n", "3"}, {"Subject: _\n", "4"},
		{"Subject: [foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)\n", "55"}, {"Subject: b (a)\n", "66"},
		{"Subject: Re: [FWD: c]\n", "77"}, {"Subject: [xyz]\n", "88"}, {"", "9"},
	}
	for _, m := range msgs {
		raw := strings.ReplaceAll(m.subject+"\n"+m.body+"\n", "\n", "\r\n")
		_, err := e.st.Deliver(bob, store.Inbox, []byte(raw), nil, date)
		require.NoError(t, err, "Deliver()")
	}
	r := e.rawSelected(t)
	runRawCases(t, r, []rawCase{
		{"subject", "a sort (subject) us-ascii all", []string{"* SORT 9 1 3 5 6 2 7 8 4", "a OK SORT completed"}},
		{"reverse subject", "a sort (reverse subject) us-ascii all", []string{"* SORT 4 8 2 7 6 3 5 1 9", "a OK SORT completed"}},
		{"subject reverse size", "a sort (subject reverse size) us-ascii all",
			[]string{"* SORT 9 1 5 3 6 7 2 8 4", "a OK SORT completed"}},
	})
}
