package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"maillab/lessons/i18n"
	"maillab/simulator/scenario"
)

// langFlag adds --lang, completed with the three languages.
func langFlag(cmd *cobra.Command, lang *string, env Env) {
	cmd.Flags().StringVar(lang, "lang", env.Lang, i18n.T(env.Lang, "cli.flag.lang", nil))
	cmd.RegisterFlagCompletionFunc("lang", cobra.FixedCompletions([]string{"en", "de", "pl"}, cobra.ShellCompDirectiveNoFileComp))
}

// noArgs refuses positional arguments with the unknown-command sentence.
func noArgs(env Env) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		return unknownCommand{name: args[0], cmd: c}
	}
}

type unknownCommand struct {
	name string
	cmd  *cobra.Command
}

func (u unknownCommand) Error() string { return "unknown command " + u.name }

// scenarioIDs completes trace's argument.
func scenarioIDs(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var ids []cobra.Completion
	for _, s := range scenario.All() {
		ids = append(ids, s.ID)
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

// usageError is the one line a usage mistake gets, with the nearest
// command or flag when there is one.
func usageError(c *cobra.Command, err error, env Env) string {
	t := func(key string, p map[string]string) string { return i18n.T(env.Lang, key, p) }
	var u unknownCommand
	if ok := asUnknown(err, &u); ok {
		if s := u.cmd.SuggestionsFor(u.name); len(s) > 0 {
			return t("cli.unknown-command-suggest", map[string]string{"cmd": u.name, "suggest": s[0]})
		}
		return t("cli.unknown-command", map[string]string{"cmd": u.name})
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: "); ok {
		if s := nearestFlag(c, strings.TrimLeft(name, "-")); s != "" {
			return t("cli.unknown-flag-suggest", map[string]string{"flag": name, "cmd": c.CommandPath(), "suggest": "--" + s})
		}
		return t("cli.unknown-flag", map[string]string{"flag": name, "cmd": c.CommandPath()})
	}
	if name, ok := strings.CutPrefix(msg, "unknown command "); ok {
		name = strings.Trim(strings.SplitN(name, " ", 2)[0], `"`)
		return usageError(c, unknownCommand{name: name, cmd: c.Root()}, env)
	}
	return t("cli.usage-error", map[string]string{"err": msg, "cmd": c.CommandPath()})
}

func asUnknown(err error, u *unknownCommand) bool {
	x, ok := err.(unknownCommand)
	if ok {
		*u = x
	}
	return ok
}

// nearestFlag is the command's flag closest to name: at most two edits
// away, or one that name begins (--mark for --markdown).
func nearestFlag(c *cobra.Command, name string) string {
	best, bestScore := "", 3
	c.Flags().VisitAll(func(f *pflag.Flag) {
		score := distance(name, f.Name)
		if strings.HasPrefix(f.Name, name) {
			score = min(score, 1)
		}
		if score < bestScore {
			best, bestScore = f.Name, score
		}
	})
	return best
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// DefaultCAFile is where the CA certificate goes for external clients: the
// user's cache folder (~/.cache/maillab on Linux, %LocalAppData%\maillab
// on Windows, ~/Library/Caches/maillab on macOS), else the temp folder.
func DefaultCAFile() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "maillab", "maillab-ca.pem")
}

// translateHelp puts the help's own words into env's language.
func translateHelp(root *cobra.Command, env Env) {
	t := func(key string) string { return i18n.T(env.Lang, key, nil) }
	root.InitDefaultHelpCmd()
	root.InitDefaultHelpFlag()
	root.InitDefaultVersionFlag()
	root.InitDefaultCompletionCmd()
	for _, c := range allCommands(root) {
		c.InitDefaultHelpFlag()
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = t("cli.flag.help")
		}
		switch c.Name() {
		case "help":
			c.Short = t("cli.cmd.help")
		case "completion":
			c.Short = t("cli.cmd.completion")
		}
	}
	if f := root.Flags().Lookup("version"); f != nil {
		f.Usage = t("cli.flag.version")
	}
	more := strings.ReplaceAll(t("cli.help.more"), "{cmd}", "{{.CommandPath}}")
	q := strconv.Quote
	root.SetUsageTemplate(fmt.Sprintf(usageTemplate, t("cli.help.usage"),
		q(t("cli.help.flags-word")), q(t("cli.help.command-word")), t("cli.help.examples"),
		t("cli.help.commands"), t("cli.help.flags"), q(t("cli.help.default")), more))
}

// allCommands is root and every command below it.
func allCommands(root *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{root}
	for _, c := range root.Commands() {
		out = append(out, allCommands(c)...)
	}
	return out
}

func init() {
	// A pure function, so registering it once for every language is safe.
	cobra.AddTemplateFunc("mlReplace", strings.ReplaceAll)
}

// usageTemplate is cobra's, with its words in the user's language.
const usageTemplate = `%s{{if .Runnable}}
  {{mlReplace .UseLine "[flags]" %s}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} {{%s}}{{end}}{{if .HasExample}}

%s
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

%s{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

%s
{{mlReplace (.LocalFlags.FlagUsages | trimTrailingWhitespaces) "(default " %s}}{{end}}{{if .HasAvailableSubCommands}}

%s{{end}}
`
