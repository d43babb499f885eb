package lesson

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/event"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestEveryLessonLoadsInEveryLanguage(t *testing.T) {
	c, err := Load()
	require.NoError(t, err, "Load()")
	require.NotEmpty(t, c.IDs())
	for _, id := range c.IDs() {
		en, err := c.Get(id, "en")
		require.NoError(t, err)
		for _, lang := range Languages {
			l, err := c.Get(id, lang)
			require.NoError(t, err, "%s in %s", id, lang)
			assert.Equal(t, ids(en), ids(l), "%s: the same notes and questions in %s", id, lang)
			if lang != "en" {
				assert.NotEqual(t, en.Body, l.Body, "%s: %s is translated, not copied", id, lang)
			}
			for _, q := range l.Quiz {
				assert.Len(t, q.Answers, len(en.Quiz[indexOf(en, q.ID)].Answers))
				assert.True(t, q.Correct >= 0 && q.Correct < len(q.Answers), "exactly one correct answer in range")
			}
		}
	}
}

func ids(l Lesson) []string {
	var out []string
	for _, n := range l.Notes {
		out = append(out, "note:"+n.ID)
	}
	for _, q := range l.Quiz {
		out = append(out, "quiz:"+q.ID)
	}
	return out
}

func indexOf(l Lesson, id string) int {
	for i, q := range l.Quiz {
		if q.ID == id {
			return i
		}
	}
	return -1
}

// Every note and every "what comes next" question must be tied to an event
// that really happens in the lesson's scenario, in the order of the notes.
func TestNotesAndQuestionsMatchTheRealTraffic(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	for _, id := range c.IDs() {
		l, _ := c.Get(id, "en")
		if l.Scenario == "" {
			assert.Empty(t, l.Notes, "%s: a reading page has no step-linked notes", id)
			continue
		}
		// The live world has no script: for an exercise the model session is typed into it.
		log := lessonLog(t, l)
		var last uint64
		for _, n := range l.Notes {
			seq := n.At.Find(log)
			assert.NotZero(t, seq, "%s: note %s matches no event of %s", id, n.ID, l.Scenario)
			assert.GreaterOrEqual(t, seq, last, "%s: note %s is out of order", id, n.ID)
			last = seq
		}
		for _, q := range l.Quiz {
			if q.Kind == "next" {
				assert.NotZero(t, q.Before.Find(log), "%s: question %s is asked before no event", id, q.ID)
			}
		}
	}
}

func runScenario(t *testing.T, id string) []event.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := scenario.RunInstant(ctx, id, world.Options{})
	require.NoError(t, err, "scenario %s", id)
	defer r.Close()
	return r.World.Conductor.Log()
}

func TestValidationRejectsBrokenLessons(t *testing.T) {
	good := "id: x\nnumber: 1\nscenario: send-pop3\nnotes:\n  - id: n1\n    at: {proto: smtp, text: '^EHLO'}\nquiz:\n  - id: q1\n    kind: choice\n    answers: 2\n    correct: 1\n"
	md := "---\ntitle: T\nsummary: S\nnotes:\n  n1: Note\nquiz:\n  q1:\n    question: Q?\n    answers: [a, b]\n    explain: E\n---\nBody\n"
	cases := []struct {
		name      string
		yaml, md  string
		wantError bool
	}{
		{"valid", good, md, false},
		{"correct out of range", replace(good, "correct: 1", "correct: 2"), md, true},
		{"a single answer", replace(good, "answers: 2", "answers: 1"), replace(md, "[a, b]", "[a]"), true},
		{"answer count differs", good, replace(md, "[a, b]", "[a, b, c]"), true},
		{"note without text", good, replace(md, "  n1: Note\n", ""), true},
		{"text for an unknown note", good, replace(md, "  n1: Note\n", "  n1: Note\n  n2: Extra\n"), true},
		{"bad regexp", replace(good, "'^EHLO'", "'(['"), md, true},
		{"next without before", replace(good, "kind: choice", "kind: next"), md, true},
		{"no front matter", good, "Body only\n", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"x/lesson.yaml": {Data: []byte(tc.yaml)}}
			for _, lang := range Languages {
				fsys["x/"+lang+".md"] = &fstest.MapFile{Data: []byte(tc.md)}
			}
			_, err := LoadFS(fsys)
			if tc.wantError {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func replace(s, old, new string) string { return strings.Replace(s, old, new, 1) }
