package i18n

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// pluralFormsOf lists the CLDR categories lang has, as x/text knows them:
// those of the integers and of some decimals. ICU MessageFormat wants a
// branch for each, and "other" always.
func pluralFormsOf(lang string) []string {
	seen := map[string]bool{"other": true}
	for i := 0; i <= 1000; i++ {
		seen[PluralCategory(lang, strconv.Itoa(i))] = true
		seen[PluralCategory(lang, strconv.Itoa(i)+".5")] = true
	}
	seen[PluralCategory(lang, "1.0")] = true
	var out []string
	for _, c := range PluralCategories {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out
}

func TestPluralFormsOfTheLanguages(t *testing.T) {
	assert.Equal(t, []string{"one", "other"}, pluralFormsOf("en"))
	assert.Equal(t, []string{"one", "other"}, pluralFormsOf("de"))
	assert.Equal(t, []string{"one", "few", "many", "other"}, pluralFormsOf("pl"))
}

// Every counted phrase has a branch for each plural category its language
// has, and none for a category it does not have (a "few" in German is a
// mistake, not a spare).
func TestCountedPhrasesHaveEveryPluralForm(t *testing.T) {
	for _, lang := range Languages {
		need := pluralFormsOf(lang)
		for _, key := range Keys(lang) {
			text := catalogs[lang][key]
			for _, c := range CountedPhrases(text) {
				var cats []string
				for _, s := range c.Selectors {
					if !strings.HasPrefix(s, "=") {
						cats = append(cats, s)
					}
				}
				for _, n := range need {
					assert.Contains(t, cats, n, "%s %s: {%s, plural, …} lacks %q (%s needs %v)", lang, key, c.Param, n, lang, need)
				}
				for _, s := range cats {
					assert.True(t, slices.Contains(need, s), "%s %s: {%s, plural, …} has %q, which %s does not have (it has %v)", lang, key, c.Param, s, lang, need)
				}
				assert.Equal(t, len(c.Selectors), len(uniq(c.Selectors)), "%s %s: {%s, plural, …} repeats a selector", lang, key, c.Param)
			}
			// A counted phrase that does not parse stays as text: that shows as "plural," on screen.
			assert.NotContains(t, prose(text), "plural", "%s %s: a {…, plural, …} that does not parse: %s", lang, key, text)
		}
	}
}

// Counts are not dodged: no "message(s)", no "{n} bytes" with a plain
// number where the noun's form depends on it.
func TestCountsUseCountedPhrases(t *testing.T) {
	dodges := regexp.MustCompile(`\w\((s|en|n|e|y|i|ów)\)`)
	// Any parameter followed by the plural form of a counted noun (the singular may follow a name: "{proto} line").
	plainCount := regexp.MustCompile(`\{[a-z_]+\}\s+(bytes|Bytes|bajty|bajtów|B\b|messages|Nachrichten|wiadomości|lines|Zeilen|wiersze|wierszy|minutes|Minuten|Min\.|min\b|minuty|minut\b|attempts|Versuche|próby|prób\b|characters|znaki|znaków|recipients|odbiorców|odbiorcy|Antworten|odpowiedzi)`)
	for _, lang := range Languages {
		for _, key := range Keys(lang) {
			text := catalogs[lang][key]
			assert.NotRegexp(t, dodges, text, "%s %s: write a counted phrase ({count, plural, one {…} other {…}}) instead", lang, key)
			if m := plainCount.FindString(text); m != "" {
				t.Errorf("%s %s: %q: the noun's form depends on the number; write {…, plural, …} (see message.go)", lang, key, m)
			}
		}
	}
}

func uniq(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// prose is the words of a catalogue text a reader can see: the text and
// every branch of its counted phrases, without the parameters' names.
func prose(s string) string {
	var b strings.Builder
	var walk func([]node)
	walk = func(nodes []node) {
		for _, n := range nodes {
			switch {
			case n.hash:
				b.WriteString("1")
			case n.param == "":
				b.WriteString(n.text)
			case n.plural == nil:
				b.WriteString(" ")
			default:
				for _, c := range n.plural {
					b.WriteString(" ")
					walk(c.body)
					b.WriteString(" ")
				}
			}
		}
	}
	walk(parse(s))
	return b.String()
}
