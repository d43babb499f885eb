package imap_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
)

// exchange is one command and the untagged lines it must answer with,
// in order, before a tagged reply that starts with status.
type exchange struct {
	cmd    string
	status string
	want   []string
}

func runExchanges(t *testing.T, r *raw, steps []exchange) {
	t.Helper()
	for i, s := range steps {
		tag := fmt.Sprintf("x%d", i)
		r.send(tag + " " + s.cmd)
		lines := r.until(tag + " ")
		last := lines[len(lines)-1]
		assert.True(t, strings.HasPrefix(last, tag+" "+s.status), "%s: %s", s.cmd, last)
		if s.want != nil {
			assert.Equal(t, s.want, lines[:len(lines)-1], s.cmd)
		}
	}
}

func loginRaw(t *testing.T, e *env) *raw {
	t.Helper()
	r := e.raw(t)
	r.line()
	r.send("a1 LOGIN " + bob + " " + password)
	lines := r.until("a1 ")
	require.True(t, strings.HasPrefix(lines[len(lines)-1], "a1 OK"), lines)
	return r
}

func creates(names ...string) []exchange {
	var out []exchange
	for _, n := range names {
		out = append(out, exchange{cmd: "CREATE " + n, status: "OK"})
	}
	return out
}

func subscribes(names ...string) []exchange {
	var out []exchange
	for _, n := range names {
		out = append(out, exchange{cmd: "SUBSCRIBE " + n, status: "OK"})
	}
	return out
}

// TestSubscriptionsByHand follows imaptest's subscribe group: CREATE
// does not subscribe, LSUB shows a parent that "%" stops at, with
// subscribed names below it, as \Noselect (RFC 3501 §6.3.9).
func TestSubscriptionsByHand(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := loginRaw(t, e)
	var steps []exchange
	steps = append(steps, creates("box/", "box/test", "box/test2/", "box/test3/", "box/test2/test", "box/test3/test3")...)
	steps = append(steps, exchange{cmd: `LSUB "" box/*`, status: "OK", want: []string{}})
	steps = append(steps, subscribes("box/test", "box/test2/test", "box/test3/test3")...)
	steps = append(steps,
		exchange{`LSUB "" box/%`, "OK", []string{
			`* LSUB () "/" "box/test"`, `* LSUB (\Noselect) "/" "box/test2"`, `* LSUB (\Noselect) "/" "box/test3"`}},
		exchange{`LSUB "" *test`, "OK", []string{`* LSUB () "/" "box/test"`, `* LSUB () "/" "box/test2/test"`}},
		exchange{"UNSUBSCRIBE box/test", "OK", nil},
		exchange{`LSUB "" box/%`, "OK", []string{`* LSUB (\Noselect) "/" "box/test2"`, `* LSUB (\Noselect) "/" "box/test3"`}},
		exchange{"UNSUBSCRIBE box/test2/test", "OK", nil},
		exchange{`LSUB "" box/*`, "OK", []string{`* LSUB () "/" "box/test3/test3"`}},
		exchange{"UNSUBSCRIBE box/test3/test3", "OK", nil},
		exchange{`LSUB "" box/%`, "OK", []string{}},
		exchange{"SUBSCRIBE box/nope", "NO [NONEXISTENT]", nil},
		// A deleted mailbox stays subscribed until UNSUBSCRIBE.
		exchange{"SUBSCRIBE box/test", "OK", nil},
		exchange{"DELETE box/test", "OK", nil},
		exchange{`LSUB "" box/*`, "OK", []string{`* LSUB () "/" "box/test"`}},
		exchange{`LIST (SUBSCRIBED) "" box/*`, "OK", []string{`* LIST (\NonExistent \Subscribed) "/" "box/test"`}},
		exchange{"UNSUBSCRIBE box/test", "OK", nil},
		exchange{`LIST (SUBSCRIBED) "" box/*`, "OK", []string{}},
		// A parent deleted under existing children: "%" shows it \Noselect.
		exchange{"DELETE box/test2", "OK", nil},
		exchange{`LIST "" box/%`, "OK", []string{`* LIST (\Noselect \HasChildren) "/" "box/test2"`,
			`* LIST (\HasChildren) "/" "box/test3"`}},
	)
	runExchanges(t, r, steps)
}

// TestListExtended follows imaptest's listext group (RFC 5258): the
// SUBSCRIBED selection with a deleted name, RECURSIVEMATCH with CHILDINFO,
// RETURN (CHILDREN SUBSCRIBED).
func TestListExtended(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	r := loginRaw(t, e)
	var steps []exchange
	steps = append(steps, creates("ext/test1", "ext/test2/", "ext/test2/test1", "ext/test3", "ext/test4/test5",
		"ext/test4/test52", "ext/test6", "ext/test7/test7", "ext/test8/test8", "ext/test8/test9")...)
	steps = append(steps, subscribes("ext/test1", "ext/test2/test1", "ext/test6", "ext/test7/test7",
		"ext/test8/test8", "ext/test8/test9")...)
	steps = append(steps,
		exchange{"DELETE ext/test6", "OK", nil},
		exchange{`LIST "" (ext/*2 ext/test3)`, "OK", []string{
			`* LIST (\HasChildren) "/" "ext/test2"`, `* LIST (\HasNoChildren) "/" "ext/test3"`,
			`* LIST (\HasNoChildren) "/" "ext/test4/test52"`}},
		exchange{`LIST (RECURSIVEMATCH) "" ""`, "BAD", nil},
		exchange{`LIST (SUBSCRIBED) "" ext/*`, "OK", []string{
			`* LIST (\HasNoChildren \Subscribed) "/" "ext/test1"`,
			`* LIST (\HasNoChildren \Subscribed) "/" "ext/test2/test1"`,
			`* LIST (\NonExistent \Subscribed) "/" "ext/test6"`,
			`* LIST (\HasNoChildren \Subscribed) "/" "ext/test7/test7"`,
			`* LIST (\HasNoChildren \Subscribed) "/" "ext/test8/test8"`,
			`* LIST (\HasNoChildren \Subscribed) "/" "ext/test8/test9"`}},
		exchange{`LIST (SUBSCRIBED RECURSIVEMATCH) "" ext/test2% RETURN (CHILDREN)`, "OK", []string{
			`* LIST (\HasChildren) "/" "ext/test2" (CHILDINFO ("SUBSCRIBED"))`}},
		exchange{`LIST "" ext/% RETURN (CHILDREN SUBSCRIBED)`, "OK", []string{
			`* LIST (\HasNoChildren \Subscribed) "/" "ext/test1"`,
			`* LIST (\HasChildren) "/" "ext/test2"`,
			`* LIST (\HasNoChildren) "/" "ext/test3"`,
			`* LIST (\HasChildren) "/" "ext/test4"`,
			`* LIST (\HasChildren) "/" "ext/test7"`,
			`* LIST (\HasChildren) "/" "ext/test8"`}},
		exchange{`LIST (SUBSCRIBED RECURSIVEMATCH) "" *test7`, "OK", []string{
			`* LIST (\HasNoChildren \Subscribed) "/" "ext/test7/test7"`}},
		exchange{`LIST (SUBSCRIBED RECURSIVEMATCH) "" *test8`, "OK", []string{
			`* LIST () "/" "ext/test8" (CHILDINFO ("SUBSCRIBED"))`,
			`* LIST (\HasNoChildren \Subscribed) "/" "ext/test8/test8"`}},
		exchange{`LIST (SUBSCRIBED RECURSIVEMATCH) "" (ext/test2)`, "OK", []string{
			`* LIST () "/" "ext/test2" (CHILDINFO ("SUBSCRIBED"))`}},
		exchange{`LIST (SUBSCRIBED RECURSIVEMATCH) "" (ext/test2 ext/test2/test1)`, "OK", []string{
			`* LIST (\HasNoChildren \Subscribed) "/" "ext/test2/test1"`}},
		exchange{`LIST "" (ext/test7 ext/test7/test7)`, "OK", []string{
			`* LIST (\HasChildren) "/" "ext/test7"`, `* LIST (\HasNoChildren) "/" "ext/test7/test7"`}},
	)
	runExchanges(t, r, steps)
}
