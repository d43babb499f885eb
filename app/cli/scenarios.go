package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"maillab/lessons/i18n"
	"maillab/simulator/scenario"
)

func newScenariosCmd(env Env) *cobra.Command {
	var lang string
	cmd := &cobra.Command{
		Use:   "scenarios",
		Short: i18n.T(env.Lang, "cli.cmd.scenarios", nil),
		Args:  noArgs(env),
		RunE:  func(*cobra.Command, []string) error { return exit(scenarios(lang, env)) },
	}
	langFlag(cmd, &lang, env)
	return cmd
}

func scenarios(lang string, env Env) int {
	if !checkLang(lang, env) {
		return 2
	}
	for _, s := range scenario.All() {
		fmt.Fprintf(env.Stdout, "%-18s %s\n", s.ID, i18n.T(lang, s.Title, nil))
		fmt.Fprintf(env.Stdout, "%-18s %s\n", "", i18n.T(lang, s.Summary, nil))
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
