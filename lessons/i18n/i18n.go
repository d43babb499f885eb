// Package i18n holds every user-visible string of Maillab in English,
// German and Polish, and fills in named parameters ("{user}") and counted
// phrases ("{count, plural, one {# message} other {# messages}}").
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed catalog/*.json
var files embed.FS

// Languages are the supported interface languages, English first.
var Languages = []string{"en", "de", "pl"}

var catalogs = mustLoad()

func mustLoad() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range Languages {
		b, err := files.ReadFile("catalog/" + lang + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: catalog %s: %v", lang, err))
		}
		out[lang] = m
	}
	return out
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool {
	_, ok := catalogs[lang]
	return ok
}

// T returns the text of key in lang with params filled in. A missing key
// falls back to English, then to the key itself, so a gap shows rather
// than crashes.
func T(lang, key string, params map[string]string) string {
	s, ok := catalogs[lang][key]
	if !ok {
		lang = "en"
		s, ok = catalogs[lang][key]
	}
	if !ok {
		s = key
	}
	return Format(lang, s, params)
}

// Has reports whether key exists in English.
func Has(key string) bool {
	_, ok := catalogs["en"][key]
	return ok
}

// Format fills params into s, a text in the catalogue syntax (see
// message.go), with the plural rules of lang.
func Format(lang, s string, params map[string]string) string {
	if len(params) == 0 || !strings.Contains(s, "{") {
		return s
	}
	return format(lang, parse(s), params, "")
}

// Keys lists the keys of lang, sorted.
func Keys(lang string) []string {
	var keys []string
	for k := range catalogs[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Catalog returns a copy of one language's strings (for the frontend).
func Catalog(lang string) map[string]string {
	out := map[string]string{}
	for k, v := range catalogs[lang] {
		out[k] = v
	}
	return out
}

// Placeholders returns the sorted placeholders ("{name}") a text uses,
// each once, those of counted phrases and of their branches included.
func Placeholders(s string) []string {
	names := map[string]bool{}
	params(parse(s), names)
	out := make([]string, 0, len(names))
	for n := range names {
		out = append(out, "{"+n+"}")
	}
	sort.Strings(out)
	return out
}
