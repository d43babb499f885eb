// Package lesson loads the lessons: one folder per lesson under
// lessons/content with a language-neutral lesson.yaml (scenario, the event
// patterns notes and quiz questions are tied to, the correct answers) and
// one Markdown file per language (en.md, de.md, pl.md) whose front matter
// holds the texts by id. Everything is embedded and validated at load.
package lesson

// Pattern picks events out of a run's log: all set fields must match.
type Pattern struct {
	Kind  string `yaml:"kind" json:"kind,omitempty"`   // line (default), packet, tls, action
	Proto string `yaml:"proto" json:"proto,omitempty"` // smtp, submission, lmtp, pop3, imap, dns
	Dir   string `yaml:"dir" json:"dir,omitempty"`     // C or S
	// Client and Server are node ids ("bob-phone").
	Client string `yaml:"client" json:"client,omitempty"`
	Server string `yaml:"server" json:"server,omitempty"`
	// Text is a regular expression (RE2) on the line's text.
	Text string `yaml:"text" json:"text,omitempty"`
	// Code matches an action's i18n code.
	Code string `yaml:"code" json:"code,omitempty"`
	// Nth picks the nth match (1-based); 0 means the first.
	Nth int `yaml:"nth" json:"nth,omitempty"`
}

// Note is a step-linked note: it appears when the run reaches the event
// its pattern matches, and stays highlighted while the view is there.
type Note struct {
	ID      string  `json:"id"`
	At      Pattern `json:"at"`
	Section string  `json:"section,omitempty"` // heading id of the body section it belongs to
	Text    string  `json:"text"`
}

// Question is a quiz question. A "next" question is asked before the event
// its pattern matches is released: the learner predicts the next line.
type Question struct {
	ID       string   `json:"id"`
	Kind     string   `json:"kind"` // choice or next
	Before   *Pattern `json:"before,omitempty"`
	Question string   `json:"question"`
	Answers  []string `json:"answers"`
	Correct  int      `json:"correct"` // index into Answers
	Explain  string   `json:"explain"`
}

// Lesson is one lesson in one language.
type Lesson struct {
	ID       string     `json:"id"`
	Number   int        `json:"number"`
	Scenario string     `json:"scenario,omitempty"` // empty: a reading page (tables, misconceptions)
	Title    string     `json:"title"`
	Summary  string     `json:"summary"`
	Body     string     `json:"body"` // Markdown
	Notes    []Note     `json:"notes"`
	Quiz     []Question `json:"quiz"`
	Lang     string     `json:"lang"`
	// Exercise is a task the learner does by hand in the live world.
	Exercise *Exercise `json:"exercise,omitempty"`
}

// Summary is one entry of the lesson menu.
type Summary struct {
	ID       string `json:"id"`
	Number   int    `json:"number"`
	Scenario string `json:"scenario,omitempty"`
	Title    string `json:"title"`
	Summary  string `json:"summary"`
}
