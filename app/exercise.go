package app

import (
	"fmt"
	"strconv"

	"maillab/lessons/lesson"
	"maillab/simulator/world"
)

// ExerciseResult is the verdict of an exercise's check: Key and Params
// are the i18n text the UI shows.
type ExerciseResult struct {
	Done    bool              `json:"done"`
	Count   int               `json:"count"`
	Subject string            `json:"subject"`
	From    string            `json:"from"`
	Key     string            `json:"key"`
	Params  map[string]string `json:"params"`
}

// CheckExercise looks in the current run's world for mail in the mailbox
// the lesson's exercise names. It changes nothing.
func (a *App) CheckExercise(lessonID string) (ExerciseResult, error) {
	l, err := a.Lesson(lessonID, "en")
	if err != nil {
		return ExerciseResult{}, err
	}
	if l.Exercise == nil {
		return ExerciseResult{}, fmt.Errorf("lesson %q has no exercise", lessonID)
	}
	snap, ok := a.snapshotOf(l.Scenario)
	if !ok {
		return ExerciseResult{Key: "ui.exercise.start-first", Params: map[string]string{"mailbox": l.Exercise.Mailbox}}, nil
	}
	return exerciseVerdict(*l.Exercise, l.Exercise.Look(snap)), nil
}

// snapshotOf is the world of the running scenario id, if that is what runs.
func (a *App) snapshotOf(id string) (world.Snapshot, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.run == nil || a.scenario != id {
		return world.Snapshot{}, false
	}
	return a.run.World.Snapshot(), true
}

func exerciseVerdict(ex lesson.Exercise, f lesson.Found) ExerciseResult {
	params := map[string]string{"mailbox": ex.Mailbox, "count": strconv.Itoa(f.Count)}
	if f.Count == 0 {
		return ExerciseResult{Key: "ui.exercise.not-yet", Params: params}
	}
	params["subject"], params["from"] = orDash(f.Newest.Subject), orDash(f.Newest.From)
	return ExerciseResult{Done: true, Count: f.Count, Subject: f.Newest.Subject, From: f.Newest.From,
		Key: "ui.exercise.done", Params: params}
}

// orDash stands in for a header field the learner left out: a dash reads
// the same in every language.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
