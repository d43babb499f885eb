package app

import (
	"strings"

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
