package app

import (
	"sync"

	"maillab/lessons/lesson"
	"maillab/simulator/event"
	"maillab/simulator/scenario"
)

var (
	catalogOnce sync.Once
	catalog     *lesson.Catalog
	catalogErr  error
)

func lessons() (*lesson.Catalog, error) {
	catalogOnce.Do(func() { catalog, catalogErr = lesson.Load() })
	return catalog, catalogErr
}

// Lessons lists the lessons whose scenario exists (security and failure
// lessons appear once their scenarios do); the live world always does.
func (a *App) Lessons(lang string) ([]lesson.Summary, error) {
	c, err := lessons()
	if err != nil {
		return nil, err
	}
	out := []lesson.Summary{}
	for _, s := range c.List(lang) {
		if _, ok := scenario.Get(s.Scenario); ok || s.Scenario == "" || s.Scenario == scenario.LiveID {
			out = append(out, s)
		}
	}
	return out, nil
}

// Lesson returns one lesson in lang.
func (a *App) Lesson(id, lang string) (lesson.Lesson, error) {
	c, err := lessons()
	if err != nil {
		return lesson.Lesson{}, err
	}
	return c.Get(id, lang)
}

// Waiting returns the lines held at the gate, oldest first: the first is
// what Step releases next (the "what comes next?" quiz asks about it).
func (a *App) Waiting() ([]event.Event, error) {
	c, err := a.conductor()
	if err != nil {
		return []event.Event{}, nil
	}
	return c.Waiting(), nil
}
