package app

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"maillab/lessons/export"
	"maillab/lessons/i18n"
	"maillab/simulator/capture"
	"maillab/simulator/scenario"
)

// ExportFile is a file of the current run, ready to save. Wails would send
// bytes as base64 anyway; saying so keeps both transports alike.
type ExportFile struct {
	// Name is the suggested file name: maillab-<scenario>-<yyyymmdd-hhmmss>.<ext>.
	Name   string `json:"name"`
	MIME   string `json:"mime"`
	Base64 string `json:"base64"`
}

// format is one kind of export.
type format struct {
	ext, mime string
	write     func(w io.Writer, run *scenario.Run, o exportOptions) error
}

type exportOptions struct {
	lang          string
	keys, secrets bool
}

var formats = map[string]format{
	"pcapng":   {ext: "pcapng", mime: "application/x-pcapng", write: writePcapng},
	"text":     {ext: "txt", mime: "text/plain; charset=utf-8", write: writeText},
	"markdown": {ext: "md", mime: "text/markdown; charset=utf-8", write: writeMarkdown},
}

// exported is an export before it is encoded for the UI.
type exported struct {
	name, mime string
	data       []byte
}

// Export builds a file of the current run: kind "pcapng" (keys adds the TLS
// secrets, so Wireshark decrypts the sessions, which reveals the passwords
// sent inside TLS: keys imply secrets), "text" or "markdown" (every line
// explained in lang). Passwords stay hidden unless secrets.
func (a *App) Export(kind, lang string, keys, secrets bool) (ExportFile, error) {
	f, err := a.export(kind, lang, keys, secrets)
	if err != nil {
		return ExportFile{}, err
	}
	return ExportFile{Name: f.name, MIME: f.mime, Base64: base64.StdEncoding.EncodeToString(f.data)}, nil
}

// SaveExport asks where to save an export and writes it there; "" when the
// user cancelled. Only the desktop window has a file dialog.
func (a *App) SaveExport(kind, lang string, keys, secrets bool) (string, error) {
	if a.opts.SaveDialog == nil {
		return "", errors.New(i18n.T(exportLang(lang), "export.desktop-only", nil))
	}
	f, err := a.export(kind, lang, keys, secrets)
	if err != nil {
		return "", err
	}
	path, err := a.opts.SaveDialog(f.name, kind, exportLang(lang))
	if err != nil || path == "" {
		return "", err
	}
	// A file with passwords or keys is for its owner's eyes only.
	perm := os.FileMode(0o644)
	if keys || secrets {
		perm = 0o600
	}
	return path, writePrivate(path, f.data, perm)
}

// SavePicture asks where to save a picture the interface drew (the
// sequence diagram or the topology, as SVG or PNG) and writes it; "" when
// the user cancelled. Browsers download pictures themselves; the desktop
// window's web view cannot, so it hands them to Go.
func (a *App) SavePicture(name, kind, data64, lang string) (string, error) {
	lang = exportLang(lang)
	if a.opts.SaveDialog == nil {
		return "", errors.New(i18n.T(lang, "export.desktop-only", nil))
	}
	if kind != "svg" && kind != "png" {
		return "", errors.New(i18n.T(lang, "export.unknown-kind", map[string]string{"kind": kind}))
	}
	if len(data64) > maxPicture {
		return "", errors.New(i18n.T(lang, "export.picture-too-big", nil))
	}
	data, err := base64.StdEncoding.DecodeString(data64)
	if err != nil {
		return "", err
	}
	path, err := a.opts.SaveDialog(filepath.Base(name), kind, lang)
	if err != nil || path == "" {
		return "", err
	}
	return path, writePrivate(path, data, 0o644)
}

// maxPicture bounds a picture in base64: a long run's diagram at twice the
// screen size is a few MB.
const maxPicture = 64 << 20

// writePrivate writes data with perm also when path exists already: an
// older, world-readable file must not keep its mode once it holds secrets.
func writePrivate(path string, data []byte, perm os.FileMode) error {
	if err := os.WriteFile(path, data, perm); err != nil {
		return err
	}
	return os.Chmod(path, perm)
}

func (a *App) export(kind, lang string, keys, secrets bool) (exported, error) {
	lang = exportLang(lang)
	f, ok := formats[kind]
	if !ok {
		return exported{}, errors.New(i18n.T(lang, "export.unknown-kind", map[string]string{"kind": kind}))
	}
	a.mu.Lock()
	run := a.run
	a.mu.Unlock()
	if run == nil {
		return exported{}, ErrNoRun
	}
	// TLS keys exist only in a capture; there they imply the secrets.
	keys = keys && kind == "pcapng"
	var buf bytes.Buffer
	if err := f.write(&buf, run, exportOptions{lang: lang, keys: keys, secrets: secrets || keys}); err != nil {
		return exported{}, err
	}
	return exported{name: exportName(run.Scenario.ID, f.ext, time.Now()), mime: f.mime, data: buf.Bytes()}, nil
}

func exportLang(lang string) string {
	if i18n.Supported(lang) {
		return lang
	}
	return "en"
}

func exportName(id, ext string, now time.Time) string {
	return "maillab-" + id + "-" + now.Format("20060102-150405") + "." + ext
}

func documentOptions(run *scenario.Run, o exportOptions) export.Options {
	return export.Options{Lang: o.lang, Scenario: run.Scenario.ID,
		Title: i18n.T(o.lang, run.Scenario.Title, nil), Secrets: o.secrets}
}

func writeText(w io.Writer, run *scenario.Run, o exportOptions) error {
	return export.Text(w, run.World.Conductor.Log(), documentOptions(run, o))
}

func writeMarkdown(w io.Writer, run *scenario.Run, o exportOptions) error {
	return export.Markdown(w, run.World.Conductor.Log(), documentOptions(run, o))
}

func writePcapng(w io.Writer, run *scenario.Run, o exportOptions) error {
	c := run.World.Conductor
	// Chunks first: every chunk then belongs to an event of the log.
	chunks := c.Chunks()
	opts := capture.Options{Secrets: o.secrets}
	if o.keys {
		opts.KeyLog = run.World.CA.KeyLog.Lines()
	}
	return capture.Write(w, c.Log(), chunks, opts)
}
