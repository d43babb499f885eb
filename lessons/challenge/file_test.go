package challenge

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "maillab/simulator/challenge"
	"maillab/simulator/worldspec"
)

// goodFile is a teacher's file: the default world with Bob's MX pointing
// nowhere, written as a teacher would.
const goodFile = `maillab-challenge: 1
title: Where does Bob's mail go?
task: |
  Alice writes to Bob, but the mail never arrives.
  Find out why and fix it.
hints:
  - Look at the queue on smtp.example.org.
  - {en: Check the MX record of example.net., de: Prüfe den MX-Eintrag von example.net., pl: Sprawdź rekord MX domeny example.net.}
explanation: The MX record named a host that does not exist.
test: {device: alice-laptop, to: bob@example.net}
goal:
  delivered: {to: bob@example.net, from: alice@example.org}
  queue-empty: true
world:
  maillab-world: 1
  providers:
    - domain: example.org
      accounts: [{address: alice@example.org, password: wonderland}]
    - domain: example.net
      accounts: [{address: bob@example.net, password: builder}]
      dns:
        mx: [{preference: 10, host: mx.nowhere.example.net}]
  devices:
    - {name: alice-laptop, account: alice@example.org, protocol: imap, security: starttls}
    - {name: bob-laptop, account: bob@example.net, protocol: pop3, security: starttls}
    - {name: bob-phone, account: bob@example.net, protocol: imap, security: implicit}
`

func loadText(text string) (File, error) { return LoadFile(strings.NewReader(text)) }

func TestLoadGoodFile(t *testing.T) {
	f, err := loadText(goodFile)
	require.NoError(t, err, "LoadFile()")
	assert.Equal(t, "Where does Bob's mail go?", f.Title.In("de"))
	assert.Equal(t, "Alice writes to Bob, but the mail never arrives.\nFind out why and fix it.\n", f.Task.In("en"))
	require.Len(t, f.Hints, 2)
	assert.Equal(t, "Prüfe den MX-Eintrag von example.net.", f.Hints[1].In("de"))
	assert.Equal(t, "Check the MX record of example.net.", f.Hints[1].In("fr"), "another language falls back to English")
	assert.Equal(t, sim.Test{Device: "alice-laptop", To: "bob@example.net"}, f.Test)
	assert.Equal(t, &sim.Delivered{To: "bob@example.net", From: "alice@example.org"}, f.Goal.Delivered)
	assert.True(t, f.Goal.QueueEmpty)
	assert.Equal(t, "mx.nowhere.example.net", f.World.Provider("example.net").DNS.MX[0].Host)

	c, err := f.Challenge()
	require.NoError(t, err, "Challenge()")
	assert.Equal(t, FileID, c.ID)
	assert.Equal(t, 2, c.Hints)
	assert.Equal(t, "Sprawdź rekord MX domeny example.net.", c.Hint("pl", 2))
	assert.Equal(t, "The MX record named a host that does not exist.", c.Explanation("pl"))
	_, err = worldspec.Load(strings.NewReader(c.World))
	assert.NoError(t, err, "the challenge's world is a world file")
}

// Marshal writes what LoadFile reads back the same, texts per language
// and multi-line texts included.
func TestMarshalRoundTrip(t *testing.T) {
	f, err := loadText(goodFile)
	require.NoError(t, err)
	text, err := f.Marshal()
	require.NoError(t, err, "Marshal()")
	assert.True(t, strings.Contains(text, "\nmaillab-challenge: 1\n"), text)
	assert.Contains(t, text, "\nworld:\n  maillab-world: 1\n")
	assert.Contains(t, text, "task: |\n  Alice writes")
	back, err := loadText(text)
	require.NoError(t, err, "LoadFile(Marshal())\n%s", text)
	assert.Equal(t, f, back)
}

func TestMarshalRefusesBadFile(t *testing.T) {
	f, err := loadText(goodFile)
	require.NoError(t, err)
	f.Hints = append(f.Hints, PlainText("  "))
	_, err = f.Marshal()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "hints[2]: is empty")
}

func TestLoadBadFiles(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(goodFile, old) {
			panic(old)
		}
		return strings.Replace(goodFile, old, new, 1)
	}
	manyHints := "hints:\n" + strings.Repeat("  - one more hint\n", MaxHints+1)
	cases := []struct{ name, text, want string }{
		{"empty", "", "the file is empty"},
		{"not YAML", "title: [", "not valid YAML"},
		{"a list", "- a\n- b\n", "not a Maillab challenge file"},
		{"a world file", "maillab-world: 1\nproviders: []\n", `unknown field "maillab-world" in the top level`},
		{"no version", edit("maillab-challenge: 1\n", ""), `the line "maillab-challenge: 1" is missing`},
		{"newer version", edit("maillab-challenge: 1", "maillab-challenge: 2"), "maillab-challenge: version 2: the file was written for a newer Maillab"},
		{"unknown key", edit("explanation:", "solution: x\nexplanation:"), `solution: unknown field "solution" in the top level (known: maillab-challenge, title, task, hints, explanation, test, goal, world) (line 9)`},
		{"key twice", edit("explanation:", "title: again\nexplanation:"), "title: given twice (first on line 2)"},
		{"missing title", edit("title: Where does Bob's mail go?\n", ""), "title: is missing"},
		{"title a list", edit("title: Where does Bob's mail go?", "title: [a, b]"), "title: must be a text, or one text per language (en, de, pl), not a list (line 2)"},
		{"title too long", edit("title: Where does Bob's mail go?", "title: "+strings.Repeat("x", MaxTitleRunes+1)), fmt.Sprintf("title: is %d characters long; at most %d (line 2)", MaxTitleRunes+1, MaxTitleRunes)},
		{"empty task", edit("task: |\n  Alice writes to Bob, but the mail never arrives.\n  Find out why and fix it.\n", "task: ''\n"), "task: is empty (line 3)"},
		{"unknown language", edit("{en: Check", "{fr: Vérifiez, en: Check"), `hints[1].fr: unknown language "fr" (known: en, de, pl) (line 8)`},
		{"hint with a colon", edit("  - Look at the queue on smtp.example.org.", "  - Look at the queue: what does it say?"), `hints[0]: "Look at the queue" is not a language: a text with ": " in it needs quotes ('…' or "…") (line 7)`},
		{"empty hint", edit("  - Look at the queue on smtp.example.org.", "  - ''"), "hints[0]: is empty (line 7)"},
		{"empty hint in one language", edit("de: Prüfe den MX-Eintrag von example.net.", "de: ' '"), "hints[1].de: is empty (line 8)"},
		{"hints not a list", strings.Replace(goodFile, goodFile[strings.Index(goodFile, "hints:"):strings.Index(goodFile, "explanation:")], "hints: Look at the queue.\n", 1), "must be a list"},
		{"too many hints", strings.Replace(goodFile, "hints:\n  - Look at the queue on smtp.example.org.\n", manyHints, 1), fmt.Sprintf("hints: %d hints; at most %d", MaxHints+2, MaxHints)},
		{"hint too long", edit("  - Look at the queue on smtp.example.org.", "  - "+strings.Repeat("ż", MaxHintRunes+1)), "hints[0]: is 1001 characters long; at most 1000"},
		{"test wrong type", edit("test: {device: alice-laptop, to: bob@example.net}", "test: alice-laptop"), `test: must be a set of keys (name: value), not "alice-laptop" (line 10)`},
		{"test unknown key", edit("test: {device:", "test: {port: 25, device:"), `test.port: unknown field "port" in test (known: device, to, route, subject, check, wait) (line 10)`},
		{"unknown device", edit("device: alice-laptop", "device: alice-phone"), `test.device: "alice-phone" is not a device of this world (devices: alice-laptop, bob-laptop, bob-phone) (line 10)`},
		{"no device", edit("device: alice-laptop, ", ""), "test.device: is missing"},
		{"bad address", edit("to: bob@example.net}", "to: Bob}"), `test.to: "Bob" is not a mail address`},
		{"bad route", edit("to: bob@example.net}", "to: bob@example.net, route: 2525}"), `test.route: "2525" is not a way to send (587, 465, 25)`},
		{"empty goal", edit("  delivered: {to: bob@example.net, from: alice@example.org}\n  queue-empty: true\n", "  {}\n"), "goal: is empty"},
		{"goal unknown fact", edit("  queue-empty: true", "  arrives: true"), `goal.arrives: unknown field "arrives" in goal (known: delivered, queue-empty, fetched-by)`},
		{"goal wrong type", edit("queue-empty: true", "queue-empty: maybe"), `goal.queue-empty: "maybe" is not true or false (line 13)`},
		{"unknown account", edit("{to: bob@example.net, from", "{to: rob@example.net, from"), `goal.delivered.to: "rob@example.net" is not an account of this world (accounts: alice@example.org, bob@example.net) (line 12)`},
		{"from is not the sender", edit("from: alice@example.org}", "from: bob@example.net}"), `goal.delivered.from: "bob@example.net" never sends the test mail: alice-laptop sends it as alice@example.org`},
		{"bad result", edit("from: alice@example.org}", "from: alice@example.org, dmarc: ok}"), `goal.delivered.dmarc: "ok" is not a result (pass, fail, none, softfail, neutral, temperror, permerror)`},
		{"unknown fetching device", edit("  queue-empty: true", "  fetched-by: [bob-tablet]"), `goal.fetched-by[0]: "bob-tablet" is not a device of this world`},
		{"no world", goodFile[:strings.Index(goodFile, "world:")], `world: is missing`},
		{"world without version", edit("  maillab-world: 1\n", ""), `world: not a Maillab world file: the line "maillab-world: 1" is missing (line 15)`},
		{"bad world field", edit("host: mx.nowhere.example.net", "host: -bad-"), "world.providers[1].dns.mx[0].host:"},
		{"world unknown key", edit("  devices:\n", "  gadgets: []\n  devices:\n"), `world.gadgets: unknown field "gadgets" in the top level`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadText(tc.text)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			var fe *worldspec.FieldError
			assert.True(t, errors.As(err, &fe), "a *worldspec.FieldError: %T", err)
		})
	}
}

func TestLoadTooLarge(t *testing.T) {
	_, err := loadText(goodFile + "# " + strings.Repeat("x", worldspec.MaxFileBytes))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "larger than 16MiB")
}

// A teacher's file plays like a shipped challenge: its world fails the
// goal, the same world with the MX put right passes it.
func TestTeacherFileBrokenFailsFixedPasses(t *testing.T) {
	f, err := loadText(goodFile)
	require.NoError(t, err)
	c, err := f.Challenge()
	require.NoError(t, err)
	broken, _ := runWorld(t, c, c.World)
	assert.False(t, broken.Met, "%+v", broken)
	fixed := f.World.Clone()
	fixed.Provider("example.net").DNS = nil // the default zone: MX 10 mx.example.net
	text, err := worldspec.Marshal(fixed)
	require.NoError(t, err)
	res, err := runWorld(t, c, text)
	require.NoError(t, err)
	assert.True(t, res.Met, "%+v", res)
}

// runWorld starts the world text describes, runs c's test in it and checks
// the goal, then stops the world.
func runWorld(t *testing.T, c Challenge, text string) (sim.Result, error) {
	t.Helper()
	w := startWorld(t, text)
	defer w.Close()
	return check(t, w, c)
}
