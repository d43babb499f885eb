//go:build !(js && wasm)

package app

import (
	"encoding/json"
	"strings"
	"testing"

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
