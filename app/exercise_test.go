//go:build !(js && wasm)

package app

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/netmap"
	"maillab/simulator/scenario"
)

const byHand = "smtp-by-hand"

func TestCheckExercise(t *testing.T) {
	t.Run("no run yet", func(t *testing.T) {
		a, _ := newTestApp(t)
		r, err := a.CheckExercise(byHand)
		require.NoError(t, err)
		assert.False(t, r.Done)
		assert.Equal(t, "ui.exercise.start-first", r.Key)
		assert.Equal(t, "bob@example.net", r.Params["mailbox"])
	})
	t.Run("another scenario runs", func(t *testing.T) {
		a, _ := newTestApp(t)
		_, err := a.Start("send-pop3")
		require.NoError(t, err)
		r, err := a.CheckExercise(byHand)
		require.NoError(t, err)
		assert.Equal(t, "ui.exercise.start-first", r.Key)
	})
	t.Run("the live world without mail", func(t *testing.T) {
		a, _ := newTestApp(t)
		_, err := a.Start(scenario.LiveID)
		require.NoError(t, err)
		r, err := a.CheckExercise(byHand)
		require.NoError(t, err)
		assert.False(t, r.Done)
		assert.Zero(t, r.Count)
		assert.Equal(t, "ui.exercise.not-yet", r.Key)
	})
	t.Run("after a mail typed by hand", func(t *testing.T) {
		a, _ := newTestApp(t)
		_, err := a.Start(scenario.LiveID)
		require.NoError(t, err)
		typeTheModelMail(t, a)
		r, err := a.CheckExercise(byHand)
		require.NoError(t, err)
		assert.True(t, r.Done)
		assert.Equal(t, 1, r.Count)
		assert.Equal(t, "Typed by hand", r.Subject)
		assert.Contains(t, r.From, "student@example.com")
		assert.Equal(t, "ui.exercise.done", r.Key)
		assert.Equal(t, map[string]string{"mailbox": "bob@example.net", "count": "1", "subject": r.Subject, "from": r.From}, r.Params)
	})
	t.Run("errors", func(t *testing.T) {
		a, _ := newTestApp(t)
		_, err := a.CheckExercise("no-such-lesson")
		assert.Error(t, err, "an unknown lesson")
		_, err = a.CheckExercise("smtp-is-push")
		assert.Error(t, err, "a lesson without an exercise")
	})
}

// typeTheModelMail types the lesson's model SMTP session into the running
// world from the external client's node, as telnet or the terminal would.
func typeTheModelMail(t *testing.T, a *App) {
	t.Helper()
	l, err := a.Lesson(byHand, "en")
	require.NoError(t, err)
	require.NotNil(t, l.Exercise)
	talk := l.Exercise.Solution[0]
	require.Equal(t, "mx.example.net", talk.Server)
	a.mu.Lock()
	w := a.run.World
	a.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := w.DialService(ctx, netmap.External, talk.Server, talk.Port)
	require.NoError(t, err, "DialService()")
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	require.NoError(t, conn.SetDeadline(deadline))
	require.NoError(t, talk.Play(conn))
}

func TestLiveLessonIsListed(t *testing.T) {
	a, _ := newTestApp(t)
	list, err := a.Lessons("pl")
	require.NoError(t, err)
	var ids []string
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	assert.Contains(t, ids, byHand)
}

func TestViewersMayCheckTheExercise(t *testing.T) {
	_, srv := newServer(t)
	status, out := post(t, srv, "checkExercise", "", byHand)
	require.Equal(t, 200, status)
	var r ExerciseResult
	require.NoError(t, json.Unmarshal(out["result"], &r))
	assert.Equal(t, "ui.exercise.start-first", r.Key)
}
