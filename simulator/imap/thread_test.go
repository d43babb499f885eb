package imap_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// tmsg is a message for the THREAD tests: header lines and INTERNALDATE.
type tmsg struct {
	internal string // "15:06:23" on 22 Feb 2008 UTC, the sent date when Date: is missing
	header   string // lines separated by "|"
}

func (e *env) deliverThread(t *testing.T, msgs ...tmsg) {
	t.Helper()
	e.deliverThreadTo(t, store.Inbox, msgs...)
}

func (e *env) deliverThreadTo(t *testing.T, mailbox string, msgs ...tmsg) {
	t.Helper()
	for _, m := range msgs {
		at, err := time.Parse("2006-01-02 15:04:05", "2008-02-22 "+m.internal)
		require.NoError(t, err, "Parse()")
		raw := "From: user@domain.org\r\n" + strings.ReplaceAll(m.header, "|", "\r\n") + "\r\n\r\nbody\r\n"
		_, err = e.st.Deliver(bob, mailbox, []byte(raw), nil, at)
		require.NoError(t, err, "Deliver()")
	}
}

// tstep is a command and the untagged THREAD line it must give ("" = any).
type tstep struct{ cmd, want string }

// run sends the steps and checks the "* THREAD" lines.
func (r *raw) run(t *testing.T, steps []tstep) {
	t.Helper()
	for i, s := range steps {
		tag := "t" + strconv.Itoa(i)
		r.send(tag + " " + s.cmd)
		lines := r.until(tag + " ")
		require.True(t, strings.HasPrefix(lines[len(lines)-1], tag+" OK"), "%s: %v", s.cmd, lines)
		if s.want == "" {
			continue
		}
		var got []string
		for _, l := range lines {
			if strings.HasPrefix(l, "* THREAD") {
				got = append(got, l)
			}
		}
		assert.Equal(t, []string{s.want}, got, s.cmd)
	}
}

// TestThreadReferences: RFC 5256 §3 (REFERENCES) on Dovecot imaptest's
// thread groups and on harder cases; every expected answer is what Dovecot
// 2.3.19 answers to the same mailbox, except for an empty result, where
// Dovecot sends "* THREAD " with a trailing space that RFC 5256 §5's
// thread-data does not allow.
func TestThreadReferences(t *testing.T) {
	const refs = "THREAD REFERENCES US-ASCII ALL"
	expunge := func(set string) []tstep {
		return []tstep{{"STORE " + set + " +FLAGS.SILENT (\\Deleted)", ""}, {"EXPUNGE", ""}}
	}
	cases := []struct {
		name  string
		msgs  []tmsg
		steps []tstep
	}{
		{"loop in References is not linked; roots by date", []tmsg{
			{"17:06:23", "Message-ID: <a@b>"},
			{"15:06:23", "Message-Id: <b@b>|References: <a@b> <c@b>"},
			{"16:06:25", "Message-Id: <c@b>|References: <b@b>"},
		}, append(append([]tstep{{refs, "* THREAD (3 2)(1)"}}, expunge("1")...), tstep{refs, "* THREAD (2 1)"})},
		{"duplicate Message-ID gets a unique one", []tmsg{
			{"15:06:23", "Message-Id: <a@b>"},
			{"15:06:23", "Message-Id: <a@b>"},
		}, []tstep{{refs, "* THREAD (1)(2)"}}},
		{"duplicate Message-ID, then merged by subject", []tmsg{
			{"15:06:23", "Message-Id: <a@b>|Subject: foo"},
			{"15:06:24", "Message-Id: <a@b>|Subject: Re: foo"},
		}, []tstep{{refs, "* THREAD (1 2)"}}},
		{"missing parent pruned, then merged by subject", []tmsg{
			{"15:06:23", "Message-Id: <a@b>|Subject: foo"},
			{"15:06:24", "Message-Id: <b@b>|References: <c@b>|Subject: Re: foo"},
		}, []tstep{{refs, "* THREAD (1 2)"}}},
		{"In-Reply-To; a missing parent with two children stays as ()", []tmsg{
			{"17:06:23", "Message-ID: <1@b>"},
			{"15:06:23", "Message-Id: <2@b>|In-Reply-To: <1@b>"},
			{"15:06:23", "Message-Id: <3@b>|In-Reply-To: <1@b>"},
			{"15:06:23", "Message-Id: <4@b>|In-Reply-To: <2@b>"},
		}, append(append([]tstep{{refs, "* THREAD (1 (2 4)(3))"}}, expunge("1,2")...), tstep{refs, "* THREAD (1)(2)"})},
		{"no Message-ID, same missing parent", []tmsg{
			{"15:06:23", "References: <a@b>"},
			{"15:06:24", "References: <a@b>"},
		}, []tstep{{refs, "* THREAD ((1)(2))"}}},
		{"duplicate in a chain; expunge relinks", []tmsg{
			{"15:06:23", "Message-Id: <a@b>"},
			{"15:06:23", "Message-Id: <b@b>|References: <a@b>"},
			{"15:06:23", "Message-Id: <c@b>|References: <b@b>"},
			{"15:06:23", "Message-Id: <b@b>|References: <a@b>"},
		}, append(append([]tstep{{refs, "* THREAD (1 (2 3)(4))"}}, expunge("2")...), tstep{refs, "* THREAD (1 3 2)"})},
		{"self-reference and a References cycle", []tmsg{
			{"10:00:00", "Message-Id: <x@b>|References: <y@b> <x@b>"},
			{"10:00:01", "Message-Id: <y@b>|References: <x@b> <y@b>"},
			{"10:00:02", "Message-Id: <z@b>|References: <z@b>"},
		}, []tstep{{refs, "* THREAD (1)(2)(3)"}}},
		{"sent date from Date:, ties by sequence number", []tmsg{
			{"10:00:00", "Message-Id: <p@b>|Date: Fri, 22 Feb 2008 12:00:00 +0000"},
			{"09:00:00", "Message-Id: <q@b>|Date: Fri, 22 Feb 2008 11:00:00 +0000|References: <p@b>"},
			{"09:00:00", "Message-Id: <r@b>|Date: Fri, 22 Feb 2008 13:00:00 +0100|References: <p@b>"},
			{"08:00:00", "Message-Id: <s@b>"},
		}, []tstep{{refs, "* THREAD (4)(1 (2)(3))"}, {"UID " + refs, "* THREAD (4)(1 (2)(3))"}}},
		{"same base subject: a new dummy over the originals, replies under it", []tmsg{
			{"10:00:00", "Message-Id: <s1@b>|Subject: [list] Lunch"},
			{"10:00:01", "Message-Id: <s2@b>|Subject: Lunch"},
			{"10:00:02", "Message-Id: <s3@b>|Subject: Re: [list] Fwd: lunch (fwd)"},
			{"10:00:03", "Message-Id: <s4@b>|Subject: [list]"},
			{"10:00:04", "Message-Id: <s5@b>|Subject: [fwd: [list]]"},
		}, []tstep{{refs, "* THREAD ((1)(2)(3))(4 5)"}, {"THREAD ORDEREDSUBJECT US-ASCII ALL", "* THREAD (1 (2)(3))(4 5)"}}},
		{"invalid References: the first ID of In-Reply-To", []tmsg{
			{"10:00:00", "Message-Id: <a@b>"},
			{"10:00:01", "Message-Id: <b@b>|References: garbage here|In-Reply-To: <a@b> (message from Joe)"},
		}, []tstep{{refs, "* THREAD (1 2)"}}},
		{"only the first In-Reply-To ID counts", []tmsg{
			{"10:00:00", "Message-Id: <a@b>"},
			{"10:00:01", "Message-Id: <c@b>"},
			{"10:00:02", "Message-Id: <b@b>|In-Reply-To: <c@b> <a@b>"},
		}, []tstep{{refs, "* THREAD (1)(2 3)"}}},
		{"IDs without @ are not IDs; IDs are case-sensitive", []tmsg{
			{"10:00:00", "Message-Id: <abc>"},
			{"10:00:01", "Message-Id: <def@b>|References: <abc>"},
			{"10:00:02", "Message-Id: <A@B>"},
			{"10:00:03", "Message-Id: <g@b>|References: <a@b>"},
		}, []tstep{{refs, "* THREAD (1)(2)(3)(4)"}}},
		{"a reply first: the original takes it under it", []tmsg{
			{"10:00:00", "Message-Id: <r1@b>|Subject: Re: foo"},
			{"10:00:01", "Message-Id: <r2@b>|Subject: foo"},
			{"10:00:02", "Message-Id: <r3@b>|Subject: Re: foo"},
		}, []tstep{{refs, "* THREAD (2 (1)(3))"}}},
		{"two dummies with one subject merge", []tmsg{
			{"10:00:00", "Message-Id: <d1@b>|References: <X@b>|Subject: Re: bar"},
			{"10:00:01", "Message-Id: <d2@b>|References: <X@b>|Subject: Re: bar"},
			{"10:00:02", "Message-Id: <d3@b>|References: <Y@b>|Subject: Re: bar"},
			{"10:00:03", "Message-Id: <d4@b>|References: <Y@b>|Subject: bar"},
		}, []tstep{{refs, "* THREAD ((1)(2)(3)(4))"}}},
		{"a dummy takes a message of its subject", []tmsg{
			{"10:00:00", "Message-Id: <e1@b>|Subject: baz"},
			{"10:00:01", "Message-Id: <e2@b>|References: <Z@b>|Subject: Re: baz"},
			{"10:00:02", "Message-Id: <e3@b>|References: <Z@b>|Subject: Re: baz"},
		}, []tstep{{refs, "* THREAD ((1)(2)(3))"}}},
		{"a later message breaks a link made from a truncated References", []tmsg{
			{"10:00:00", "Message-Id: <m1@b>"},
			{"10:00:01", "Message-Id: <m3@b>|References: <m1@b> <m2@b>"},
			{"10:00:02", "Message-Id: <m2@b>|References: <m0@b>"},
		}, []tstep{{refs, "* THREAD (1)(3 2)"}}},
		{"an unparsable Date: counts as INTERNALDATE", []tmsg{
			{"12:00:00", "Message-Id: <f1@b>|Date: yesterday"},
			{"11:00:00", "Message-Id: <f2@b>"},
		}, []tstep{{refs, "* THREAD (2)(1)"}, {"THREAD ORDEREDSUBJECT US-ASCII ALL", "* THREAD (2 1)"}}},
		{"search criteria choose the messages", []tmsg{
			{"10:00:00", "Message-Id: <k1@b>|Subject: keep"},
			{"10:00:01", "Message-Id: <k2@b>|References: <k1@b>|Subject: drop"},
			{"10:00:02", "Message-Id: <k3@b>|References: <k2@b>|Subject: keep too"},
		}, []tstep{{"THREAD REFERENCES UTF-8 SUBJECT keep", "* THREAD (1)(3)"},
			{"THREAD REFERENCES UTF-8 SUBJECT nothing", "* THREAD"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, imap.Options{}, nil)
			e.deliverThread(t, tc.msgs...)
			e.rawSelected(t).run(t, tc.steps)
		})
	}
}

// TestThreadMatchesDovecot: 140 generated mailboxes (duplicate and missing
// Message-IDs, References with loops, In-Reply-To, Re:/Fwd:/[tag]/(fwd)
// and encoded subjects, Date: or only INTERNALDATE, equal dates) threaded
// by both algorithms; testdata/thread-dovecot.json holds what Dovecot
// 2.3.19 answered for each.
func TestThreadMatchesDovecot(t *testing.T) {
	raw, err := os.ReadFile("testdata/thread-dovecot.json")
	require.NoError(t, err)
	var cases []struct {
		Msgs [][2]string
		Cmds []string
		Want []string
	}
	require.NoError(t, json.Unmarshal(raw, &cases))
	e := start(t, imap.Options{}, nil)
	var steps []tstep
	for i, c := range cases {
		box := "case" + strconv.Itoa(i)
		require.NoError(t, e.st.CreateMailbox(bob, box))
		var msgs []tmsg
		for _, m := range c.Msgs {
			msgs = append(msgs, tmsg{m[0], m[1]})
		}
		e.deliverThreadTo(t, box, msgs...)
		steps = append(steps, tstep{"SELECT " + box, ""})
		for j, cmd := range c.Cmds {
			steps = append(steps, tstep{cmd, c.Want[j]})
		}
	}
	e.rawSelected(t).run(t, steps)
}

// TestThreadResponseExample builds RFC 5256 §5's example response "*
// THREAD (2)(3 6 (4 23)(44 7 96))" out of 96 messages, UID THREAD
// choosing eight of them by a sequence set.
func TestThreadResponseExample(t *testing.T) {
	parent := map[int]int{6: 3, 4: 6, 23: 4, 44: 6, 7: 44, 96: 7}
	var msgs []tmsg
	for i := 1; i <= 96; i++ {
		h := fmt.Sprintf("Message-Id: <%d@b>|Subject: m%d|Date: Fri, 22 Feb 2008 10:%02d:%02d +0000", i, i, i/60, i%60)
		if p, ok := parent[i]; ok {
			h += fmt.Sprintf("|In-Reply-To: <%d@b>", p)
		}
		msgs = append(msgs, tmsg{"10:00:00", h})
	}
	e := start(t, imap.Options{}, nil)
	e.deliverThread(t, msgs...)
	e.rawSelected(t).run(t, []tstep{
		{"THREAD REFERENCES UTF-8 2:4,6:7,23,44,96", "* THREAD (2)(3 6 (4 23)(44 7 96))"},
		{"UID THREAD REFERENCES UTF-8 UID 2:4,6:7,23,44,96", "* THREAD (2)(3 6 (4 23)(44 7 96))"},
	})
}

// TestThreadOrderedSubject: RFC 5256 §3 on imaptest's groups
// thread-orderedsubject and thread-orderedsubject2 (Dovecot's answers).
func TestThreadOrderedSubject(t *testing.T) {
	subjects := []string{"a", "C", "b", "_", "[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)", "b (a)",
		"Re: [FWD: c]", "[xyz]", "", "=?iso-8859-1?q?_?=", "Re: =?utf-8?q?b?=", "=?iso-8859-1?q?RE:_C?=",
		"=?us-ascii?b?UmU6IGM=?=", "Ad: Re: Ad: Re: Ad: x", "re: [fwd: [fwd: re: [fwd: babylon]]]"}
	var first []tmsg
	for _, s := range subjects {
		h := "Subject: " + s
		if s == "" {
			h = "X-No-Subject: yes"
		}
		first = append(first, tmsg{"21:00:00", h})
	}
	second := []tmsg{
		{"21:00:01", "Subject: a|Date: Fri, 22 Feb 2008 22:00:10 +0200"},
		{"21:00:02", "Date: Fri, 22 Feb 2008 22:00:09 +0200|Subject: b"},
		{"21:00:03", "Date: Fri, 22 Feb 2008 22:00:08 +0200|Subject: a"},
		{"21:00:04", "Date: Fri, 22 Feb 2008 22:00:07 +0200|Subject: b"},
		{"20:00:30", "Subject: a"},
		{"20:00:29", "Subject: b"},
		{"20:00:28", "Subject: a"},
		{"20:00:27", "Subject: b"},
	}
	cases := []struct {
		name string
		msgs []tmsg
		want string
	}{
		{"base subjects", first, "* THREAD (1)(2 (7)(12)(13))(3 (5)(11))(4)(6)(8)(9 10)(14)(15)"},
		{"sent dates, Date: or INTERNALDATE", second, "* THREAD (4 (2)(8)(6))(3 (1)(7)(5))"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := start(t, imap.Options{}, nil)
			e.deliverThread(t, tc.msgs...)
			e.rawSelected(t).run(t, []tstep{{"THREAD ORDEREDSUBJECT US-ASCII ALL", tc.want}})
		})
	}
}

// TestThreadErrors: wrong algorithm, charset or state.
func TestThreadErrors(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	e.deliver(t, "one")
	r := e.raw(t)
	r.line()
	r.send("a1 LOGIN " + bob + " " + password)
	r.until("a1 OK")
	r.send("c CAPABILITY")
	assert.Contains(t, r.line(), " THREAD=ORDEREDSUBJECT THREAD=REFERENCES ", "offered after login")
	r.until("c OK")
	r.send("a2 THREAD REFERENCES UTF-8 ALL")
	assert.True(t, strings.HasPrefix(r.line(), "a2 BAD"), "not selected")
	r.send("a3 SELECT INBOX")
	r.until("a3 OK")
	r.send("a4 THREAD SUBJECT UTF-8 ALL")
	assert.Equal(t, "a4 BAD [CLIENTBUG] Unknown thread algorithm", r.line())
	r.send("a5 THREAD REFERENCES KOI8-R ALL")
	assert.Equal(t, "a5 NO [BADCHARSET] Only US-ASCII and UTF-8 are supported THREAD charsets", r.line())
	r.send("a6 THREAD REFERENCES UTF-8")
	assert.True(t, strings.HasPrefix(r.line(), "a6 BAD"), "no search key")
	r.send("a7 UID THREAD REFERENCES UTF-8 ALL")
	assert.Equal(t, []string{"* THREAD (1)", "a7 OK UID THREAD completed"}, r.until("a7 "))
}
