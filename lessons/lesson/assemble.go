package lesson

import (
	"errors"
	"fmt"
	"sort"
)

// assemble joins the language-neutral spec and one language's texts,
// insisting that every note and question has its text and nothing more.
func assemble(s spec, t texts, lang, body string) (Lesson, error) {
	if t.Title == "" || t.Summary == "" || body == "" {
		return Lesson{}, errors.New("title, summary and body are required")
	}
	l := Lesson{ID: s.ID, Number: s.Number, Scenario: s.Scenario, Title: t.Title, Summary: t.Summary,
		Body: body, Lang: lang, Notes: []Note{}, Quiz: []Question{}}
	for _, n := range s.Notes {
		text := t.Notes[n.ID]
		if text == "" {
			return Lesson{}, fmt.Errorf("note %s has no text", n.ID)
		}
		l.Notes = append(l.Notes, Note{ID: n.ID, At: n.At, Section: n.Section, Text: text})
	}
	for _, q := range s.Quiz {
		qt, ok := t.Quiz[q.ID]
		if !ok || qt.Question == "" || qt.Explain == "" {
			return Lesson{}, fmt.Errorf("question %s has no text or explanation", q.ID)
		}
		if len(qt.Answers) != q.Answers {
			return Lesson{}, fmt.Errorf("question %s has %d answers, lesson.yaml says %d", q.ID, len(qt.Answers), q.Answers)
		}
		l.Quiz = append(l.Quiz, Question{ID: q.ID, Kind: q.Kind, Before: q.Before, Question: qt.Question,
			Answers: qt.Answers, Correct: q.Correct, Explain: qt.Explain})
	}
	if (s.Exercise == nil) != (t.Exercise == "") {
		return Lesson{}, errors.New("the exercise task and the exercise in lesson.yaml go together")
	}
	l.Exercise = s.Exercise.build(t.Exercise)
	if extra := extraKeys(s, t); len(extra) > 0 {
		return Lesson{}, fmt.Errorf("texts for unknown ids: %v", extra)
	}
	return l, nil
}

func extraKeys(s spec, t texts) []string {
	known := map[string]bool{}
	for _, n := range s.Notes {
		known[n.ID] = true
	}
	for _, q := range s.Quiz {
		known[q.ID] = true
	}
	var extra []string
	for id := range t.Notes {
		if !known[id] {
			extra = append(extra, id)
		}
	}
	for id := range t.Quiz {
		if !known[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	return extra
}
