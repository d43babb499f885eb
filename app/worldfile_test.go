//go:build !(js && wasm)

package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/scenario"
	"maillab/simulator/store"
	"maillab/simulator/worldspec"
)

// WorldFile gives the running world back as a file; OpenWorld runs the
// current scenario again in the world a file describes.
func TestWorldFileAndOpenWorld(t *testing.T) {
	a, _ := newTestApp(t)
	before, err := a.WorldFile(false)
	require.NoError(t, err, "before any run: the world the next run gets")
	s, err := worldspec.Load(strings.NewReader(before))
	require.NoError(t, err)
	assert.Equal(t, "builder", s.Provider("example.net").Accounts[0].Password)

	_, err = a.Start("size-limit")
	require.NoError(t, err)
	text, err := a.WorldFile(false)
	require.NoError(t, err)
	assert.Contains(t, text, "mx-size-limit: 2000B", "the scenario's world")

	s.Provider("example.net").Accounts[0].Password = "new-password"
	s.Mailboxes = []worldspec.Mailbox{{Account: "bob@example.net", Messages: []worldspec.Message{{Raw: "Subject: waiting\n\nhi\n"}}}}
	file, err := worldspec.Marshal(s)
	require.NoError(t, err)
	info, err := a.OpenWorld(file)
	require.NoError(t, err)
	assert.Equal(t, "size-limit", info.Scenario, "the same scenario again")
	text, err = a.WorldFile(false)
	require.NoError(t, err)
	assert.Contains(t, text, "password: new-password")
	assert.Contains(t, text, "mx-size-limit: 2000B", "the scenario still sets its own")

	a.mu.Lock()
	w := a.run.World
	a.mu.Unlock()
	require.NoError(t, w.Provider("example.net").Store.CheckPassword("bob@example.net", "new-password"))
	_, err = w.Provider("example.net").Store.Deliver("bob@example.net", store.Inbox, []byte("Subject: later\r\n\r\nx\r\n"), nil, w.Now())
	require.NoError(t, err)
	withMail, err := a.WorldFile(true)
	require.NoError(t, err)
	assert.Contains(t, withMail, "Subject: waiting")
	assert.Contains(t, withMail, "Subject: later")
	text, err = a.WorldFile(false)
	require.NoError(t, err)
	assert.NotContains(t, text, "Subject: later", "without mail: the mail the world started with")

	_, err = a.OpenWorld("maillab-world: 2\n")
	require.ErrorIs(t, err, worldspec.ErrVersion)
	_, err = a.OpenWorld(strings.Replace(file, "address: bob@example.net", "address: bob", 1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `providers[1].accounts[0].address: "bob" is not an e-mail address`)
	text, err = a.WorldFile(false)
	require.NoError(t, err)
	assert.Contains(t, text, "password: new-password", "a bad file changes nothing")
	assert.Equal(t, "new-password", a.accounts()[1].Password, "the connect page offers the file's accounts")
}

func TestOpenWorldWithoutARunStartsTheLiveWorld(t *testing.T) {
	a, _ := newTestApp(t)
	before, err := a.WorldFile(false)
	require.NoError(t, err)
	info, err := a.OpenWorld(before)
	require.NoError(t, err)
	assert.Equal(t, scenario.LiveID, info.Scenario)
}

// The world file has the passwords: viewers get neither it nor the
// right to replace the world.
func TestWorldFileNeedsTheToken(t *testing.T) {
	_, srv := newServer(t)
	status, _ := post(t, srv, "worldFile", "", false)
	assert.Equal(t, 403, status)
	status, _ = post(t, srv, "openWorld", "", "maillab-world: 1\n")
	assert.Equal(t, 403, status)
	status, out := post(t, srv, "worldFile", "secret")
	require.Equal(t, 200, status)
	var text string
	require.NoError(t, json.Unmarshal(out["result"], &text))
	assert.True(t, strings.HasPrefix(text, "# Maillab world file"), text)
	status, out = post(t, srv, "openWorld", "secret", "maillab-world: 1\n")
	assert.Equal(t, 422, status, "%s", out["error"])
	assert.Contains(t, string(out["error"]), "providers: no provider")
}

// SaveWorld: the desktop's save dialog, the file private (it has the
// passwords), with or without the mail; cancelled saves nothing.
func TestSaveWorld(t *testing.T) {
	dir := t.TempDir()
	var asked []string
	answer := filepath.Join(dir, "class.yaml")
	a := New(Options{BatchEvery: 5 * time.Millisecond, SaveDialog: func(name, kind, lang string) (string, error) {
		asked = append(asked, name, kind, lang)
		return answer, nil
	}})
	t.Cleanup(func() { a.Close() })
	_, err := a.Start("send-pop3")
	require.NoError(t, err)

	require.NoError(t, os.WriteFile(answer, []byte("an older, readable file"), 0o644))
	path, err := a.SaveWorld(false, "xx")
	require.NoError(t, err)
	assert.Equal(t, answer, path)
	assert.Equal(t, []string{"maillab-world.yaml", "world", "en"}, asked, "an unknown language falls back to English")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	s, err := worldspec.Load(strings.NewReader(string(data)))
	require.NoError(t, err, "what was saved opens again")
	assert.Equal(t, "builder", s.Provider("example.net").Accounts[0].Password)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "a file with passwords is private, also when it overwrote a readable one")

	a.mu.Lock()
	w := a.run.World
	a.mu.Unlock()
	_, err = w.Provider("example.net").Store.Deliver("bob@example.net", store.Inbox, []byte("Subject: kept\r\n\r\nx\r\n"), nil, w.Now())
	require.NoError(t, err)
	_, err = a.SaveWorld(true, "de")
	require.NoError(t, err)
	data, err = os.ReadFile(answer)
	require.NoError(t, err)
	assert.Contains(t, string(data), "Subject: kept", "with the mail in the mailboxes")

	require.NoError(t, os.Remove(answer))
	answer = "" // cancelled
	path, err = a.SaveWorld(false, "en")
	require.NoError(t, err)
	assert.Empty(t, path)

	browser, _ := newTestApp(t)
	_, err = browser.SaveWorld(false, "de")
	assert.ErrorContains(t, err, "Desktop-App", "no file dialog in browser mode")
}

// OpenWorldFile: the desktop's open dialog; a good file runs, a bad one
// changes nothing and names the field, cancelled changes nothing.
func TestOpenWorldFile(t *testing.T) {
	dir := t.TempDir()
	var answer string
	var asked []string
	a := New(Options{BatchEvery: 5 * time.Millisecond, OpenDialog: func(kind, lang string) (string, error) {
		asked = append(asked, lang)
		return answer, nil
	}})
	t.Cleanup(func() { a.Close() })
	_, err := a.Start("send-pop3")
	require.NoError(t, err)
	text, err := a.WorldFile(false)
	require.NoError(t, err)
	s, err := worldspec.Load(strings.NewReader(text))
	require.NoError(t, err)
	s.Title = "Bob forgot his password"
	s.Provider("example.net").Accounts[0].Password = "changed"
	good, err := worldspec.Marshal(s)
	require.NoError(t, err)

	answer = filepath.Join(dir, "good.yaml")
	require.NoError(t, os.WriteFile(answer, []byte(good), 0o600))
	info, err := a.OpenWorldFile("pl")
	require.NoError(t, err)
	require.NotNil(t, info)
	assert.Equal(t, "send-pop3", info.Scenario, "the same scenario again")
	assert.Equal(t, "Bob forgot his password", info.World, "the run says which world it is in")
	assert.Equal(t, []string{"pl"}, asked)
	run, err := a.Run()
	require.NoError(t, err)
	assert.Equal(t, info.RunID, run.RunID)
	assert.Equal(t, "Bob forgot his password", run.World)

	answer = filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(answer, []byte(strings.Replace(good, "address: bob@example.net", "address: bob", 1)), 0o600))
	info, err = a.OpenWorldFile("en")
	require.Error(t, err)
	assert.Nil(t, info)
	assert.Regexp(t, `providers\[1\]\.accounts\[0\]\.address: "bob" is not an e-mail address.*\(line \d+\)`, err.Error())
	again, err := a.Run()
	require.NoError(t, err)
	assert.Equal(t, run.RunID, again.RunID, "a bad file changes nothing")

	answer = filepath.Join(dir, "huge.yaml")
	require.NoError(t, os.WriteFile(answer, []byte(good+strings.Repeat("#", worldspec.MaxFileBytes)), 0o600))
	_, err = a.OpenWorldFile("en")
	assert.ErrorContains(t, err, "larger than 16MiB")

	answer = filepath.Join(dir, "missing.yaml")
	_, err = a.OpenWorldFile("en")
	assert.ErrorIs(t, err, os.ErrNotExist)

	answer = "" // cancelled
	info, err = a.OpenWorldFile("en")
	require.NoError(t, err)
	assert.Nil(t, info)
	again, err = a.Run()
	require.NoError(t, err)
	assert.Equal(t, run.RunID, again.RunID, "cancelled changes nothing")

	browser, _ := newTestApp(t)
	_, err = browser.OpenWorldFile("de")
	assert.ErrorContains(t, err, "Desktop-App", "no file dialog in browser mode")
}
