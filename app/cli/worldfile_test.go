package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// --save-world writes the default world: the teacher's starting file.
func TestSaveWorld(t *testing.T) {
	path := filepath.Join(t.TempDir(), "world.yaml")
	r := run(t, "world", "--save-world", path)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "World file written: "+path+"\n", r.stdout)
	s, err := worldspec.LoadFile(path)
	require.NoError(t, err)
	// The default flags are the default world's limits, written out.
	assert.Equal(t, world.DefaultSpec().Providers, s.Providers)
	assert.Equal(t, world.DefaultSpec().Devices, s.Devices)

	r = run(t, "world", "--save-world", "-", "--allow-plaintext-auth", "--no-auth-checks", "--mailbox-quota", "0")
	require.Equal(t, 0, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "# Maillab world file"), r.stdout)
	s, err = worldspec.Load(strings.NewReader(r.stdout))
	require.NoError(t, err)
	for _, p := range s.Providers {
		assert.True(t, p.Policy.PlaintextAuth, p.Domain)
		assert.False(t, p.Policy.Checks(), p.Domain)
		assert.Equal(t, worldspec.Unlimited, p.Policy.MailboxQuota, p.Domain)
	}
}

// --world FILE: the file's world, with the limit flags the user typed
// laid over it and the others left as the file says.
func TestWorldFileWithLimitFlags(t *testing.T) {
	spec := world.DefaultSpec()
	spec.Provider("example.net").Policy.MailboxQuota = 1 << 20
	d := worldspec.Duration(5 * time.Second)
	spec.Limits.AuthFailureDelay = &d
	text, err := worldspec.Marshal(spec)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "w.yaml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))

	r := run(t, "world", "--world", path, "--max-conns", "9", "--save-world", "-")
	require.Equal(t, 0, r.code, r.stderr)
	got, err := worldspec.Load(strings.NewReader(r.stdout))
	require.NoError(t, err)
	assert.Equal(t, 9, *got.Limits.MaxConns, "a flag given beats the file")
	assert.Equal(t, d, *got.Limits.AuthFailureDelay, "a flag left at its default does not")
	assert.Equal(t, worldspec.Size(1<<20), got.Provider("example.net").Policy.MailboxQuota)
	assert.Equal(t, worldspec.Size(50<<20), got.Provider("example.org").Policy.MailboxQuota)

	var served *ServeFlags
	env := Env{Lang: "en", Serve: func(f ServeFlags) int { served = &f; return 0 }}
	var out, errOut strings.Builder
	env.Stdout, env.Stderr = &out, &errOut
	require.Equal(t, 0, Main([]string{"serve", "--world", path, "--mailbox-quota", "2MiB"}, env), errOut.String())
	require.NotNil(t, served)
	require.NotNil(t, served.Spec)
	for _, p := range served.Spec.Providers {
		assert.Equal(t, worldspec.Size(2<<20), p.Policy.MailboxQuota, p.Domain)
	}
	assert.Equal(t, 5*time.Second, served.Limits.AuthFailureDelay, "the limits in force, for the line serve prints")
	assert.Equal(t, int64(2<<20), served.Limits.MailboxQuota)

	served = nil
	require.Equal(t, 0, Main([]string{"serve", "--world", path}, env), errOut.String())
	assert.True(t, served.Limits.QuotaDiffers)
	assert.Contains(t, served.Limits.Describe("en"), "mailbox quota per provider, as the world file says")
}

// A file that cannot be used gets the reason with the field and line,
// exit status 2, and nothing starts.
func TestWorldFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("maillab-world: 1\nproviders:\n  - domain: example.org\n    acounts: []\n"), 0o644))
	newer := filepath.Join(dir, "v2.yaml")
	require.NoError(t, os.WriteFile(newer, []byte("maillab-world: 2\n"), 0o644))
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"world", "--world", bad}, "Cannot use the world file " + bad + ":\n" +
			`providers[0].acounts: unknown field "acounts" in providers[0] (known: domain, hosts, accounts, policy, dns) (line 4)` + "\n"},
		{[]string{"world", "--world", newer, "--save-world", "-"}, "Cannot use the world file " + newer + ":\n" +
			"maillab-world: unsupported world-file version 2: the file was written for a newer Maillab; this one reads version 1 (line 1)\n"},
		{[]string{"serve", "--world", newer}, "unsupported world-file version 2"},
		{[]string{"--world", filepath.Join(dir, "missing.yaml")}, "missing.yaml: no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errOut strings.Builder
			started := false
			env := Env{Lang: "en", Stdout: &out, Stderr: &errOut,
				Serve:   func(ServeFlags) int { started = true; return 0 },
				Desktop: func(DesktopFlags) int { started = true; return 0 }}
			assert.Equal(t, 2, Main(tc.args, env))
			assert.Contains(t, errOut.String(), tc.want)
			assert.False(t, started)
			assert.Empty(t, out.String())
		})
	}
	var out, errOut strings.Builder
	assert.Equal(t, 2, Main([]string{"world", "--world", newer}, Env{Lang: "de", Stdout: &out, Stderr: &errOut}))
	assert.True(t, strings.HasPrefix(errOut.String(), "Die Welt-Datei "+newer+" ist nicht verwendbar:\n"), errOut.String())
}

// The desktop window gets the file's world.
func TestDesktopWorldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.yaml")
	require.Equal(t, 0, run(t, "world", "--save-world", path).code)
	var got *DesktopFlags
	var out, errOut strings.Builder
	env := Env{Lang: "en", Stdout: &out, Stderr: &errOut, Desktop: func(f DesktopFlags) int { got = &f; return 0 }}
	require.Equal(t, 0, Main([]string{"--world", path}, env), errOut.String())
	require.NotNil(t, got.Spec)
	assert.Equal(t, "alice@example.org", got.Spec.Providers[0].Accounts[0].Address)
}

// `maillab world --world FILE` runs the file's world: its accounts are
// the ones printed, and its policy holds on the port map.
func TestWorldRunsTheFile(t *testing.T) {
	spec := world.DefaultSpec()
	spec.Provider("example.net").Policy.PlaintextAuth = true
	spec.Provider("example.net").Accounts[0].Password = "b0b"
	text, err := worldspec.Marshal(spec)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "w.yaml")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	out, reply := worldWith(t, "--world", path)
	assert.True(t, strings.HasPrefix(reply, "+OK"), "plaintext-auth from the file: %s", reply)
	assert.Contains(t, out, "World file: "+path)
	assert.Contains(t, out, "bob@example.net  password: b0b")
	assert.Contains(t, out, "2s pause after a wrong password; mailbox quota 50MiB.")
}
