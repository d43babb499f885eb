// Package cli is Maillab's command line, built with cobra: the desktop
// window (no command), serve, world, trace, scenarios, completion and the
// man pages all come from one tree of commands, so --help, the shell
// completions and the man pages say the same thing.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"maillab/lessons/i18n"
	"maillab/simulator/worldspec"
)

// Env is what a command reads and writes; tests pass buffers.
type Env struct {
	Stdout, Stderr io.Writer
	Lang           string
	Signals        <-chan os.Signal // world and serve stop when one arrives
	// Version is what --version prints (set by the build: git describe).
	Version string
	// Desktop opens the window (no command given); nil where there is
	// none (the web edition, tests): the root then prints its help.
	Desktop func(DesktopFlags) int
	// Serve runs browser mode; nil where it is not built in.
	Serve func(ServeFlags) int
}

// DesktopFlags are the window's options.
type DesktopFlags struct {
	PortBase int
	CAFile   string
	// Spec is the world of --world FILE (nil: the default world).
	Spec *worldspec.Spec
}

// ServeFlags are browser mode's options.
type ServeFlags struct {
	Addr, Bind, CAFile, Lang string
	PortBase                 int
	// AllowPlaintextAuth lets 110, 143 and 587 take passwords before TLS.
	AllowPlaintextAuth bool
	// Limits are the servers' limits (--max-conns … --mailbox-quota);
	// with a world file, the ones in force (the file's, with the flags
	// given laid over it).
	Limits Limits
	// Spec is the world of --world FILE, limit flags given included
	// (nil: the default world with Limits).
	Spec *worldspec.Spec
}

// exitCode carries a command's exit status through cobra.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func exit(code int) error {
	if code == 0 {
		return nil
	}
	return exitCode(code)
}

// Main runs the command line and returns the process exit code: 0, 1 when
// the work failed, 2 for a usage error (with one line that says why).
func Main(args []string, env Env) int {
	if env.Lang == "" {
		env.Lang = LangFromEnv()
	}
	root := NewRoot(env)
	root.SetArgs(args)
	c, err := root.ExecuteC()
	var code exitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &code):
		return int(code)
	}
	fmt.Fprintln(env.Stderr, usageError(c, err, env))
	return 2
}

// NewRoot builds the command tree in env's language.
func NewRoot(env Env) *cobra.Command {
	if env.Lang == "" {
		env.Lang = LangFromEnv()
	}
	if env.Version == "" {
		env.Version = "dev"
	}
	t := func(key string) string { return i18n.T(env.Lang, key, nil) }
	var desk DesktopFlags
	var worldFile string
	root := &cobra.Command{
		Use:           "maillab",
		Short:         t("cli.cmd.root"),
		Long:          t("cli.cmd.root") + "\n\n" + t("cli.cmd.root-long"),
		Version:       env.Version,
		Args:          noArgs(env),
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(c *cobra.Command, _ []string) error {
			if env.Desktop == nil {
				c.SetOut(env.Stdout)
				return c.Help()
			}
			if !CheckPortBase(desk.PortBase, env) {
				return exit(2)
			}
			spec, ok := loadWorldFile(worldFile, Limits{}, func(string) bool { return false }, env.Lang, env)
			if !ok {
				return exit(2)
			}
			desk.Spec = spec
			return exit(env.Desktop(desk))
		},
	}
	root.Flags().IntVar(&desk.PortBase, "port-base", 10000, t("cli.flag.port-base"))
	root.Flags().StringVar(&desk.CAFile, "ca-file", DefaultCAFile(), t("cli.flag.ca-file"))
	worldFileFlag(root.Flags(), &worldFile, env.Lang)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetVersionTemplate("maillab {{.Version}}\n")
	root.SuggestionsMinimumDistance = 2
	root.AddCommand(newScenariosCmd(env), newTraceCmd(env), newWorldCmd(env), newClassroomCmd(env), newManCmd(env))
	if env.Serve != nil {
		root.AddCommand(newServeCmd(env))
	}
	translateHelp(root, env)
	return root
}

// LangFromEnv picks de or pl from MAILLAB_LANG, LC_ALL, LC_MESSAGES or
// LANG, else en.
func LangFromEnv() string {
	for _, v := range []string{"MAILLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		val := os.Getenv(v)
		if len(val) >= 2 && i18n.Supported(strings.ToLower(val[:2])) {
			return strings.ToLower(val[:2])
		}
	}
	return "en"
}
