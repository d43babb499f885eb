package lesson

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"maillab/lessons"
	"maillab/simulator/scenario"
)

// Languages every lesson must have.
var Languages = []string{"en", "de", "pl"}

// spec is lesson.yaml: what does not depend on the language.
type spec struct {
	ID       string         `yaml:"id"`
	Number   int            `yaml:"number"`
	Scenario string         `yaml:"scenario"`
	Notes    []noteSpec     `yaml:"notes"`
	Quiz     []questionSpec `yaml:"quiz"`
	Exercise *exerciseSpec  `yaml:"exercise"`
}

type noteSpec struct {
	ID      string  `yaml:"id"`
	At      Pattern `yaml:"at"`
	Section string  `yaml:"section"`
}

type questionSpec struct {
	ID      string   `yaml:"id"`
	Kind    string   `yaml:"kind"`
	Before  *Pattern `yaml:"before"`
	Answers int      `yaml:"answers"`
	Correct int      `yaml:"correct"`
}

// validate: a choice question has one correct answer among at least two;
// a "next" question also names the event it is asked before.
func (q questionSpec) validate() error {
	if q.Answers < 2 || q.Correct < 0 || q.Correct >= q.Answers {
		return fmt.Errorf("needs 2 or more answers and exactly one correct index in range, has %d answers, correct %d", q.Answers, q.Correct)
	}
	switch q.Kind {
	case "choice":
		return nil
	case "next":
		if q.Before == nil {
			return errors.New(`a "next" question needs "before"`)
		}
		return q.Before.compile()
	}
	return fmt.Errorf("kind must be choice or next, not %q", q.Kind)
}

// texts is the front matter of en.md, de.md, pl.md.
type texts struct {
	Title   string            `yaml:"title"`
	Summary string            `yaml:"summary"`
	Notes   map[string]string `yaml:"notes"`
	Quiz    map[string]struct {
		Question string   `yaml:"question"`
		Answers  []string `yaml:"answers"`
		Explain  string   `yaml:"explain"`
	} `yaml:"quiz"`
	Exercise string `yaml:"exercise"` // the task, when lesson.yaml has an exercise
}

// Catalog holds every lesson in every language.
type Catalog struct {
	byLang map[string]map[string]Lesson
	order  []string
}

// Load reads and validates the embedded lessons.
func Load() (*Catalog, error) {
	sub, err := fs.Sub(lessons.Content, "content")
	if err != nil {
		return nil, err
	}
	return LoadFS(sub)
}

// LoadFS reads lessons from fsys (one folder per lesson).
func LoadFS(fsys fs.FS) (*Catalog, error) {
	dirs, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	c := &Catalog{byLang: map[string]map[string]Lesson{}}
	for _, l := range Languages {
		c.byLang[l] = map[string]Lesson{}
	}
	var errs []error
	for _, d := range dirs {
		if d.IsDir() {
			errs = append(errs, c.loadOne(fsys, d.Name()))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	c.sort()
	return c, nil
}

func (c *Catalog) loadOne(fsys fs.FS, dir string) error {
	raw, err := fs.ReadFile(fsys, path.Join(dir, "lesson.yaml"))
	if err != nil {
		return fmt.Errorf("lesson %s: %w", dir, err)
	}
	var s spec
	if err := yaml.Unmarshal(raw, &s); err != nil {
		return fmt.Errorf("lesson %s: lesson.yaml: %w", dir, err)
	}
	if err := s.validate(); err != nil {
		return fmt.Errorf("lesson %s: %w", dir, err)
	}
	for _, lang := range Languages {
		l, err := readLang(fsys, dir, lang, s)
		if err != nil {
			return fmt.Errorf("lesson %s (%s): %w", dir, lang, err)
		}
		c.byLang[lang][s.ID] = l
	}
	c.order = append(c.order, s.ID)
	return nil
}

func (s spec) validate() error {
	if s.ID == "" || s.Number <= 0 {
		return errors.New("lesson.yaml needs id and number")
	}
	seen := map[string]bool{}
	for _, n := range s.Notes {
		if n.ID == "" || seen[n.ID] {
			return fmt.Errorf("note id %q empty or repeated", n.ID)
		}
		seen[n.ID] = true
		if err := n.At.compile(); err != nil {
			return fmt.Errorf("note %s: %w", n.ID, err)
		}
	}
	for _, q := range s.Quiz {
		if q.ID == "" || seen[q.ID] {
			return fmt.Errorf("quiz id %q empty or repeated", q.ID)
		}
		seen[q.ID] = true
		if err := q.validate(); err != nil {
			return fmt.Errorf("question %s: %w", q.ID, err)
		}
	}
	return s.validateExercise()
}

// validateExercise: the live world has no script, so a lesson on it is an
// exercise (its model session stands in for the script), and an exercise
// happens nowhere else. The live world never holds a line, so nothing can
// be asked before one.
func (s spec) validateExercise() error {
	live := s.Scenario == scenario.LiveID
	switch {
	case s.Exercise == nil && !live:
		return nil
	case s.Exercise == nil:
		return fmt.Errorf("scenario %q needs an exercise", s.Scenario)
	case !live:
		return fmt.Errorf("an exercise needs scenario %q, not %q", scenario.LiveID, s.Scenario)
	}
	for _, q := range s.Quiz {
		if q.Kind == "next" {
			return fmt.Errorf("question %s: the live world holds no line to ask before", q.ID)
		}
	}
	return s.Exercise.validate()
}

func (p *Pattern) compile() error {
	if p.Text == "" {
		return nil
	}
	_, err := regexp.Compile(p.Text)
	return err
}

func readLang(fsys fs.FS, dir, lang string, s spec) (Lesson, error) {
	raw, err := fs.ReadFile(fsys, path.Join(dir, lang+".md"))
	if err != nil {
		return Lesson{}, err
	}
	front, body, err := splitFrontMatter(raw)
	if err != nil {
		return Lesson{}, err
	}
	var t texts
	if err := yaml.Unmarshal(front, &t); err != nil {
		return Lesson{}, fmt.Errorf("front matter: %w", err)
	}
	return assemble(s, t, lang, strings.TrimSpace(string(body)))
}

// splitFrontMatter cuts "---\nYAML\n---\nbody".
func splitFrontMatter(raw []byte) (front, body []byte, err error) {
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(raw, []byte("---\n")) {
		return nil, nil, errors.New("missing front matter")
	}
	rest := raw[4:]
	i := bytes.Index(rest, []byte("\n---\n"))
	if i < 0 {
		return nil, nil, errors.New("front matter is not closed")
	}
	return rest[:i], rest[i+5:], nil
}

func (c *Catalog) sort() {
	en := c.byLang["en"]
	sort.Slice(c.order, func(i, j int) bool { return en[c.order[i]].Number < en[c.order[j]].Number })
}
