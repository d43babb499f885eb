package imap_test

import (
	"strconv"
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

// TestSortSubjectsAsDovecot: base subjects of RFC 5256 §2.1 in many
// forms (leaders, blobs, trailers, [fwd: …], encoded words, raw UTF-8,
// a ligature, ß, folding) sorted by SORT (SUBJECT); the expected order is
// Dovecot 2.3.19.1's answer for the same mailbox. (Not here: the titlecase
// digraphs Ǆ ǅ ǆ, which Dovecot leaves whole and sorts after all Latin
// letters; RFC 5051's NFKD, which Maillab follows, makes them "Dž", so they
// sort among the Ds.)
func TestSortSubjectsAsDovecot(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	subjects := []string{
		"Re: hello",
		"hello",
		"RE:   Hello",
		"Fwd: hello (fwd)",
		"[fwd: hello]",
		"[list] hello",
		"[list]",
		"Re: [list]",
		"Re[2]: hello",
		"re : hello",
		"Report: x",
		"=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=",
		"Grüsse",
		"grusse",
		"Ärger",
		"Zebra",
		"_under",
		"[a[b] hello",
		"Fw: Re: Fwd: hello",
		"hello [fwd: x]",
		"  leading spaces",
		"Re:",
		"(fwd)",
		"[fwd: [list] hello]",
		"Re: [fwd: Re: hello (fwd)]",
		"ﬁle",
		"éclair",
		"Eclair",
		"ezra",
		"straße",
		"strasse",
		"Re: Re: Re: deep",
		"[PATCH 1/2] Re: thing",
		"Re: [PATCH 1/2] thing",
		"thing",
		"hello\t world",
		"FWD: [x] y",
		"hello\r\n world",
		"hello world",
		"x (fwd) y",
		"Re: =?ISO-8859-1?Q?=C4rger?=",
		"[x] [y]",
		"[x][y] z",
		"re: Re: [x] fwd: RE: z",
	}
	for i, s := range subjects {
		raw := "Subject: " + s + "\r\n\r\nbody " + strconv.Itoa(i) + "\r\n"
		_, err := e.st.Deliver(bob, store.Inbox, []byte(raw), nil, time.Time{})
		require.NoError(t, err, "Deliver()")
	}
	r := e.rawSelected(t)
	runRawCases(t, r, []rawCase{{"subject", "a SORT (SUBJECT) UTF-8 ALL", []string{
		"* SORT 22 23 15 41 32 28 29 27 14 13 12 1 2 3 4 5 6 9 10 19 24 25 36 38 39 20 21 11 31 30 33 34 35 40 37 43 44 16 18 7 8 42 17 26",
		"a OK SORT completed"}}})
}

// TestSortAddressesAsDovecot: FROM/TO sort by the first address's local
// part (RFC 5256 §3), DISPLAYFROM/DISPLAYTO by its display name or else
// the address (RFC 5957 §3-4): names in quotes, empty, encoded, from a
// comment; groups, "<>", routes, a bare word, a missing field. The
// expected orders are Dovecot 2.3.19.1's answers for the same mailbox.
func TestSortAddressesAsDovecot(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	ptr := func(s string) *string { return &s }
	froms := []*string{
		ptr("Zed <adam@a.org>"),
		ptr("carl@a.org"),
		ptr("\"\" <bert@a.org>"),
		ptr("\"Quoted, Name\" <dan@a.org>"),
		ptr("=?UTF-8?Q?=C3=89mile?= <eve@a.org>"),
		ptr("frank@a.org (Comment Name)"),
		ptr("group: gina@a.org, hal@a.org;"),
		ptr("undisclosed-recipients:;"),
		nil,
		ptr("<ivan@a.org>"),
		ptr("  jack@a.org  "),
		ptr("Kim <>"),
		ptr("@route:lou@a.org"),
		ptr("Mia <mia@[1.2.3.4]>"),
		ptr("ned"),
		ptr("\"Otto\" <otto@a.org>, Pia <pia@a.org>"),
		ptr("=?ISO-8859-1?Q?=D6zil?= <quin@a.org>"),
		ptr("Rex (c) <rex@a.org>"),
		ptr("sam@a.org, tom@a.org"),
		ptr("Ula <ULA@A.ORG>"),
		ptr("\"\\\"Vic\\\"\" <vic@a.org>"),
	}
	for i, f := range froms {
		raw, to := "", "x@y"
		if f != nil {
			raw, to = "From: "+*f+"\r\n", *f
		}
		raw += "To: " + to + "\r\nSubject: s\r\n\r\nbody " + strconv.Itoa(i) + "\r\n"
		_, err := e.st.Deliver(bob, store.Inbox, []byte(raw), nil, time.Time{})
		require.NoError(t, err, "Deliver()")
	}
	r := e.rawSelected(t)
	runRawCases(t, r, []rawCase{
		{"FROM", "a SORT (FROM) UTF-8 ALL", []string{"* SORT 9 1 3 2 4 5 6 7 10 11 14 12 13 15 16 17 18 19 20 8 21", "a OK SORT completed"}},
		{"DISPLAYFROM", "a SORT (DISPLAYFROM) UTF-8 ALL", []string{"* SORT 9 21 3 2 6 5 7 10 11 12 14 13 15 16 17 4 18 19 20 8 1", "a OK SORT completed"}},
		{"TO", "a SORT (TO) UTF-8 ALL", []string{"* SORT 1 3 2 4 5 6 7 10 11 14 12 13 15 16 17 18 19 20 8 21 9", "a OK SORT completed"}},
		{"DISPLAYTO", "a SORT (DISPLAYTO) UTF-8 ALL", []string{"* SORT 21 3 2 6 5 7 10 11 12 14 13 15 16 17 4 18 19 20 8 9 1", "a OK SORT completed"}},
	})
}

// TestSortDatesAsDovecot: the sent date of RFC 5256 §2.2 from Date fields
// in many forms (zones as numbers, names, military Z, none; two-digit
// years; comments; extra spaces) and the internal date where there is no
// usable Date (missing, unparsable, impossible, or the epoch, which
// Dovecot takes for "no date"). The expected orders are Dovecot
// 2.3.19.1's answers for the same mailbox.
func TestSortDatesAsDovecot(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	ptr := func(s string) *string { return &s }
	dates := []*string{
		ptr("Mon, 03 Mar 2025 10:00:00 +0000"),
		ptr("3 Mar 2025 09:00:00 -0500"),
		ptr("Mon, 03 Mar 2025 10:00:00 GMT"),
		ptr("Mon, 03 Mar 2025 04:30:00 EST"),
		ptr("Mon, 03 Mar 25 10:00:01 +0000"),
		ptr("Mon, 03 Mar 2025 10:00 +0000"),
		ptr("03 Mar 2025 10:00:00 +0000 (UTC)"),
		ptr("Mon, 03 Mar 2025 10:00:00"),
		ptr("yesterday"),
		nil,
		ptr("Mon, 03 Mar 2025 10:00:00 UT"),
		ptr("Mon, 03 Mar 2025 10:00:00 Z"),
		ptr("Thu, 01 Jan 1970 00:00:00 +0000"),
		ptr("Mon, 3 Mar 2025 10:00:00 +0100"),
		ptr("Mon,  3  Mar  2025  10:00:00  +0000"),
		ptr("Mon, 03 Mar 2025 10:00:00 +0000 (GMT)"),
		ptr("Mon, 32 Mar 2025 10:00:00 +0000"),
		ptr("Mon, 03 Mar 2025 25:00:00 +0000"),
		ptr("2025-03-03T10:00:00Z"),
		ptr("Mon, 03 Mar 1999 10:00:00 +0000"),
		ptr("Mon, 03 Mar 2025 10:00:00 PDT"),
		ptr("Mon, 03 Mar 2025 10:00:00 +1400"),
		ptr("Mon, 03 Mar 2025 10:00:00 -1200"),
	}
	for i, d := range dates {
		raw := ""
		if d != nil {
			raw = "Date: " + *d + "\r\n"
		}
		raw += "Subject: s\r\n\r\nbody " + strconv.Itoa(i) + "\r\n"
		arrival := time.Date(2025, 3, i%20+1, 11, 0, 0, 0, time.UTC)
		_, err := e.st.Deliver(bob, store.Inbox, []byte(raw), nil, arrival)
		require.NoError(t, err, "Deliver()")
	}
	r := e.rawSelected(t)
	runRawCases(t, r, []rawCase{
		{"DATE", "a SORT (DATE) UTF-8 ALL", []string{"* SORT 20 22 14 4 1 3 6 7 8 11 12 15 16 5 2 21 23 9 10 13 17 18 19", "a OK SORT completed"}},
		{"REVERSE DATE", "a SORT (REVERSE DATE) UTF-8 ALL", []string{"* SORT 19 18 17 13 10 9 23 21 2 5 1 3 6 7 8 11 12 15 16 4 14 22 20", "a OK SORT completed"}},
		{"ARRIVAL", "a SORT (ARRIVAL) UTF-8 ALL", []string{"* SORT 1 21 2 22 3 23 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", "a OK SORT completed"}},
	})
}
