//go:build !(js && wasm)

package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	goruntime "runtime"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"maillab/app"
	"maillab/app/cli"
	"maillab/lessons/i18n"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
)

// runDesktop opens the Wails window. Without a display it falls back to
// browser mode, because GTK would panic.
func runDesktop(static fs.FS, env app.ServeEnv, f cli.DesktopFlags) int {
	if !bindingsBuild && !hasDisplay() {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "desktop.no-display", nil))
		return app.Serve(app.ServeOptions{Addr: "127.0.0.1:8025", Bind: "127.0.0.1", PortBase: f.PortBase,
			CAFile: f.CAFile, Lang: env.Lang, Spec: f.Spec}, static, env)
	}
	portBase, caFile := &f.PortBase, f.CAFile
	os.MkdirAll(filepath.Dir(caFile), 0o700)
	exports := newDesktopExports(env.Lang)
	a := app.New(app.Options{World: world.Options{Bind: "127.0.0.1", PortBase: *portBase, Spec: f.Spec},
		OnReady:    func() { fmt.Fprintln(env.Stdout, "maillab: frontend ready") },
		SaveDialog: exports.saveDialog, OpenDialog: exports.openDialog, OnLang: exports.setLang})
	exports.app = a
	if err := a.WriteCA(caFile); err == nil {
		fmt.Fprintln(env.Stdout, i18n.T(env.Lang, "cli.world.ca", map[string]string{"path": caFile}))
	}
	err := wails.Run(&options.App{
		Title: "Maillab", Width: 1280, Height: 800, MinWidth: 1024, MinHeight: 700,
		AssetServer: &assetserver.Options{Assets: static},
		Menu:        exports.menu(env.Lang),
		OnStartup:   func(ctx context.Context) { exports.started(ctx); startDesktop(ctx, a, env) },
		OnShutdown:  func(context.Context) { a.Close() },
		Bind:        []interface{}{a},
	})
	if err != nil {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "desktop.failed", map[string]string{"err": err.Error()}))
		return 1
	}
	return 0
}

// startDesktop forwards the app's pushes to the window, starts the live
// world and quits cleanly on SIGTERM or Ctrl-C.
func startDesktop(ctx context.Context, a *app.App, env app.ServeEnv) {
	app.HubOf(a).Subscribe(func(m app.Message) { runtime.EventsEmit(ctx, m.Name, m.Data) })
	if _, err := a.Start(scenario.LiveID); err != nil {
		fmt.Fprintln(env.Stderr, i18n.T(env.Lang, "desktop.failed", map[string]string{"err": err.Error()}))
	}
	go func() {
		if _, ok := <-env.Signals; ok {
			runtime.Quit(ctx)
		}
	}()
}

// hasDisplay: GTK panics without one. Windows and macOS always have a desktop.
func hasDisplay() bool {
	if goruntime.GOOS != "linux" && goruntime.GOOS != "freebsd" {
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}
