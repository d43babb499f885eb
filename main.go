//go:build !(js && wasm)

// Maillab: watch an email travel. main only wires the pieces together:
// the command line (app/cli) with the desktop window (no command) and
// browser mode (serve) plugged in.
package main

import (
	"embed"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"maillab/app"
	"maillab/app/cli"
)

//go:embed all:frontend/dist
var assets embed.FS

// version is set by the build (-ldflags "-X main.version=…", git describe).
var version = "dev"

func main() {
	attachConsole() // Windows: a command typed in a console prints there
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	static, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		panic(err)
	}
	lang := cli.LangFromEnv()
	serveEnv := app.ServeEnv{Stdout: os.Stdout, Stderr: os.Stderr, Signals: sig, Lang: lang}
	env := cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Signals: sig, Lang: lang, Version: version,
		Desktop: func(f cli.DesktopFlags) int { return runDesktop(static, serveEnv, f) },
		Serve: func(f cli.ServeFlags) int {
			limits := f.Limits.Apply
			if f.Spec != nil {
				limits = nil // the world file has them, with the flags given
			}
			return app.Serve(app.ServeOptions{Addr: f.Addr, Bind: f.Bind, PortBase: f.PortBase, CAFile: f.CAFile, Lang: f.Lang,
				AllowPlaintextAuth: f.AllowPlaintextAuth, Limits: limits, Spec: f.Spec,
				LimitsLine: f.Limits.Describe(f.Lang)},
				static, serveEnv)
		},
	}
	os.Exit(cli.Main(desktopArgs(os.Args[1:]), env))
}

// desktopArgs drops the optional "desktop" word before the flags.
func desktopArgs(args []string) []string {
	if len(args) > 0 && args[0] == "desktop" {
		return args[1:]
	}
	return args
}
