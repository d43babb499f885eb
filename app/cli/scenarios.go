package cli

import (
	"flag"
	"fmt"
	"io"

	"maillab/lessons/i18n"
	"maillab/simulator/scenario"
)

func newFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

func scenarios(args []string, env Env) int {
	fs := newFlags("scenarios", env)
	lang := fs.String("lang", env.Lang, "language: en, de or pl")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if !checkLang(*lang, env) {
		return 2
	}
	for _, s := range scenario.All() {
		fmt.Fprintf(env.Stdout, "%-18s %s\n", s.ID, i18n.T(*lang, s.Title, nil))
		fmt.Fprintf(env.Stdout, "%-18s %s\n", "", i18n.T(*lang, s.Summary, nil))
	}
	return 0
}

func checkLang(lang string, env Env) bool {
	if i18n.Supported(lang) {
		return true
	}
	fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.unknown-lang", map[string]string{"lang": lang}))
	return false
}

var _ io.Writer
