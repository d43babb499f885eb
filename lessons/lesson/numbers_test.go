package lesson

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
)

// A wire value a lesson quotes: a size, a count, a UID, a message number
// or a tag, written the way it appears on the wire (SIZE=1159, {1569},
// +OK 1 1569, 1569 octets, * 1 EXISTS, UID 2, RETR 1, T6 OK). Reply codes,
// RFC and section numbers and ports are not values of one run: they are
// fixed, so they are not extracted, and neither is a number in prose ("the
// photo has 2400 bytes", "UID 1 belonged to the first mail").
type wireValue struct {
	re *regexp.Regexp
	// quotedOnly: looked for only where the lesson quotes the wire (code
	// spans, code blocks, text in quotation marks); the words are common in
	// prose too.
	quotedOnly bool
}

var wireValues = []wireValue{
	{re: regexp.MustCompile(`\bSIZE[= ]\d+`)}, // MAIL FROM SIZE=, EHLO SIZE, RFC822.SIZE
	{re: regexp.MustCompile(`\{\d+\+?\}`)},    // an IMAP literal
	{re: regexp.MustCompile(`\+OK \d+ \d+`)},  // STAT, LIST n
	{re: regexp.MustCompile(`\b\d+ octets\b`)},
	{re: regexp.MustCompile(`\bmaildrop has \d+ messages?`)},
	{re: regexp.MustCompile(`\b\d+ messages? left\b`)},
	{re: regexp.MustCompile(`\* \d+ (?:EXISTS|RECENT|EXPUNGE|FETCH)\b`)},
	{re: regexp.MustCompile(`\b(?:UIDNEXT|UNSEEN|UIDVALIDITY) \d+`)},
	{re: regexp.MustCompile(`\bUID(?: FETCH| STORE)? \d+`), quotedOnly: true},
	{re: regexp.MustCompile(`\b(?:RETR|DELE|LIST|TOP|UIDL|BDAT) \d+`), quotedOnly: true},
	{re: regexp.MustCompile(`\bT\d+ [A-Z]{2,}\b`), quotedOnly: true}, // an IMAP tag and its command or status
}

// quotations finds where a text quotes the wire: code blocks, code spans
// and text in quotation marks of the three languages.
var quotations = regexp.MustCompile("(?s)```.*?```|`[^`]+`|\"[^\"\n]+\"|„[^“”\n]+[“”]|“[^”\n]+”")

// notFromTheRun lists the quoted wire values that deliberately come from
// elsewhere, per lesson, with the reason in a comment.
var notFromTheRun = map[string][]string{
	// The STORE/EXPUNGE example is labelled as coming from another client.
	"imap-keeps-mail": {"* 1 EXPUNGE"},
}

// quotedValues returns the wire values a text quotes.
func quotedValues(text string) []string {
	quoted := strings.Join(quotations.FindAllString(text, -1), "\n")
	var out []string
	for _, w := range wireValues {
		in := text
		if w.quotedOnly {
			in = quoted
		}
		out = append(out, w.re.FindAllString(in, -1)...)
	}
	return out
}

// quotedTexts collects what a lesson says in one language, by where it
// says it. Wrong answers of choice questions are left out: a distractor
// may quote a value that does not occur, that is what makes it wrong.
func quotedTexts(l Lesson) map[string]string {
	out := map[string]string{"body": l.Body, "summary": l.Summary}
	for _, n := range l.Notes {
		out["note "+n.ID] = n.Text
	}
	for _, q := range l.Quiz {
		out["quiz "+q.ID] = q.Question + "\n" + q.Answers[q.Correct] + "\n" + q.Explain
	}
	if l.Exercise != nil {
		out["exercise"] = l.Exercise.Task
	}
	return out
}

// inTrace reports whether needle occurs in the trace as a whole value: not
// as part of a longer number (SIZE=11 is not in SIZE=1159).
func inTrace(trace, needle string) bool {
	re := regexp.MustCompile(`(?:^|[^0-9])` + regexp.QuoteMeta(needle) + `(?:[^0-9]|$)`)
	return re.MatchString(trace)
}

func traceText(log []event.Event) string {
	var b strings.Builder
	for _, ev := range log {
		if ev.Text != "" {
			b.WriteString(ev.Text)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func TestQuotedExtraction(t *testing.T) {
	text := "MAIL FROM carries `SIZE=1159`, the EHLO list `SIZE 10485760`; `{1569}`, `+OK 1 1569`, " +
		"(1569 octets), maildrop has 1 messages, `1 messages left`, * 1 EXISTS, [UIDNEXT 2], " +
		"`UID FETCH 2 (UID FLAGS BODY[])`, \"RETR 1\", „T6 OK IDLE completed“, " +
		"RFC 5321 §4.1.1.4, port 587, 127.0.0.1:10587, `250 2.6.0`, T1, T2 and T1 to T3, " +
		"UID 1 belonged to the first mail, DELE 1 marks it, the photo has 2400 bytes."
	got := quotedValues(text)
	assert.ElementsMatch(t, []string{"SIZE=1159", "SIZE 10485760", "{1569}", "+OK 1 1569", "1569 octets",
		"maildrop has 1 messages", "1 messages left", "* 1 EXISTS", "UIDNEXT 2", "UID FETCH 2", "RETR 1", "T6 OK"}, got)
	assert.True(t, inTrace("C: MAIL FROM:<a@b> SIZE=1159\n", "SIZE=1159"))
	assert.False(t, inTrace("C: MAIL FROM:<a@b> SIZE=1159\n", "SIZE=115"))
	assert.False(t, inTrace("S: * 11 EXISTS\n", "* 1 EXISTS"))
}

// Every size, count, UID, message number and tag a lesson quotes, in every
// language, must appear in a fresh run of the lesson's scenario. Sizes that
// depend on the machine (the loopback addresses and the TLS cipher in the
// Received: fields) therefore cannot be quoted as numbers.
func TestQuotedNumbersAppearInTheTrace(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	for _, id := range c.IDs() {
		en, _ := c.Get(id, "en")
		if en.Scenario == "" {
			continue // a reading page quotes no run
		}
		trace := traceText(lessonLog(t, en))
		allowed := notFromTheRun[id]
		checked := 0
		for _, lang := range Languages {
			l, err := c.Get(id, lang)
			require.NoError(t, err)
			for where, text := range quotedTexts(l) {
				for _, v := range quotedValues(text) {
					if slices.Contains(allowed, v) {
						continue
					}
					checked++
					assert.True(t, inTrace(trace, v), "%s (%s), %s: %q does not appear in a run of %s", id, lang, where, v, l.Scenario)
				}
			}
		}
		t.Logf("%s: %d quoted values checked in %d languages", id, checked, len(Languages))
	}
}

var (
	logsMu sync.Mutex
	logs   = map[string][]event.Event{}
)

// lessonLog runs the lesson's scenario once per test binary (the exercise's
// model session for a lesson on the live world) and returns its log.
func lessonLog(t *testing.T, l Lesson) []event.Event {
	t.Helper()
	key := l.Scenario
	if l.Exercise != nil {
		key = "exercise " + l.ID
	}
	logsMu.Lock()
	defer logsMu.Unlock()
	if log, ok := logs[key]; ok {
		return log
	}
	var log []event.Event
	if l.Exercise != nil {
		log = runExercise(t, *l.Exercise)
	} else {
		log = runScenario(t, l.Scenario)
	}
	logs[key] = log
	return log
}
