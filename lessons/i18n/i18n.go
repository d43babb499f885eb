// Package i18n holds every user-visible string of Maillab in English,
// German and Polish, and fills in named parameters ("{user}").
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
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
		s, ok = catalogs["en"][key]
	}
	if !ok {
		s = key
	}
	return fill(s, params)
}

// Has reports whether key exists in English.
func Has(key string) bool {
	_, ok := catalogs["en"][key]
	return ok
}

var placeholder = regexp.MustCompile(`\{[a-zA-Z0-9_]+\}`)

func fill(s string, params map[string]string) string {
	if len(params) == 0 {
		return s
	}
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := params[strings.Trim(m, "{}")]; ok {
			return v
		}
		return m
	})
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

// Placeholders returns the sorted placeholders of a text.
func Placeholders(s string) []string {
	p := placeholder.FindAllString(s, -1)
	sort.Strings(p)
	return p
}
