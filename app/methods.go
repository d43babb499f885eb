package app

import (
	"encoding/json"
	"fmt"

	"maillab/simulator/worldspec"
)

// call is one method a transport can dispatch by name: decode args, run, return a result.
type call struct {
	control bool // needs the control token
	// controlIf, when set, decides from the arguments whether this call
	// needs the token (an export with passwords does, one without not).
	controlIf func(args []json.RawMessage) bool
	run       func(args []json.RawMessage) (any, error)
	// maxBody is the largest request body the HTTP API reads for this
	// call (0: defaultMaxBody); only compose, which carries uploads,
	// needs more.
	maxBody int64
}

// defaultMaxBody bounds every call's arguments but compose's.
const defaultMaxBody = 1 << 16

func (c call) bodyLimit() int64 {
	if c.maxBody > 0 {
		return c.maxBody
	}
	return defaultMaxBody
}

// Methods is the one method table every transport dispatches from: the
// HTTP API (/api/call/<method>) and the web edition's worker. The Wails
// window binds the same App methods directly.
func Methods(a *App) map[string]call {
	return map[string]call{
		"scenarios": {run: withString(func(s string) (any, error) { return a.Scenarios(s) })},
		"catalog":   {run: withString(func(s string) (any, error) { return a.Catalog(s) })},
		"events":    {run: withUintInt(func(n uint64, limit int) (any, error) { return a.Events(n, limit) })},
		"snapshot":  {run: noArgs(func() (any, error) { return a.Snapshot() })},
		"line":      {run: withUint(func(n uint64) (any, error) { return a.Line(n) })},
		"run":       {run: noArgs(func() (any, error) { return a.Run() })},
		"ready":     {run: noArgs(func() (any, error) { return nil, a.Ready() })},
		"waiting":   {run: noArgs(func() (any, error) { return a.Waiting() })},
		"lessons":   {run: withString(func(s string) (any, error) { return a.Lessons(s) })},
		"lesson":    {run: withTwoStrings(func(id, lang string) (any, error) { return a.Lesson(id, lang) })},
		"start":     {control: true, run: withString(func(s string) (any, error) { return a.Start(s) })},
		"reset":     {control: true, run: noArgs(func() (any, error) { return a.Reset() })},

		// the classroom: this Maillab as one provider of a room
		"joinRoom": {control: true, run: withFourStrings(func(addr, code, name, lang string) (any, error) {
			return a.JoinRoom(addr, code, name, lang)
		})},
		"leaveRoom":  {control: true, run: noArgs(func() (any, error) { return a.LeaveRoom() })},
		"roomStatus": {control: true, run: withString(func(lang string) (any, error) { return a.RoomStatus(lang) })},
		"step":       {control: true, run: noArgs(func() (any, error) { return a.Step() })},
		"pause":      {control: true, run: noArgs(func() (any, error) { return nil, a.Pause() })},
		"play":       {control: true, run: withInt(func(n int) (any, error) { return nil, a.Play(n) })},

		// the "Connect your own mail client" page
		"clientSettings": {run: withString(func(s string) (any, error) { return a.ClientSettings(s) })},

		// the "Type it yourself" terminal
		"terminalTargets": {run: noArgs(func() (any, error) { return a.TerminalTargets() })},
		"terminalLog":     {run: withInt(func(id int) (any, error) { return a.TerminalLog(id) })},
		"terminalOpen": {control: true, run: withStringInt(func(host string, port int) (any, error) {
			return a.TerminalOpen(host, port)
		})},
		"terminalSend": {control: true, run: withIntString(func(id int, line string) (any, error) {
			return nil, a.TerminalSend(id, line)
		})},
		"terminalClose": {control: true, run: withInt(func(id int) (any, error) { return nil, a.TerminalClose(id) })},

		// lesson 13's "send Bob a mail by hand": only looks, so viewers may ask too
		"checkExercise": {run: withString(func(id string) (any, error) { return a.CheckExercise(id) })},

		// world files (#18): the file has the passwords, so both need the token
		"worldFile": {control: true, run: withBool(func(withMail bool) (any, error) { return a.WorldFile(withMail) })},
		"openWorld": {control: true, run: withString(func(text string) (any, error) { return a.OpenWorld(text) })},

		// the DNS record check of the world settings (#18): only looks
		"checkRecord": {run: withThreeStrings(func(kind, text, lang string) (any, error) { return a.CheckRecord(kind, text, lang) })},
		"dnsZone":     {run: withString(func(domain string) (any, error) { return a.DNSZone(domain) })},
		"setDNS":      {control: true, run: withStringZone(a.SetDNS)},

		// the World settings dialog (#18, settings.go): viewers see it without passwords
		"worldSettings": {run: noArgs(func() (any, error) { return a.WorldSettings() })},
		"addAccount": {control: true, run: func(args []json.RawMessage) (any, error) {
			var addr, pw, quota, lang string
			if err := decodeArgs(args, &addr, &pw, &quota, &lang); err != nil {
				return nil, err
			}
			return nil, a.AddAccount(addr, pw, quota, lang)
		}},
		"removeAccount": {control: true, run: withTwoStrings(func(addr, lang string) (any, error) { return nil, a.RemoveAccount(addr, lang) })},
		"setPassword": {control: true, run: withThreeStrings(func(addr, pw, lang string) (any, error) {
			return nil, a.SetPassword(addr, pw, lang)
		})},
		"setAccountQuota": {control: true, run: withThreeStrings(func(addr, quota, lang string) (any, error) {
			return nil, a.SetAccountQuota(addr, quota, lang)
		})},
		"setPolicy": {control: true, run: func(args []json.RawMessage) (any, error) {
			var domain, lang string
			var pol PolicySettings
			if err := decodeArgs(args, &domain, &pol, &lang); err != nil {
				return nil, err
			}
			return nil, a.SetPolicy(domain, pol, lang)
		}},
		"setServerUp": {control: true, run: func(args []json.RawMessage) (any, error) {
			var domain, server, lang string
			var up bool
			if err := decodeArgs(args, &domain, &server, &up, &lang); err != nil {
				return nil, err
			}
			return nil, a.SetServerUp(domain, server, up, lang)
		}},

		"setDevice": {control: true, run: func(args []json.RawMessage) (any, error) {
			var name, lang string
			var d DeviceSettings
			if err := decodeArgs(args, &name, &d, &lang); err != nil {
				return nil, err
			}
			return nil, a.SetDevice(name, d, lang)
		}},

		// the built-in mail client on every device (mailclient.go)
		"devices":     {run: noArgs(func() (any, error) { return a.Devices() })},
		"mailSamples": {run: noArgs(func() (any, error) { return a.MailSamples() })},
		"compose": {control: true, maxBody: composeMaxBody, run: func(args []json.RawMessage) (any, error) {
			var req ComposeRequest
			if err := arg(args, 0, &req); err != nil {
				return nil, err
			}
			return a.Compose(req)
		}},
		"checkMail": {control: true, run: func(args []json.RawMessage) (any, error) {
			var req CheckRequest
			if err := arg(args, 0, &req); err != nil {
				return nil, err
			}
			return a.CheckMail(req)
		}},
		"openMail": {control: true, run: func(args []json.RawMessage) (any, error) {
			var req OpenRequest
			if err := arg(args, 0, &req); err != nil {
				return nil, err
			}
			return a.OpenMail(req)
		}},

		// troubleshooting challenges (#18, challenge.go); lang may be left out (en)
		"challenges":      {run: withOptString(func(lang string) (any, error) { return a.Challenges(lang) })},
		"startChallenge":  {control: true, run: withStringOptString(func(id, lang string) (any, error) { return a.StartChallenge(id, lang) })},
		"checkChallenge":  {control: true, run: withOptString(func(lang string) (any, error) { return a.CheckChallenge(lang) })},
		"challengeStatus": {run: withOptString(func(lang string) (any, error) { return a.ChallengeStatus(lang) })},
		"nextHint":        {control: true, run: withOptString(func(lang string) (any, error) { return a.NextHint(lang) })},
		// a teacher's own challenge (challengefile.go): the file has the world's passwords
		"challengeGoals": {run: withOptString(func(lang string) (any, error) { return a.ChallengeGoals(lang) })},
		"challengeFile": {control: true, run: func(args []json.RawMessage) (any, error) {
			var d ChallengeDraft
			var lang string
			if err := decodeArgs(args, &d, &lang); err != nil {
				return nil, err
			}
			return a.ChallengeFile(d, lang)
		}},
		"openChallenge": {control: true, run: withStringOptString(func(text, lang string) (any, error) { return a.OpenChallenge(text, lang) })},

		// hosting a classroom (#19, room.go): opening and closing listen on
		// the LAN, so they need the token; the screen is the projector's
		"hostRoom": {control: true, run: func(args []json.RawMessage) (any, error) {
			var opts RoomOptions
			var lang string
			if err := decodeArgs(args, &opts, &lang); err != nil {
				return nil, err
			}
			return a.HostRoom(opts, lang)
		}},
		"roomScreen": {run: func(args []json.RawMessage) (any, error) {
			var lang string
			var since uint64
			if len(args) > 0 {
				if err := arg(args, 0, &lang); err != nil {
					return nil, err
				}
			}
			if len(args) > 1 {
				if err := arg(args, 1, &since); err != nil {
					return nil, err
				}
			}
			return a.RoomScreen(lang, since)
		}},
		"closeRoom": {control: true, run: noArgs(func() (any, error) { return nil, a.CloseRoom() })},
		// the room's challenge (roomchallenge.go): a shipped one or a challenge file
		"handOutChallenge":     {control: true, run: withStringOptString(func(id, lang string) (any, error) { return a.HandOutChallenge(id, lang) })},
		"handOutChallengeText": {control: true, run: withStringOptString(func(text, lang string) (any, error) { return a.HandOutChallengeText(text, lang) })},
		"withdrawChallenge":    {control: true, run: noArgs(func() (any, error) { return nil, a.WithdrawChallenge() })},

		// exports of the current run; passwords and TLS keys need the token
		"export": {controlIf: exportWantsSecrets, run: withExportArgs(a.Export)},
	}
}

func noArgs(f func() (any, error)) func([]json.RawMessage) (any, error) {
	return func([]json.RawMessage) (any, error) { return f() }
}

func withString(f func(string) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var s string
		if err := arg(args, 0, &s); err != nil {
			return nil, err
		}
		return f(s)
	}
}

func withTwoStrings(f func(string, string) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var x, y string
		if err := arg(args, 0, &x); err != nil {
			return nil, err
		}
		if err := arg(args, 1, &y); err != nil {
			return nil, err
		}
		return f(x, y)
	}
}

func withFourStrings(f func(string, string, string, string) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var v [4]string
		for i := range v {
			if err := arg(args, i, &v[i]); err != nil {
				return nil, err
			}
		}
		return f(v[0], v[1], v[2], v[3])
	}
}

func withThreeStrings(f func(string, string, string) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var x, y, z string
		for i, p := range []*string{&x, &y, &z} {
			if err := arg(args, i, p); err != nil {
				return nil, err
			}
		}
		return f(x, y, z)
	}
}

func withStringZone(f func(string, worldspec.DNS) (worldspec.DNS, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var s string
		var z worldspec.DNS
		if err := arg(args, 0, &s); err != nil {
			return nil, err
		}
		if err := arg(args, 1, &z); err != nil {
			return nil, err
		}
		return f(s, z)
	}
}

// withOptString: a left-out argument is "".
func withOptString(f func(string) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var s string
		if len(args) > 0 {
			if err := arg(args, 0, &s); err != nil {
				return nil, err
			}
		}
		return f(s)
	}
}

// withStringOptString: the second argument may be left out ("").
func withStringOptString(f func(string, string) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var x, y string
		if err := arg(args, 0, &x); err != nil {
			return nil, err
		}
		if len(args) > 1 {
			if err := arg(args, 1, &y); err != nil {
				return nil, err
			}
		}
		return f(x, y)
	}
}

// withBool: a left-out argument is false.
func withBool(f func(bool) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var b bool
		if len(args) > 0 {
			if err := arg(args, 0, &b); err != nil {
				return nil, err
			}
		}
		return f(b)
	}
}

func withInt(f func(int) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var n int
		if err := arg(args, 0, &n); err != nil {
			return nil, err
		}
		return f(n)
	}
}

func withStringInt(f func(string, int) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var s string
		var n int
		if err := arg(args, 0, &s); err != nil {
			return nil, err
		}
		if err := arg(args, 1, &n); err != nil {
			return nil, err
		}
		return f(s, n)
	}
}

func withIntString(f func(int, string) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var n int
		var s string
		if err := arg(args, 0, &n); err != nil {
			return nil, err
		}
		if err := arg(args, 1, &s); err != nil {
			return nil, err
		}
		return f(n, s)
	}
}

func withUint(f func(uint64) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var n uint64
		if err := arg(args, 0, &n); err != nil {
			return nil, err
		}
		return f(n)
	}
}

// withUintInt: the second argument may be left out (0), as by callers of
// the one-argument events(since) before it was paged.
func withUintInt(f func(uint64, int) (any, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var n uint64
		var m int
		if err := arg(args, 0, &n); err != nil {
			return nil, err
		}
		if len(args) > 1 {
			if err := arg(args, 1, &m); err != nil {
				return nil, err
			}
		}
		return f(n, m)
	}
}

func arg(args []json.RawMessage, i int, v any) error {
	if i >= len(args) {
		return fmt.Errorf("missing argument %d", i+1)
	}
	if err := json.Unmarshal(args[i], v); err != nil {
		return fmt.Errorf("argument %d: %w", i+1, err)
	}
	return nil
}

// exportWantsSecrets: the JSON call export(kind, lang, keys, secrets)
// needs the token when keys or secrets are asked for.
func exportWantsSecrets(args []json.RawMessage) bool {
	for _, i := range []int{2, 3} {
		var b bool
		if arg(args, i, &b) == nil && b {
			return true
		}
	}
	return false
}

func withExportArgs(f func(kind, lang string, keys, secrets bool) (ExportFile, error)) func([]json.RawMessage) (any, error) {
	return func(args []json.RawMessage) (any, error) {
		var kind, lang string
		var keys, secrets bool
		for i, v := range []any{&kind, &lang, &keys, &secrets} {
			if err := arg(args, i, v); err != nil {
				return nil, err
			}
		}
		return f(kind, lang, keys, secrets)
	}
}
