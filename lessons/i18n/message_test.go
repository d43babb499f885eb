package i18n

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

const messagesPL = "{count, plural, one {# wiadomość} few {# wiadomości} many {# wiadomości} other {# wiadomości}}"

func TestPluralCategoryFollowsCLDR(t *testing.T) {
	for _, tc := range []struct {
		lang, n, want string
	}{
		{"pl", "0", "many"}, {"pl", "1", "one"}, {"pl", "2", "few"}, {"pl", "4", "few"},
		{"pl", "5", "many"}, {"pl", "12", "many"}, {"pl", "14", "many"}, {"pl", "22", "few"},
		{"pl", "25", "many"}, {"pl", "101", "many"}, {"pl", "102", "few"}, {"pl", "112", "many"},
		{"pl", "1.5", "other"}, {"pl", "12345678901235", "many"}, {"pl", "12345678901232", "few"},
		{"en", "0", "other"}, {"en", "1", "one"}, {"en", "2", "other"}, {"en", "1.0", "other"},
		{"de", "1", "one"}, {"de", "21", "other"},
		{"pl", "", "other"}, {"pl", "abc", "other"}, {"pl", "3 MB", "other"},
	} {
		t.Run(tc.lang+"/"+tc.n, func(t *testing.T) {
			assert.Equal(t, tc.want, PluralCategory(tc.lang, tc.n))
		})
	}
}

func TestFormatChoosesThePluralForm(t *testing.T) {
	en := "{count, plural, =0 {no messages} one {# message} other {# messages}}"
	de := "{count, plural, one {# Nachricht} other {# Nachrichten}}"
	unread := "{count, plural, one {# wiadomość} few {# wiadomości} many {# wiadomości} other {# wiadomości}}, " +
		"{unseen, plural, one {# nieprzeczytana} few {# nieprzeczytane} many {# nieprzeczytanych} other {# nieprzeczytanej}}"
	bytesPL := "{n, plural, one {# bajt} few {# bajty} many {# bajtów} other {# bajta}}"
	for _, tc := range []struct {
		lang, text, n, want string
	}{
		{"pl", bytesPL, "0", "0 bajtów"},
		{"pl", bytesPL, "1", "1 bajt"},
		{"pl", bytesPL, "2", "2 bajty"},
		{"pl", bytesPL, "5", "5 bajtów"},
		{"pl", bytesPL, "12", "12 bajtów"},
		{"pl", bytesPL, "22", "22 bajty"},
		{"pl", bytesPL, "25", "25 bajtów"},
		{"pl", bytesPL, "101", "101 bajtów"},
		{"pl", bytesPL, "2.5", "2.5 bajta"},
		{"pl", messagesPL, "1", "1 wiadomość"},
		{"pl", messagesPL, "22", "22 wiadomości"},
		{"pl", unread, "1", "1 wiadomość, 1 nieprzeczytana"},
		{"pl", unread, "2", "2 wiadomości, 2 nieprzeczytane"},
		{"pl", unread, "5", "5 wiadomości, 5 nieprzeczytanych"},
		{"pl", unread, "22", "22 wiadomości, 22 nieprzeczytane"},
		{"en", en, "0", "no messages"},
		{"en", en, "1", "1 message"},
		{"en", en, "2", "2 messages"},
		{"de", de, "1", "1 Nachricht"},
		{"de", de, "0", "0 Nachrichten"},
		{"de", de, "x", "x Nachrichten"},
	} {
		t.Run(tc.lang+"/"+tc.n, func(t *testing.T) {
			assert.Equal(t, tc.want, Format(tc.lang, tc.text, map[string]string{"count": tc.n, "unseen": tc.n, "n": tc.n}))
		})
	}
}

func TestFormatKeepsWhatIsNotAnArgument(t *testing.T) {
	p := map[string]string{"n": "3", "size": "1569"}
	for _, tc := range []struct{ in, want string }{
		{"* {n} FETCH (BODY[] {1569}", "* 3 FETCH (BODY[] {1569}"},
		{"{ n }", "3"},
		{"a {missing} b", "a {missing} b"},
		{"{n, plural, one {#} other {# {size}}} #", "3 1569 #"},
		{"{n, plural, one {x}", "{n, plural, one {x}"},
		{"{n, select, a {x} other {y}}", "{n, select, a {x} other {y}}"},
		{"{missing, plural, one {#} other {#}}", "{missing, plural, one {#} other {#}}"},
		{"{n, plural, =3 {three} few {# few} other {#}}", "three"},
		{"{n, plural, one {# item} other {# items} } left", "3 items left"},
	} {
		assert.Equal(t, tc.want, Format("pl", tc.in, p), "%q", tc.in)
	}
}

func TestPlaceholdersLookIntoCountedPhrases(t *testing.T) {
	assert.Equal(t, []string{"{count}", "{mailbox}", "{unseen}"},
		Placeholders("{count, plural, one {# in {mailbox}} other {# in {mailbox}, {unseen} new}} {count}"))
	assert.Equal(t, []string{"{n}"}, Placeholders("* {n} EXISTS: {n} {884}"))
	assert.Equal(t, []Counted{{Param: "count", Selectors: []string{"one", "few", "many", "other"}}}, CountedPhrases(messagesPL))
}
