//go:build !(js && wasm)

// Maillab: watch an email travel. main only wires the pieces together:
// the desktop window (no arguments), browser mode (serve) and the headless
// command line (scenarios, trace, world).
package main

import (
	"embed"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"maillab/app"
	"maillab/app/cli"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	static, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		panic(err)
	}
	args := os.Args[1:]
	lang := cli.LangFromEnv()
	serveEnv := app.ServeEnv{Stdout: os.Stdout, Stderr: os.Stderr, Signals: sig, Lang: lang}
	switch {
	case len(args) > 0 && args[0] == "serve":
		os.Exit(app.Serve(args[1:], static, serveEnv))
	case len(args) == 0 || args[0] == "desktop" || strings.HasPrefix(args[0], "-"):
		os.Exit(runDesktop(static, serveEnv, desktopArgs(args)))
	}
	os.Exit(cli.Main(args, cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Signals: sig, Lang: lang}))
}

// desktopArgs drops the optional "desktop" word before the flags.
func desktopArgs(args []string) []string {
	if len(args) > 0 && args[0] == "desktop" {
		return args[1:]
	}
	return args
}
