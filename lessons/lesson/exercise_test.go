package lesson

import (
	"context"
	"crypto/tls"
	"io"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/netmap"
	"maillab/simulator/scenario"
	"maillab/simulator/store"
	"maillab/simulator/world"
)

// runExercise types the exercise's model session into a fresh live world,
// from the external client's node as a learner's telnet would, and returns
// the log. It also proves that the check then finds the mail.
func runExercise(t *testing.T, ex Exercise) []event.Event {
	t.Helper()
	r, err := scenario.Live(world.Options{})
	require.NoError(t, err, "scenario.Live()")
	defer r.Close()
	before := ex.Look(r.World.Snapshot())
	require.Zero(t, before.Count, "%s: the live world starts with an empty mailbox", ex.ID)
	for _, c := range ex.Solution {
		playOne(t, r.World, c)
	}
	found := ex.Look(r.World.Snapshot())
	assert.Equal(t, 1, found.Count, "%s: exactly the model mail arrived (the forged one was refused)", ex.ID)
	assert.NotEmpty(t, found.Newest.Subject, "%s: the check names the subject", ex.ID)
	return r.World.Conductor.Log()
}

func playOne(t *testing.T, w *world.World, c Conversation) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := w.DialService(ctx, netmap.External, c.Server, c.Port)
	require.NoError(t, err, "DialService(%s, %d)", c.Server, c.Port)
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	require.NoError(t, conn.SetDeadline(deadline))
	startTLS := func() (io.ReadWriter, error) {
		tc := tls.Client(conn, w.ClientTLS(c.Server))
		return tc, tc.HandshakeContext(ctx)
	}
	require.NoError(t, c.PlayTLS(conn, startTLS), "the replies the lesson quotes")
}

func TestExerciseBlockValidation(t *testing.T) {
	good := "id: x\nnumber: 1\nscenario: live\nexercise:\n  id: send-bob\n  mailbox: bob@example.net\n  solution:\n" +
		"    - server: mx.example.net\n      port: 25\n      talk:\n        - {expect: '^220 '}\n        - {send: 'QUIT', expect: '^221 '}\n" +
		"quiz:\n  - id: q1\n    kind: choice\n    answers: 2\n    correct: 1\n"
	md := "---\ntitle: T\nsummary: S\nexercise: Send Bob a mail.\nquiz:\n  q1:\n    question: Q?\n    answers: [a, b]\n    explain: E\n---\nBody\n"
	cases := []struct {
		name      string
		yaml, md  string
		wantError bool
	}{
		{"valid", good, md, false},
		{"no task text", good, replace(md, "exercise: Send Bob a mail.\n", ""), true},
		{"task text without exercise", "id: x\nnumber: 1\nscenario: send-pop3\n", "---\ntitle: T\nsummary: S\nexercise: Task\n---\nBody\n", true},
		{"live without exercise", "id: x\nnumber: 1\nscenario: live\n", "---\ntitle: T\nsummary: S\n---\nBody\n", true},
		{"exercise on a scripted scenario", replace(good, "scenario: live", "scenario: send-pop3"), md, true},
		{"no id", replace(good, "id: send-bob", "id: ''"), md, true},
		{"mailbox is no address", replace(good, "bob@example.net", "bob"), md, true},
		{"no solution", replace(good, "  solution:\n    - server: mx.example.net\n      port: 25\n      talk:\n        - {expect: '^220 '}\n        - {send: 'QUIT', expect: '^221 '}\n", ""), md, true},
		{"no port", replace(good, "port: 25", "port: 0"), md, true},
		{"a turn that does nothing", replace(good, "{expect: '^220 '}", "{}"), md, true},
		{"bad expectation", replace(good, "'^221 '", "'(['"), md, true},
		{"TLS without waiting for the go-ahead", replace(good, "{send: 'QUIT', expect: '^221 '}", "{send: 'STARTTLS', starttls: true}"), md, true},
		{"two lines in one turn", replace(good, "send: 'QUIT'", "send: \"QUIT\\r\\nNOOP\""), md, true},
		{"a next question", replace(good, "kind: choice", "kind: next\n    before: {text: '^250'}"), md, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"x/lesson.yaml": {Data: []byte(tc.yaml)}}
			for _, lang := range Languages {
				fsys["x/"+lang+".md"] = &fstest.MapFile{Data: []byte(tc.md)}
			}
			c, err := LoadFS(fsys)
			if tc.wantError {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			l, err := c.Get("x", "de")
			require.NoError(t, err)
			require.NotNil(t, l.Exercise)
			assert.Equal(t, "bob@example.net", l.Exercise.Mailbox)
			assert.Equal(t, "Send Bob a mail.", l.Exercise.Task)
			assert.Len(t, l.Exercise.Solution, 1)
		})
	}
}

func TestLookFindsTheNewestMessageInEveryFolder(t *testing.T) {
	at := func(min int) time.Time { return time.Date(2026, 1, 1, 12, min, 0, 0, time.UTC) }
	snap := world.Snapshot{Mailboxes: []world.ProviderMailbox{
		{Domain: "example.org", Users: []store.UserSnapshot{{Address: "alice@example.org", Mailboxes: []store.MailboxSnapshot{
			{Messages: []store.MessageSummary{{Subject: "for Alice", InternalDate: at(9)}}}}}}},
		{Domain: "example.net", Users: []store.UserSnapshot{{Address: "Bob@example.net", Mailboxes: []store.MailboxSnapshot{
			{Messages: []store.MessageSummary{{Subject: "first", InternalDate: at(1)}, {Subject: "third", InternalDate: at(3)}}},
			{Messages: []store.MessageSummary{{Subject: "second", InternalDate: at(2)}}},
		}}}},
	}}
	ex := Exercise{Mailbox: "bob@example.net"}
	f := ex.Look(snap)
	assert.Equal(t, 3, f.Count)
	assert.Equal(t, "third", f.Newest.Subject)
	assert.Zero(t, Exercise{Mailbox: "carol@example.net"}.Look(snap).Count)
}
