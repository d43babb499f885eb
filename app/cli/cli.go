// Package cli is Maillab's headless command line: scenarios, trace and
// world. It needs no GTK or WebKit.
package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"maillab/lessons/i18n"
)

// Env is what a command reads and writes; tests pass buffers.
type Env struct {
	Stdout, Stderr io.Writer
	Lang           string
	Signals        <-chan os.Signal // world stops when one arrives
}

// Main runs one subcommand and returns the process exit code.
func Main(args []string, env Env) int {
	if env.Lang == "" {
		env.Lang = LangFromEnv()
	}
	if len(args) == 0 {
		usage(env)
		return 2
	}
	switch args[0] {
	case "scenarios":
		return scenarios(args[1:], env)
	case "trace":
		return trace(args[1:], env)
	case "world":
		return runWorld(args[1:], env)
	case "help", "-h", "--help":
		usage(env)
		return 0
	}
	fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.unknown-command", map[string]string{"cmd": args[0]}))
	usage(env)
	return 2
}

func usage(env Env) {
	fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "cli.usage", nil))
}

// LangFromEnv picks de or pl from LANG/LC_ALL/LC_MESSAGES, else en.
func LangFromEnv() string {
	for _, v := range []string{"MAILLAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		val := os.Getenv(v)
		if len(val) >= 2 && i18n.Supported(strings.ToLower(val[:2])) {
			return strings.ToLower(val[:2])
		}
	}
	return "en"
}

// splitPositional moves leading non-flag arguments out, so both
// "trace send-pop3 --json" and "trace --json send-pop3" work.
func splitPositional(args []string) (pos, flags []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && needsValue(a) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return pos, flags
}

func needsValue(flag string) bool {
	switch strings.TrimLeft(flag, "-") {
	case "lang", "bind", "port-base", "ca-file", "pcap":
		return true
	}
	return false
}
