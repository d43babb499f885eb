package i18n

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// forbiddenRule is one entry of forbidden.yaml (see the comment there).
type forbiddenRule struct {
	Lang  string   `yaml:"lang"`
	Find  []string `yaml:"find"`
	Regex string   `yaml:"regex"`
	EN    string   `yaml:"en"`
	NotEN string   `yaml:"not_en"`
	Allow string   `yaml:"allow"`
	Use   string   `yaml:"use"`
	Why   string   `yaml:"why"`

	re, en, notEN, allow *regexp.Regexp
	words                bool // matches must start and end at word boundaries
}

func loadForbidden(t *testing.T) []*forbiddenRule {
	t.Helper()
	raw, err := os.ReadFile("forbidden.yaml")
	require.NoError(t, err)
	var rules []*forbiddenRule
	require.NoError(t, yaml.Unmarshal(raw, &rules), "forbidden.yaml")
	for i, r := range rules {
		where := fmt.Sprintf("forbidden.yaml rule %d (%s %v%s)", i+1, r.Lang, r.Find, r.Regex)
		require.Contains(t, Languages, r.Lang, where)
		require.True(t, (len(r.Find) > 0) != (r.Regex != ""), "%s: needs find or regex", where)
		require.NotEmpty(t, r.Use, "%s: use", where)
		require.NotEmpty(t, r.Why, "%s: why", where)
		expr := r.Regex
		if len(r.Find) > 0 {
			var alts []string
			for _, f := range r.Find {
				alts = append(alts, globToRegexp(f))
			}
			expr = "(?i)" + strings.Join(alts, "|")
			r.words = true
		}
		r.re, err = regexp.Compile(expr)
		require.NoError(t, err, where)
		for _, p := range []struct {
			src string
			dst **regexp.Regexp
		}{{r.EN, &r.en}, {r.NotEN, &r.notEN}, {r.Allow, &r.allow}} {
			if p.src != "" {
				*p.dst, err = regexp.Compile(p.src)
				require.NoError(t, err, where)
			}
		}
	}
	return rules
}

// globToRegexp: words separated by spaces, "*" for any letters.
func globToRegexp(glob string) string {
	var words []string
	for _, w := range strings.Fields(glob) {
		parts := strings.Split(w, "*")
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		words = append(words, strings.Join(parts, `[\p{L}\p{N}]*`))
	}
	return strings.Join(words, `\s+`)
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// matches lists what r forbids in text (one unit: a catalogue entry, a
// lesson field or section); enText is the English text of the same unit.
func (r *forbiddenRule) matches(text, enText string) []string {
	if r.en != nil && !r.en.MatchString(enText) || r.notEN != nil && r.notEN.MatchString(enText) {
		return nil
	}
	var allowed [][]int
	if r.allow != nil {
		allowed = r.allow.FindAllStringIndex(text, -1)
	}
	var out []string
next:
	for _, m := range r.re.FindAllStringIndex(text, -1) {
		if r.words {
			before, _ := utf8.DecodeLastRuneInString(text[:m[0]])
			after, _ := utf8.DecodeRuneInString(text[m[1]:])
			if m[0] > 0 && isWordRune(before) || m[1] < len(text) && isWordRune(after) {
				continue
			}
		}
		for _, a := range allowed {
			if a[0] <= m[0] && m[1] <= a[1] {
				continue next
			}
		}
		out = append(out, text[m[0]:m[1]])
	}
	return out
}

func (r *forbiddenRule) advice() string {
	return fmt.Sprintf("write %s — %s", r.Use, strings.TrimSpace(r.Why))
}

// The glossary's forbidden variants appear nowhere in the catalogues.
func TestNoForbiddenVariantsInTheCatalogues(t *testing.T) {
	for _, r := range loadForbidden(t) {
		for _, key := range Keys(r.Lang) {
			text := prose(withoutCode(catalogs[r.Lang][key]))
			for _, m := range r.matches(text, prose(catalogs["en"][key])) {
				t.Errorf("catalog/%s.json %s: „%s“: %s", r.Lang, key, m, r.advice())
			}
		}
	}
}

// … nor in the lessons.
func TestNoForbiddenVariantsInTheLessons(t *testing.T) {
	rules := loadForbidden(t)
	dirs, err := filepath.Glob("../content/*/en.md")
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, enFile := range dirs {
		dir := filepath.Dir(enFile)
		en := lessonUnits(t, enFile)
		for _, lang := range Languages {
			file := filepath.Join(dir, lang+".md")
			units := lessonUnits(t, file)
			for _, r := range rules {
				if r.Lang != lang {
					continue
				}
				for _, u := range units {
					for _, m := range r.matches(u.text, en.text(u.id)) {
						t.Errorf("%s:%d (%s): „%s“: %s", strings.TrimPrefix(file, "../"), u.lineOf(m), u.id, m, r.advice())
					}
				}
			}
		}
	}
}

// unit is one piece of a lesson that has a counterpart in every language:
// a front-matter field ("notes.auth-plain", "quiz.q1.answers.2") or a
// section of the body ("section:plain", "section:" before the first).
type unit struct {
	id    string
	line  int // of the first line of text
	text  string
	lines []string
}

func (u unit) lineOf(m string) int {
	for i, l := range u.lines {
		if strings.Contains(l, m) || strings.Contains(strings.Join(u.lines[i:min(i+2, len(u.lines))], " "), m) {
			return u.line + i
		}
	}
	return u.line
}

type units []unit

func (us units) text(id string) string {
	for _, u := range us {
		if u.id == id {
			return u.text
		}
	}
	return ""
}

var sectionID = regexp.MustCompile(`^#+ .*\{#([\w-]+)\}\s*$`)

// lessonUnits splits a lesson .md into units, code spans and blocks blanked.
func lessonUnits(t *testing.T, file string) units {
	t.Helper()
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	lines := strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
	require.True(t, len(lines) > 2 && lines[0] == "---", "%s: front matter", file)
	end := 1
	for end < len(lines) && lines[end] != "---" {
		end++
	}
	require.Less(t, end, len(lines), "%s: end of front matter", file)

	// Front matter: one unit per scalar, with the lines it spans.
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(strings.Join(lines[1:end], "\n")), &doc), file)
	var out units
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], strings.TrimPrefix(path+"."+n.Content[i].Value, "."))
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, path+"."+strconv.Itoa(i))
			}
		case yaml.ScalarNode:
			out = append(out, unit{id: path, line: n.Line + 1, text: withoutCode(n.Value)})
		}
	}
	walk(&doc, "")
	sort.Slice(out, func(i, j int) bool { return out[i].line < out[j].line })
	for i := range out {
		last := end // the line of "---"
		if i+1 < len(out) {
			last = out[i+1].line
		}
		out[i].lines = lines[out[i].line-1 : last-1]
	}

	// Body: one unit per section.
	cur := unit{id: "section:", line: end + 2}
	inFence := false
	flush := func() {
		cur.text = withoutCode(strings.Join(cur.lines, "\n"))
		out = append(out, cur)
	}
	for i := end + 1; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			inFence = !inFence
			l = ""
		} else if inFence {
			l = ""
		}
		if m := sectionID.FindStringSubmatch(l); m != nil {
			flush()
			cur = unit{id: "section:" + m[1], line: i + 1}
		}
		cur.lines = append(cur.lines, l)
	}
	flush()
	return out
}

var codeSpan = regexp.MustCompile("`[^`]*`")

// withoutCode blanks `code spans`: wire text is quoted as it is.
func withoutCode(s string) string {
	return codeSpan.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", utf8.RuneCountInString(m)) })
}

// The rules find the wrong sense and leave the right one alone.
func TestForbiddenRulesFindOnlyTheWrongSense(t *testing.T) {
	rules := loadForbidden(t)
	found := func(lang, text, en string) []string {
		var out []string
		for _, r := range rules {
			if r.Lang == lang {
				out = append(out, r.matches(prose(withoutCode(text)), en)...)
			}
		}
		return out
	}
	for _, tc := range []struct {
		lang, text, en string
		want           []string
	}{
		{"de", "SMTP ist ein Textprotokoll; welches Protokoll nutzt IMAP?", "SMTP is a text protocol; which protocol does IMAP use?", nil},
		{"de", "ein Szenario durchlaufen lassen und sein Protokoll ausgeben", "run a scenario and print its transcript", []string{"Protokoll", "Protokoll ausgeben"}},
		{"de", "Das Protokoll verdeckt es; das Mail-Protokoll nicht.", "The transcript hides it; the mail protocol does not.", []string{"Protokoll verdeckt"}},
		{"de", "Ein DNS-Datagramm, das Maillab nicht entschlüsseln konnte.", "A DNS datagram that Maillab could not decode.", []string{"entschlüsseln"}},
		{"de", "Wireshark kann TLS entschlüsseln.", "Wireshark can decrypt TLS.", nil},
		{"de", "eine ungetaggte Antwort, dann das getaggte OK", "", []string{"ungetaggte", "getaggte"}},
		{"de", "UIDL („unique-id listing“) nennt die Unique-IDs, je eine eindeutige ID (unique-id)", "", []string{"Unique-IDs"}},
		{"de", "beim E-Mail-Provider, nicht bei {provider}", "", []string{"Provider"}},
		{"de", "Alices Mail besteht SPF; sie besteht die SPF-Prüfung", "", []string{"besteht SPF"}},
		{"de", "wie bei BCC, im Feld Bcc; `BCC` und BCC TO:<dave@example.net>", "", []string{"BCC"}},
		{"de", "legt sie in der Posteingang, im Posteingang", "", []string{"in der Posteingang"}},
		{"pl", "Linia 250 i dwie linie; wiersz poleceń; liniec", "", []string{"Linia", "linie"}},
		{"pl", "hasło otwartym tekstem, tekstem jawnym", "", []string{"otwartym tekstem"}},
		{"pl", "w nagłówku stoi From:; nic nie stoją; postoi", "", []string{"stoi", "stoją"}},
		{"pl", "o Dave'ie, o Davie, z Dave'em, Fałszywka", "", []string{"Dave'ie", "Fałszywka"}},
		{"pl", "w Maillab, w Maillabie; scenariusza Live", "", []string{"w Maillab", "scenariusza Live"}},
		{"pl", "obaj adresy, oba adresy", "", []string{"obaj adresy"}},
	} {
		assert.ElementsMatch(t, tc.want, found(tc.lang, tc.text, tc.en), "%s: %s", tc.lang, tc.text)
	}
}
