package app

import (
	"errors"
	"io"
	"os"
	"strings"

	"maillab/lessons/i18n"

	"maillab/simulator/scenario"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// WorldFile is the current run's world as a world file (YAML, version
// line "maillab-world: 1"), ready to save and open again: providers,
// accounts with their passwords, policy, devices, limits, and the mail
// the world started with, or with withMail the mail in the mailboxes
// now. Before any run, the world the next run gets.
func (a *App) WorldFile(withMail bool) (string, error) {
	a.mu.Lock()
	r := a.run
	a.mu.Unlock()
	s := a.currentSpec()
	if r != nil && withMail {
		var err error
		if s, err = r.World.SpecWithMail(); err != nil {
			return "", err
		}
	}
	return worldspec.Marshal(s)
}

// OpenWorld makes text, a world file, the world of every run from now on
// and starts the current scenario again in it (the live world when none
// runs). A file that cannot be used changes nothing: the error names
// each field that is wrong and its line.
func (a *App) OpenWorld(text string) (RunInfo, error) {
	s, err := worldspec.Load(strings.NewReader(text))
	if err != nil {
		return RunInfo{}, err
	}
	a.mu.Lock()
	a.opts.World.Spec = &s
	id := a.scenario
	a.mu.Unlock()
	if id == "" {
		id = scenario.LiveID
	}
	return a.Start(id)
}

// currentSpec is the running world's spec, or the one the next run gets.
func (a *App) currentSpec() world.Spec {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.run != nil {
		return a.run.World.Spec()
	}
	return a.opts.World.EffectiveSpec()
}

// WorldFileName is the name a saved world file is offered under.
const WorldFileName = "maillab-world.yaml"

// SaveWorld asks where to save the running world as a world file (with
// withMail the mail in the mailboxes now) and writes it there, readable
// by its owner only: it holds every account's password. "" when the user
// cancelled. Only the desktop window has a file dialog; a browser
// downloads WorldFile's text instead.
func (a *App) SaveWorld(withMail bool, lang string) (string, error) {
	lang = exportLang(lang)
	if a.opts.SaveDialog == nil {
		return "", errors.New(i18n.T(lang, "export.desktop-only", nil))
	}
	text, err := a.WorldFile(withMail)
	if err != nil {
		return "", err
	}
	path, err := a.opts.SaveDialog(WorldFileName, "world", lang)
	if err != nil || path == "" {
		return "", err
	}
	return path, writePrivate(path, []byte(text), 0o600)
}

// OpenWorldFile asks which world file to open and runs the current
// scenario again in its world (OpenWorld). nil when the user cancelled:
// nothing changes then, nor when the file cannot be used (the error names
// each wrong field and its line). Only the desktop window has the dialog;
// a browser reads the file itself and calls OpenWorld.
func (a *App) OpenWorldFile(lang string) (*RunInfo, error) {
	data, err := a.openDialogFile("world", exportLang(lang))
	if err != nil || data == nil {
		return nil, err
	}
	info, err := a.OpenWorld(string(data))
	if err != nil {
		return nil, err
	}
	return &info, nil
}

// openDialogFile asks the desktop's Open dialog for a file of kind (world
// or challenge) and reads it: nil when the user cancelled. It reads one
// byte more than a file may have, so the loader can say it is too big.
func (a *App) openDialogFile(kind, lang string) ([]byte, error) {
	if a.opts.OpenDialog == nil {
		return nil, errors.New(i18n.T(lang, "desktop.open-only", nil))
	}
	path, err := a.opts.OpenDialog(kind, lang)
	if err != nil || path == "" {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, worldspec.MaxFileBytes+1))
}
