package app

import (
	"errors"
	"slices"
	"strings"

	"maillab/lessons/challenge"
	"maillab/lessons/i18n"
	sim "maillab/simulator/challenge"
)

// A teacher's own challenge (#18): "Make a challenge…" takes the running
// world as it is now (broken by hand in the settings), a goal chosen from
// the checker's facts, the teacher's hints and texts, and writes a
// challenge file (lessons/challenge.File); opening one starts it like a
// shipped challenge.

// ChallengeFileName is the name a saved challenge file is offered under.
const ChallengeFileName = "maillab-challenge.yaml"

// ChallengeDraft is what the teacher wrote: texts in the teacher's
// language, the test mail and the goal. The world is the running one.
type ChallengeDraft struct {
	Title       string   `json:"title"`
	Task        string   `json:"task"`
	Hints       []string `json:"hints"`
	Explanation string   `json:"explanation"`
	Test        sim.Test `json:"test"`
	Goal        sim.Goal `json:"goal"`
}

// GoalOption is one value a parameter may take, and how it is shown.
type GoalOption struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// GoalParam is one parameter of a goal fact: chosen from Options, or
// typed when there are none; Many: several of the options at once.
type GoalParam struct {
	Key      string       `json:"key"`
	Name     string       `json:"name"`
	Options  []GoalOption `json:"options"`
	Optional bool         `json:"optional,omitempty"`
	Many     bool         `json:"many,omitempty"`
}

// GoalFact is one fact a goal may ask for.
type GoalFact struct {
	Key    string      `json:"key"` // delivered, queue-empty, fetched-by
	Name   string      `json:"name"`
	Params []GoalParam `json:"params"`
}

// GoalChoices is what "Make a challenge…" offers: the facts the goal
// checker knows with their parameters, filled with the running world's
// accounts and devices, and the test mail's senders and routes.
type GoalChoices struct {
	Facts    []GoalFact   `json:"facts"`
	Devices  []GoalOption `json:"devices"`  // value: device name; label: name (account)
	Accounts []GoalOption `json:"accounts"` // value and label: the address
	Routes   []GoalOption `json:"routes"`   // 587, 465, 25
}

// ChallengeGoals lists the goals one can choose, in lang.
func (a *App) ChallengeGoals(lang string) (GoalChoices, error) {
	lang = exportLang(lang)
	t := func(key string) string { return i18n.T(lang, key, nil) }
	spec := a.currentSpec()
	var c GoalChoices
	for _, d := range spec.Devices {
		c.Devices = append(c.Devices, GoalOption{Value: d.Name, Label: d.Name + " (" + d.Account + ")"})
	}
	for _, p := range spec.Providers {
		for _, acc := range p.Accounts {
			c.Accounts = append(c.Accounts, GoalOption{Value: acc.Address, Label: acc.Address})
		}
	}
	for _, r := range challenge.Routes {
		c.Routes = append(c.Routes, GoalOption{Value: r, Label: t("ui.chedit.route." + r)})
	}
	var results []GoalOption
	for _, r := range challenge.AuthResults {
		results = append(results, GoalOption{Value: r, Label: r})
	}
	auth := func(key string) GoalParam {
		return GoalParam{Key: key, Name: t("ui.chedit.param." + key), Options: results, Optional: true}
	}
	c.Facts = []GoalFact{
		{Key: "delivered", Name: t("ui.chedit.fact.delivered"), Params: []GoalParam{
			{Key: "to", Name: t("ui.chedit.param.to"), Options: c.Accounts},
			{Key: "from", Name: t("ui.chedit.param.from"), Options: c.Accounts},
			{Key: "folder", Name: t("ui.chedit.param.folder"), Options: []GoalOption{}, Optional: true},
			auth("spf"), auth("dkim"), auth("dmarc"),
		}},
		{Key: "queue-empty", Name: t("ui.chedit.fact.queue-empty"), Params: []GoalParam{}},
		{Key: "fetched-by", Name: t("ui.chedit.fact.fetched-by"), Params: []GoalParam{
			{Key: "devices", Name: t("ui.chedit.param.devices"), Options: c.Devices, Many: true},
		}},
	}
	return c, nil
}

// challengeFile is the draft with the running world as a challenge file.
// The devices the goal says must have fetched the mail check their mail
// after the test mail (unless the draft names others).
func (a *App) challengeFile(d ChallengeDraft) challenge.File {
	f := challenge.File{Version: challenge.FileVersion, Title: challenge.PlainText(d.Title), Task: challenge.PlainText(d.Task),
		Explanation: challenge.PlainText(d.Explanation), Test: d.Test, Goal: d.Goal, World: a.currentSpec()}
	for _, h := range d.Hints {
		f.Hints = append(f.Hints, challenge.PlainText(h))
	}
	if len(f.Test.Check) == 0 {
		f.Test.Check = slices.Clone(d.Goal.FetchedBy)
	}
	return f
}

// ChallengeFile is the draft with the running world, as it is now, as a
// challenge file's text. A draft that cannot be played is an error with
// one line per wrong field.
func (a *App) ChallengeFile(d ChallengeDraft, lang string) (string, error) {
	return a.challengeFile(d).Marshal()
}

// SaveChallenge asks where to save the challenge file ChallengeFile makes
// and writes it there, readable by its owner only (the world has the
// passwords). "" when the user cancelled. Only the desktop window has a
// file dialog; a browser downloads ChallengeFile's text instead.
func (a *App) SaveChallenge(d ChallengeDraft, lang string) (string, error) {
	lang = exportLang(lang)
	if a.opts.SaveDialog == nil {
		return "", errors.New(i18n.T(lang, "export.desktop-only", nil))
	}
	text, err := a.ChallengeFile(d, lang)
	if err != nil {
		return "", err
	}
	path, err := a.opts.SaveDialog(ChallengeFileName, "challenge", lang)
	if err != nil || path == "" {
		return "", err
	}
	return path, writePrivate(path, []byte(text), 0o600)
}

// OpenChallenge starts the challenge a file's text holds, as a shipped
// one starts: its broken world runs live, no hints shown, not solved. A
// file that cannot be used changes nothing: the error names each wrong
// field and its line.
func (a *App) OpenChallenge(text, lang string) (ChallengeStatus, error) {
	f, err := challenge.LoadFile(strings.NewReader(text))
	if err != nil {
		return ChallengeStatus{}, err
	}
	c, err := f.Challenge()
	if err != nil {
		return ChallengeStatus{}, err
	}
	return a.startChallenge(c, exportLang(lang))
}

// OpenChallengeFile asks which challenge file to open and starts it
// (OpenChallenge). nil when the user cancelled. Only the desktop window
// has the dialog; a browser reads the file itself and calls OpenChallenge.
func (a *App) OpenChallengeFile(lang string) (*ChallengeStatus, error) {
	lang = exportLang(lang)
	data, err := a.openDialogFile("challenge", lang)
	if err != nil || data == nil {
		return nil, err
	}
	st, err := a.OpenChallenge(string(data), lang)
	if err != nil {
		return nil, err
	}
	return &st, nil
}
