// Package challenge holds Maillab's troubleshooting challenges: each is a
// world file with a fault (files/<id>.world.yaml), a goal the simulator
// checks on the running world and the test mail that shows it
// (files/<id>.challenge.yaml), and the known fix, the same world file
// repaired (files/<id>.fix.yaml), which the tests apply. The words —
// title, task, hints shown one at a time, the explanation shown when
// solved — are catalogue keys challenge.<id>.* in EN, DE and PL.
package challenge

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"maillab/lessons/i18n"
	sim "maillab/simulator/challenge"
)

//go:embed files/*.yaml
var files embed.FS

// Challenge is one troubleshooting challenge.
type Challenge struct {
	ID    string   `yaml:"id"`
	Order int      `yaml:"order"`
	Test  sim.Test `yaml:"test"`
	Goal  sim.Goal `yaml:"goal"`
	Hints int      `yaml:"hints"` // hint keys challenge.<id>.hint.1 … .hint.N
	// World is the broken world file; Fix the known fix (the changed file).
	World string `yaml:"-"`
	Fix   string `yaml:"-"`
	// Own holds a teacher's challenge file's texts (LoadFile); nil for
	// the shipped challenges, whose texts are in the catalogue.
	Own *File `yaml:"-"`
}

// TitleKey, TaskKey, HintKey and ExplanationKey name the texts.
func (c Challenge) TitleKey() string       { return "challenge." + c.ID + ".title" }
func (c Challenge) TaskKey() string        { return "challenge." + c.ID + ".task" }
func (c Challenge) ExplanationKey() string { return "challenge." + c.ID + ".explanation" }
func (c Challenge) HintKey(n int) string   { return "challenge." + c.ID + ".hint." + strconv.Itoa(n) }

var all = mustLoad()

func mustLoad() []Challenge {
	names, err := files.ReadDir("files")
	if err != nil {
		panic(err)
	}
	var out []Challenge
	for _, n := range names {
		id, ok := strings.CutSuffix(n.Name(), ".challenge.yaml")
		if !ok {
			continue
		}
		c, err := load(id)
		if err != nil {
			panic(err)
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Challenge) int { return a.Order - b.Order })
	return out
}

func load(id string) (Challenge, error) {
	var c Challenge
	data, err := files.ReadFile("files/" + id + ".challenge.yaml")
	if err != nil {
		return c, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("challenge %s: %w", id, err)
	}
	if c.ID != id {
		return c, fmt.Errorf("challenge %s: id %q differs from the file name", id, c.ID)
	}
	w, err := files.ReadFile("files/" + id + ".world.yaml")
	if err != nil {
		return c, err
	}
	f, err := files.ReadFile("files/" + id + ".fix.yaml")
	if err != nil {
		return c, err
	}
	c.World, c.Fix = string(w), string(f)
	return c, nil
}

// All lists the challenges in their order.
func All() []Challenge { return slices.Clone(all) }

// ByID finds a challenge.
func ByID(id string) (Challenge, bool) {
	for _, c := range all {
		if c.ID == id {
			return c, true
		}
	}
	return Challenge{}, false
}

// Text is a challenge's text in lang.
func Text(lang, key string) string { return i18n.T(lang, key, nil) }

// FactText is a part of a goal in words, in lang ("A mail from … is in
// the inbox of …").
func FactText(lang string, f sim.Fact) string {
	key := "challenge.fact." + f.Key
	var auth []string
	for _, k := range []string{"spf", "dkim", "dmarc"} {
		if v := f.Params[k]; v != "" {
			auth = append(auth, strings.ToUpper(k)+" "+v)
		}
	}
	p := f.Params
	if len(auth) > 0 {
		key = "challenge.fact.delivered-auth"
		p = map[string]string{"from": f.Params["from"], "to": f.Params["to"], "auth": strings.Join(auth, ", ")}
	}
	return i18n.T(lang, key, p)
}

// Resolve is the shipped challenge id names or, with id empty, the one a
// challenge file's text holds (LoadFile): a classroom's host hands out
// either.
func Resolve(id, text string) (Challenge, error) {
	if id != "" {
		c, ok := ByID(id)
		if !ok {
			return Challenge{}, fmt.Errorf("challenge: no challenge %q", id)
		}
		return c, nil
	}
	f, err := LoadFile(strings.NewReader(text))
	if err != nil {
		return Challenge{}, err
	}
	return f.Challenge()
}
