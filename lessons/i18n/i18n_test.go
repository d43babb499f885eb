package i18n

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryLanguageHasTheSameKeys(t *testing.T) {
	en := Keys("en")
	require.NotEmpty(t, en)
	for _, lang := range Languages[1:] {
		assert.Equal(t, en, Keys(lang), "keys of %s", lang)
	}
}

func TestPlaceholdersMatchAcrossLanguages(t *testing.T) {
	for _, key := range Keys("en") {
		want := Placeholders(T("en", key, nil))
		for _, lang := range Languages[1:] {
			assert.Equal(t, want, Placeholders(catalogs[lang][key]), "%s in %s", key, lang)
		}
	}
}

func TestNoEmptyTexts(t *testing.T) {
	for _, lang := range Languages {
		for k, v := range catalogs[lang] {
			assert.NotEmpty(t, v, "%s in %s", k, lang)
		}
	}
}

func TestTFillsParamsAndFallsBack(t *testing.T) {
	assert.Equal(t, "no.such.key", T("de", "no.such.key", nil))
	assert.Contains(t, T("de", "cli.unknown-scenario", map[string]string{"id": "xyz"}), "xyz")
	assert.False(t, Supported("fr"))
}
