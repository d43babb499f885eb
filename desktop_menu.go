//go:build !(js && wasm)

package main

import (
	"context"
	"errors"
	"path/filepath"
	goruntime "runtime"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"maillab/app"
	"maillab/lessons/i18n"
)

// desktopExports saves exports of the current run from the desktop
// window: the file dialog behind app.SaveExport and the File menu. The
// explanations follow the language the interface last asked for.
type desktopExports struct {
	app  *app.App
	ctx  atomic.Value // context.Context of the window, once it started
	lang atomic.Value // string
}

func newDesktopExports(lang string) *desktopExports {
	d := &desktopExports{}
	d.lang.Store(lang)
	return d
}

func (d *desktopExports) started(ctx context.Context) { d.ctx.Store(ctx) }
func (d *desktopExports) setLang(lang string)         { d.lang.Store(lang) }
func (d *desktopExports) currentLang() string         { return d.lang.Load().(string) }

func (d *desktopExports) context() context.Context {
	ctx, _ := d.ctx.Load().(context.Context)
	return ctx
}

// saveDialog asks where to save; "" when the user cancels.
func (d *desktopExports) saveDialog(name, kind, lang string) (string, error) {
	ctx := d.context()
	if ctx == nil {
		return "", errors.New("the window is not ready yet")
	}
	what := i18n.T(lang, "export.kind."+kind, nil)
	ext := filepath.Ext(name)
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{
		DefaultFilename:      name,
		Title:                i18n.T(lang, "desktop.save-title", map[string]string{"what": what}),
		Filters:              []runtime.FileFilter{{DisplayName: capitalized(what) + " (*" + ext + ")", Pattern: "*" + ext}},
		CanCreateDirectories: true,
	})
}

// openDialog asks which world or challenge file (kind) to open; "" when
// the user cancels.
func (d *desktopExports) openDialog(kind, lang string) (string, error) {
	ctx := d.context()
	if ctx == nil {
		return "", errors.New("the window is not ready yet")
	}
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{
		Title:   i18n.T(lang, openKeys[kind][0], nil),
		Filters: []runtime.FileFilter{{DisplayName: i18n.T(lang, openKeys[kind][1], nil), Pattern: "*.yaml;*.yml"}},
	})
}

// openKeys are the open dialog's title and filter per kind of file.
var openKeys = map[string][2]string{
	"world":     {"desktop.open-title", "desktop.open-filter"},
	"challenge": {"desktop.open-challenge-title", "desktop.open-challenge-filter"},
}

// capitalized starts s with a capital letter, as a list entry does.
func capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// menu builds the application menu in lang. It stays in the language the
// app started with: Wails v2 cannot swap a menu bar at run time on Linux
// (the new bar is never shown, and clicks on the old one crash).
func (d *desktopExports) menu(lang string) *menu.Menu {
	t := func(key string) string { return i18n.T(lang, key, nil) }
	m := menu.NewMenu()
	if goruntime.GOOS == "darwin" {
		m.Append(menu.AppMenu()) // a menu of our own replaces the default one there
	}
	file := m.AddSubmenu(t("desktop.menu.file"))
	file.AddText(t("desktop.menu.save-pcap"), nil, d.onSave("pcapng", false))
	file.AddText(t("desktop.menu.save-pcap-keys"), nil, d.onSave("pcapng", true))
	file.AddSeparator()
	file.AddText(t("desktop.menu.save-text"), nil, d.onSave("text", false))
	file.AddText(t("desktop.menu.save-markdown"), nil, d.onSave("markdown", false))
	file.AddSeparator()
	file.AddText(t("desktop.menu.open-world"), nil, d.onOpenWorld)
	file.AddText(t("desktop.menu.save-world"), nil, d.onSaveWorld)
	file.AddSeparator()
	// The window shows the room screen, where the teacher opens the room.
	file.AddText(t("desktop.menu.host-room"), nil, func(*menu.CallbackData) { app.ShowRoom(d.app) })
	file.AddText(t("desktop.menu.join-room"), nil, d.onJoinRoom)
	file.AddSeparator()
	file.AddText(t("desktop.menu.quit"), keys.CmdOrCtrl("q"), func(*menu.CallbackData) {
		if ctx := d.context(); ctx != nil {
			runtime.Quit(ctx)
		}
	})
	if goruntime.GOOS == "darwin" {
		m.Append(menu.EditMenu()) // copy and paste in the web view
	}
	return m
}

// onSave exports from the menu (Wails calls it on a goroutine of its own,
// so the dialogs may block) and says so when saving failed.
func (d *desktopExports) onSave(kind string, keys bool) menu.Callback {
	return func(*menu.CallbackData) {
		lang := d.currentLang()
		_, err := d.app.SaveExport(kind, lang, keys, false)
		if ctx := d.context(); err != nil && ctx != nil {
			runtime.MessageDialog(ctx, runtime.MessageDialogOptions{Type: runtime.ErrorDialog, Title: "Maillab",
				Message: i18n.T(lang, "desktop.save-failed", map[string]string{"err": err.Error()})})
		}
	}
}

// onOpenWorld opens a world file from the menu; the window follows the
// new run through its pushes. A file that cannot be used changes nothing
// and gets a message with every wrong field.
func (d *desktopExports) onOpenWorld(*menu.CallbackData) {
	lang := d.currentLang()
	_, err := d.app.OpenWorldFile(lang)
	if ctx := d.context(); err != nil && ctx != nil {
		runtime.MessageDialog(ctx, runtime.MessageDialogOptions{Type: runtime.ErrorDialog, Title: "Maillab",
			Message: i18n.T(lang, "desktop.open-failed", map[string]string{"err": err.Error()})})
	}
}

// onJoinRoom opens the Classroom dialog in the window.
func (d *desktopExports) onJoinRoom(*menu.CallbackData) {
	app.HubOf(d.app).Publish(app.EventOpen, "classroom")
}

// onSaveWorld saves the running world (without the mail) from the menu.
func (d *desktopExports) onSaveWorld(*menu.CallbackData) {
	lang := d.currentLang()
	_, err := d.app.SaveWorld(false, lang)
	if ctx := d.context(); err != nil && ctx != nil {
		runtime.MessageDialog(ctx, runtime.MessageDialogOptions{Type: runtime.ErrorDialog, Title: "Maillab",
			Message: i18n.T(lang, "desktop.save-failed", map[string]string{"err": err.Error()})})
	}
}
