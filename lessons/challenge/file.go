package challenge

import (
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"maillab/lessons/i18n"
	sim "maillab/simulator/challenge"
	"maillab/simulator/worldspec"
)

// A teacher's challenge file: one YAML file with the version line
// "maillab-challenge: 1", the teacher's own texts (title, task, hints in
// order, explanation), the test mail, the goal and the broken world (a
// world file, embedded under world:). Texts are plain text in the
// teacher's language, or one per language (en, de, pl).

// FileVersion is the challenge-file format this Maillab reads and writes;
// FileVersionKey its first key.
const (
	FileVersion    = 1
	FileVersionKey = "maillab-challenge"
)

// FileID is the ID of a challenge opened from a file (shipped ones have
// their own).
const FileID = "file"

// Limits on a challenge file's texts: enough for a lesson, not a book.
const (
	MaxHints            = 10
	MaxTitleRunes       = 120
	MaxTaskRunes        = 2000
	MaxHintRunes        = 1000
	MaxExplanationRunes = 4000
	MaxSubjectRunes     = 200
)

// TextLangs are the languages a text may be given in.
var TextLangs = []string{"en", "de", "pl"}

// AuthResults are the values an Authentication-Results field gives
// (RFC 8601 §2.7) that a goal may ask for.
var AuthResults = []string{"pass", "fail", "none", "softfail", "neutral", "temperror", "permerror"}

// Routes are the ways the test mail may be sent: submission with
// STARTTLS, implicit TLS, or straight to the MX.
var Routes = []string{"587", "465", "25"}

// OwnText is a teacher's text: one string in the teacher's language
// (Plain), or one per language (ByLang, keys from TextLangs).
type OwnText struct {
	Plain  string
	ByLang map[string]string
}

// PlainText is a text in the teacher's language.
func PlainText(s string) OwnText { return OwnText{Plain: s} }

// In is the text in lang: that language's, else English, else the first
// given, else the plain one.
func (t OwnText) In(lang string) string {
	if s := t.ByLang[lang]; s != "" {
		return s
	}
	if s := t.ByLang["en"]; s != "" {
		return s
	}
	for _, l := range TextLangs {
		if s := t.ByLang[l]; s != "" {
			return s
		}
	}
	return t.Plain
}

// MarshalYAML writes a plain text as a string, one per language as keys.
func (t OwnText) MarshalYAML() (any, error) {
	if len(t.ByLang) == 0 {
		return textNode(t.Plain), nil
	}
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, l := range TextLangs {
		if s, ok := t.ByLang[l]; ok {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: l}, textNode(s))
		}
	}
	return n, nil
}

// textNode is a string, a literal block when it has several lines.
func textNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

// File is a teacher's challenge file.
type File struct {
	Version     int            `yaml:"maillab-challenge"`
	Title       OwnText        `yaml:"title"`
	Task        OwnText        `yaml:"task"`
	Hints       []OwnText      `yaml:"hints,omitempty"`
	Explanation OwnText        `yaml:"explanation"`
	Test        sim.Test       `yaml:"test"`
	Goal        sim.Goal       `yaml:"goal"`
	World       worldspec.Spec `yaml:"world"`
}

// fileKeys are a challenge file's top-level keys, in the order it is written.
var fileKeys = []string{FileVersionKey, "title", "task", "hints", "explanation", "test", "goal", "world"}

// LoadFile reads a challenge file. Every problem is a
// *worldspec.FieldError naming the field as the file spells it
// (hints[2], goal.delivered.to, world.providers[0].dns.mx[0].host) and
// its line; several are joined (errors.Join).
func LoadFile(r io.Reader) (File, error) {
	var f File
	data, err := io.ReadAll(io.LimitReader(r, worldspec.MaxFileBytes+1))
	if err != nil {
		return f, err
	}
	if len(data) > worldspec.MaxFileBytes {
		return f, &worldspec.FieldError{Msg: fmt.Sprintf("the file is larger than %s, more than a challenge file needs", worldspec.FormatSize(worldspec.MaxFileBytes))}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return f, &worldspec.FieldError{Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return f, &worldspec.FieldError{Msg: "the file is empty; a challenge file starts with \"" + FileVersionKey + ": 1\""}
	}
	root := doc.Content[0]
	values, err := topLevel(root)
	if err != nil {
		return f, err
	}
	p := &problems{lines: map[string]int{}}
	f.Version = FileVersion
	for _, t := range []struct {
		key string
		dst *OwnText
	}{{"title", &f.Title}, {"task", &f.Task}, {"explanation", &f.Explanation}} {
		n := values[t.key]
		if n == nil {
			p.add(t.key, root.Line, "is missing")
			continue
		}
		recordLines(n, t.key, p.lines)
		text, err := decodeText(n, t.key)
		if err != nil {
			p.errs = append(p.errs, err)
		}
		*t.dst = text
	}
	if n := values["hints"]; n != nil {
		if n.Kind != yaml.SequenceNode {
			p.add("hints", n.Line, "must be a list (one \"- \" line per hint, in the order they are shown), not %s", describe(n))
		} else if len(n.Content) > MaxHints {
			p.add("hints", n.Line, "%d hints; at most %d", len(n.Content), MaxHints)
		} else {
			for i, h := range n.Content {
				at := fmt.Sprintf("hints[%d]", i)
				t, err := decodeText(h, at)
				if err != nil {
					p.errs = append(p.errs, err)
				}
				recordLines(h, at, p.lines)
				f.Hints = append(f.Hints, t)
			}
		}
	}
	for key, v := range map[string]any{"test": &f.Test, "goal": &f.Goal} {
		n := values[key]
		if n == nil {
			p.add(key, root.Line, "is missing")
			continue
		}
		if err := worldspec.DecodeNode(n, key, v); err != nil {
			p.errs = append(p.errs, err)
		}
		recordLines(n, key, p.lines)
	}
	if n := values["world"]; n == nil {
		p.add("world", root.Line, "is missing: the broken world, a world file starting with \"%s: 1\"", worldspec.VersionKey)
	} else if s, err := worldspec.LoadNode(n); err != nil {
		p.errs = append(p.errs, prefixed("world", n.Line, err)...)
	} else {
		f.World = s
	}
	if len(p.errs) > 0 { // the parts must be read before they are checked together
		return f, errors.Join(p.errs...)
	}
	return f, f.validate(p)
}

// topLevel checks the version line and the top-level keys and returns
// each key's value.
func topLevel(root *yaml.Node) (map[string]*yaml.Node, error) {
	notFile := "not a Maillab challenge file: "
	if root.Kind != yaml.MappingNode {
		return nil, &worldspec.FieldError{Line: root.Line, Msg: notFile + "it must be keys and values, starting with \"" + FileVersionKey + ": 1\""}
	}
	values := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if first, dup := values[k.Value]; dup {
			return nil, &worldspec.FieldError{Path: k.Value, Line: k.Line, Msg: fmt.Sprintf("given twice (first on line %d)", first.Line)}
		}
		if !slices.Contains(fileKeys, k.Value) {
			return nil, &worldspec.FieldError{Path: k.Value, Line: k.Line, Msg: fmt.Sprintf("unknown field %q in the top level (known: %s)", k.Value, strings.Join(fileKeys, ", "))}
		}
		values[k.Value] = v
	}
	v := values[FileVersionKey]
	if v == nil {
		return nil, &worldspec.FieldError{Line: root.Line, Msg: notFile + "the line \"" + FileVersionKey + ": 1\" is missing"}
	}
	n, err := strconv.Atoi(v.Value)
	switch {
	case v.Kind != yaml.ScalarNode || err != nil:
		return nil, &worldspec.FieldError{Path: FileVersionKey, Line: v.Line, Msg: fmt.Sprintf("%q is not a version number (this Maillab reads version %d)", v.Value, FileVersion)}
	case n > FileVersion:
		return nil, &worldspec.FieldError{Path: FileVersionKey, Line: v.Line, Msg: fmt.Sprintf("version %d: the file was written for a newer Maillab; this one reads version %d", n, FileVersion)}
	case n != FileVersion:
		return nil, &worldspec.FieldError{Path: FileVersionKey, Line: v.Line, Msg: fmt.Sprintf("version %d: this Maillab reads version %d", n, FileVersion)}
	}
	return values, nil
}

// decodeText reads a text: a string, or one string per language.
func decodeText(n *yaml.Node, at string) (OwnText, error) {
	bad := func(format string, args ...any) error {
		return &worldspec.FieldError{Path: at, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag != "!!null":
		return OwnText{Plain: n.Value}, nil
	case n.Kind != yaml.MappingNode:
		return OwnText{}, bad("must be a text, or one text per language (%s), not %s", strings.Join(TextLangs, ", "), describe(n))
	}
	t := OwnText{ByLang: map[string]string{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		sub := at + "." + k.Value
		if !slices.Contains(TextLangs, k.Value) {
			msg := fmt.Sprintf("unknown language %q (known: %s)", k.Value, strings.Join(TextLangs, ", "))
			if utf8.RuneCountInString(k.Value) > 3 {
				msg = fmt.Sprintf("%q is not a language: a text with \": \" in it needs quotes ('…' or \"…\")", k.Value)
				sub = at
			}
			return OwnText{}, &worldspec.FieldError{Path: sub, Line: k.Line, Msg: msg}
		}
		if _, dup := t.ByLang[k.Value]; dup {
			return OwnText{}, &worldspec.FieldError{Path: sub, Line: k.Line, Msg: "given twice"}
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return OwnText{}, &worldspec.FieldError{Path: sub, Line: v.Line, Msg: "must be a text, not " + describe(v)}
		}
		t.ByLang[k.Value] = v.Value
	}
	return t, nil
}

func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a set of keys"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Tag == "!!null":
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

// recordLines remembers the line of every path under n.
func recordLines(n *yaml.Node, path string, lines map[string]int) {
	lines[path] = n.Line
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			recordLines(n.Content[i+1], path+"."+n.Content[i].Value, lines)
		}
	case yaml.SequenceNode:
		for i, e := range n.Content {
			recordLines(e, fmt.Sprintf("%s[%d]", path, i), lines)
		}
	}
}

// prefixed puts "world." before the paths of a world file's errors.
func prefixed(prefix string, line int, err error) []error {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]error, 0, len(list))
	for _, e := range list {
		var fe *worldspec.FieldError
		if !errors.As(e, &fe) {
			out = append(out, e)
			continue
		}
		c := *fe
		if c.Path == "" {
			c.Path = prefix
		} else {
			c.Path = prefix + "." + c.Path
		}
		if c.Line == 0 {
			c.Line = line
		}
		out = append(out, &c)
	}
	return out
}

// problems collects what is wrong, each with its path and line.
type problems struct {
	lines map[string]int
	errs  []error
}

func (p *problems) add(path string, line int, format string, args ...any) {
	p.errs = append(p.errs, &worldspec.FieldError{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// at adds a problem at path, on its line (or its nearest parent's).
func (p *problems) at(path, format string, args ...any) {
	line := 0
	for q := path; q != ""; {
		if l, ok := p.lines[q]; ok {
			line = l
			break
		}
		i := strings.LastIndexAny(q, ".[")
		if i < 0 {
			break
		}
		q = q[:i]
	}
	p.add(path, line, format, args...)
}

// Validate reports every problem of f, each a *worldspec.FieldError
// naming the field; nil when f can be played.
func (f File) Validate() error {
	p := &problems{lines: map[string]int{}}
	if err := f.World.Validate(); err != nil {
		p.errs = append(p.errs, prefixed("world", 0, err)...)
		return errors.Join(p.errs...)
	}
	return f.validate(p)
}

func (f File) validate(p *problems) error {
	checkText(p, "title", f.Title, MaxTitleRunes)
	checkText(p, "task", f.Task, MaxTaskRunes)
	checkText(p, "explanation", f.Explanation, MaxExplanationRunes)
	if len(f.Hints) > MaxHints {
		p.at("hints", "%d hints; at most %d", len(f.Hints), MaxHints)
	} else {
		for i, h := range f.Hints {
			checkText(p, fmt.Sprintf("hints[%d]", i), h, MaxHintRunes)
		}
	}
	f.validateTest(p)
	f.validateGoal(p)
	return errors.Join(p.errs...)
}

// checkText: a text is there, in known languages, not too long.
func checkText(p *problems, at string, t OwnText, max int) {
	texts := map[string]string{"": t.Plain}
	if len(t.ByLang) > 0 {
		texts = t.ByLang
	}
	for _, l := range append([]string{""}, TextLangs...) {
		s, ok := texts[l]
		if !ok {
			continue
		}
		where := at
		if l != "" {
			where = at + "." + l
		}
		switch n := utf8.RuneCountInString(s); {
		case strings.TrimSpace(s) == "":
			p.at(where, "is empty")
		case !utf8.ValidString(s):
			p.at(where, "is not valid UTF-8 text")
		case n > max:
			p.at(where, "is %d characters long; at most %d", n, max)
		}
	}
	for l := range t.ByLang {
		if !slices.Contains(TextLangs, l) {
			p.at(at+"."+l, "unknown language %q (known: %s)", l, strings.Join(TextLangs, ", "))
		}
	}
}

func (f File) validateTest(p *problems) {
	t := f.Test
	if t.Device == "" {
		p.at("test.device", "is missing: the device whose mail client sends the test mail (%s)", f.deviceNames())
	} else if f.World.Device(t.Device) == nil {
		p.at("test.device", "%q is not a device of this world (devices: %s)", t.Device, f.deviceNames())
	}
	if t.To == "" {
		p.at("test.to", "is missing: the address the test mail goes to")
	} else if a, err := mail.ParseAddress(t.To); err != nil || a.Address != t.To || a.Name != "" {
		p.at("test.to", "%q is not a mail address (write bob@example.net)", t.To)
	}
	if t.Route != "" && !slices.Contains(Routes, t.Route) {
		p.at("test.route", "%q is not a way to send (%s)", t.Route, strings.Join(Routes, ", "))
	}
	if n := utf8.RuneCountInString(t.Subject); n > MaxSubjectRunes {
		p.at("test.subject", "is %d characters long; at most %d", n, MaxSubjectRunes)
	}
	for i, d := range t.Check {
		if f.World.Device(d) == nil {
			p.at(fmt.Sprintf("test.check[%d]", i), "%q is not a device of this world (devices: %s)", d, f.deviceNames())
		}
	}
}

func (f File) validateGoal(p *problems) {
	g := f.Goal
	if g.Delivered == nil && !g.QueueEmpty && len(g.FetchedBy) == 0 {
		p.at("goal", "is empty: say what the test must show (delivered, queue-empty or fetched-by)")
		return
	}
	if d := g.Delivered; d != nil {
		for _, a := range []struct{ at, addr string }{{"goal.delivered.to", d.To}, {"goal.delivered.from", d.From}} {
			if a.addr == "" {
				p.at(a.at, "is missing: an account of this world (%s)", f.accountNames())
			} else if acc, _ := f.World.Account(a.addr); acc == nil {
				p.at(a.at, "%q is not an account of this world (accounts: %s)", a.addr, f.accountNames())
			}
		}
		if dev := f.World.Device(f.Test.Device); dev != nil && d.From != "" && !strings.EqualFold(d.From, dev.Account) {
			p.at("goal.delivered.from", "%q never sends the test mail: %s sends it as %s", d.From, f.Test.Device, dev.Account)
		}
		if utf8.RuneCountInString(d.Folder) > 100 {
			p.at("goal.delivered.folder", "is longer than 100 characters")
		}
		for _, r := range []struct{ at, v string }{{"spf", d.SPF}, {"dkim", d.DKIM}, {"dmarc", d.DMARC}} {
			if r.v != "" && !slices.Contains(AuthResults, r.v) {
				p.at("goal.delivered."+r.at, "%q is not a result (%s)", r.v, strings.Join(AuthResults, ", "))
			}
		}
	}
	seen := map[string]bool{}
	for i, d := range g.FetchedBy {
		at := fmt.Sprintf("goal.fetched-by[%d]", i)
		switch {
		case f.World.Device(d) == nil:
			p.at(at, "%q is not a device of this world (devices: %s)", d, f.deviceNames())
		case seen[d]:
			p.at(at, "%q is listed twice", d)
		}
		seen[d] = true
	}
}

func (f File) deviceNames() string {
	var names []string
	for _, d := range f.World.Devices {
		names = append(names, d.Name)
	}
	return strings.Join(names, ", ")
}

func (f File) accountNames() string {
	var names []string
	for _, pr := range f.World.Providers {
		for _, a := range pr.Accounts {
			names = append(names, a.Address)
		}
	}
	if len(names) > 8 {
		names = append(names[:8], "…")
	}
	return strings.Join(names, ", ")
}

// fileHeader opens every saved challenge file.
const fileHeader = `Maillab challenge file: a world with a fault, the test mail, the goal the
test must show, and the teacher's texts (title, task, hints in the order
they are shown, explanation shown when solved). A text is one string, or
one per language: {en: "…", de: "…", pl: "…"}.
Open it in Maillab: Challenges → Open challenge file…`

// Marshal writes f as a challenge file: the version line, the texts, the
// test and the goal, then the world as a world file under world:. It
// refuses a file that Validate refuses.
func (f File) Marshal() (string, error) {
	if err := f.Validate(); err != nil {
		return "", err
	}
	type head struct {
		Version     int       `yaml:"maillab-challenge"`
		Title       OwnText   `yaml:"title"`
		Task        OwnText   `yaml:"task"`
		Hints       []OwnText `yaml:"hints,omitempty"`
		Explanation OwnText   `yaml:"explanation"`
		Test        sim.Test  `yaml:"test"`
		Goal        sim.Goal  `yaml:"goal"`
	}
	var root yaml.Node
	if err := root.Encode(head{FileVersion, f.Title, f.Task, f.Hints, f.Explanation, f.Test, f.Goal}); err != nil {
		return "", err
	}
	root.HeadComment = fileHeader
	worldText, err := worldspec.Marshal(f.World)
	if err != nil {
		return "", err
	}
	var wdoc yaml.Node
	if err := yaml.Unmarshal([]byte(worldText), &wdoc); err != nil {
		return "", err
	}
	w := wdoc.Content[0]
	w.HeadComment = "" // the world file's own header says how to open a world file
	if len(w.Content) > 0 {
		w.Content[0].HeadComment = ""
	}
	key := &yaml.Node{Kind: yaml.ScalarNode, Value: "world",
		HeadComment: "The broken world: a world file (" + worldspec.VersionKey + ": 1), as the World file dialog saves it."}
	root.Content = append(root.Content, key, w)
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Challenge is f as a challenge to play: its world as a world file, its
// texts its own.
func (f File) Challenge() (Challenge, error) {
	w, err := worldspec.Marshal(f.World)
	if err != nil {
		return Challenge{}, err
	}
	own := f
	return Challenge{ID: FileID, Test: f.Test, Goal: f.Goal, Hints: len(f.Hints), World: w, Own: &own}, nil
}

// Title, Task, Hint (1-based) and Explanation are a challenge's texts in
// lang: a teacher's own, else the catalogue's.
func (c Challenge) Title(lang string) string {
	if c.Own != nil {
		return c.Own.Title.In(lang)
	}
	return i18n.T(lang, c.TitleKey(), nil)
}

func (c Challenge) Task(lang string) string {
	if c.Own != nil {
		return c.Own.Task.In(lang)
	}
	return i18n.T(lang, c.TaskKey(), nil)
}

func (c Challenge) Hint(lang string, n int) string {
	if c.Own != nil {
		if n < 1 || n > len(c.Own.Hints) {
			return ""
		}
		return c.Own.Hints[n-1].In(lang)
	}
	return i18n.T(lang, c.HintKey(n), nil)
}

func (c Challenge) Explanation(lang string) string {
	if c.Own != nil {
		return c.Own.Explanation.In(lang)
	}
	return i18n.T(lang, c.ExplanationKey(), nil)
}
