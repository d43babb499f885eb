//go:build !(js && wasm)

package app

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pcapngMagic is the Section Header Block type every pcapng file starts with.
var pcapngMagic = []byte{0x0A, 0x0D, 0x0D, 0x0A}

// finishedRun plays send-pop3 to its end.
func finishedRun(t *testing.T, a *App) {
	t.Helper()
	_, err := a.Start("send-pop3")
	require.NoError(t, err)
	require.NoError(t, a.Play(1))
	require.Eventually(t, func() bool {
		page, _ := a.Events(0, MaxEventsPage)
		for _, ev := range page.Events {
			if ev.Code == "state.run-finished" {
				return true
			}
		}
		return false
	}, 30*time.Second, 5*time.Millisecond, "send-pop3 runs to its end")
}

func decode(t *testing.T, f ExportFile) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(f.Base64)
	require.NoError(t, err)
	return b
}

func TestExportEachKind(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.Export("text", "en", false, false)
	assert.ErrorIs(t, err, ErrNoRun)
	finishedRun(t, a)

	tests := []struct {
		kind, lang, ext, mime string
		has                   []string
	}{
		{"text", "de", "txt", "text/plain; charset=utf-8",
			[]string{"Maillab-Mitschnitt: ", "--- #1 Alices Laptop → smtp.example.org", "     # 220: ", "C: [TLS] AUTH PLAIN ********"}},
		{"markdown", "en", "md", "text/markdown; charset=utf-8",
			[]string{"# Maillab transcript: Send a mail, fetch it with POP3", "| Step | Time | Direction | Line | Meaning |",
				"| `220 smtp.example.org ESMTP Service Ready` | 220: the server smtp.example.org greets the client", "`PASS ********`"}},
		{"pcapng", "en", "pcapng", "application/x-pcapng", nil},
	}
	name := regexp.MustCompile(`^maillab-send-pop3-\d{8}-\d{6}\.(\w+)$`)
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			f, err := a.Export(tc.kind, tc.lang, false, false)
			require.NoError(t, err)
			m := name.FindStringSubmatch(f.Name)
			require.NotNil(t, m, "file name %q", f.Name)
			assert.Equal(t, tc.ext, m[1])
			assert.Equal(t, tc.mime, f.MIME)
			data := decode(t, f)
			for _, s := range tc.has {
				assert.Contains(t, string(data), s)
			}
			assert.NotContains(t, string(data), "builder", "Bob's password stays hidden")
			if tc.kind == "pcapng" {
				assert.Equal(t, pcapngMagic, data[:4])
				assert.NotContains(t, string(data), "CLIENT_TRAFFIC_SECRET_0", "no TLS keys unless asked for")
			}
		})
	}
	_, err = a.Export("pdf", "pl", false, false)
	assert.ErrorContains(t, err, "Nieznany format eksportu „pdf”")
}

// TestExportSecretsAndKeys: secrets show the passwords; keys put the TLS
// secrets into the capture and imply secrets.
func TestExportSecretsAndKeys(t *testing.T) {
	a, _ := newTestApp(t)
	finishedRun(t, a)
	text, err := a.Export("text", "en", false, true)
	require.NoError(t, err)
	assert.Contains(t, string(decode(t, text)), "PASS builder")

	keyed, err := a.Export("pcapng", "en", true, false)
	require.NoError(t, err)
	data := decode(t, keyed)
	assert.Equal(t, pcapngMagic, data[:4])
	assert.Contains(t, string(data), "CLIENT_TRAFFIC_SECRET_0", "a Decryption Secrets Block with the key log")

	plain, err := a.Export("text", "en", true, false)
	require.NoError(t, err)
	assert.NotContains(t, string(decode(t, plain)), "PASS builder", "TLS keys belong to a capture: in a transcript they reveal nothing")
}

func TestSaveExport(t *testing.T) {
	dir := t.TempDir()
	var asked []string
	answer := filepath.Join(dir, "run.md")
	a := New(Options{BatchEvery: 5 * time.Millisecond, SaveDialog: func(name, kind, lang string) (string, error) {
		asked = append(asked, name, kind, lang)
		return answer, nil
	}})
	t.Cleanup(func() { a.Close() })
	finishedRun(t, a)

	require.NoError(t, os.WriteFile(answer, []byte("an older export"), 0o644))
	path, err := a.SaveExport("markdown", "xx", false, true)
	require.NoError(t, err)
	assert.Equal(t, answer, path)
	require.Len(t, asked, 3)
	assert.Regexp(t, `^maillab-send-pop3-.*\.md$`, asked[0])
	assert.Equal(t, []string{"markdown", "en"}, asked[1:], "an unknown language falls back to English")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(data), "`PASS builder`")
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "a file with passwords is private, also when it overwrote a readable one")

	answer = "" // cancelled
	path, err = a.SaveExport("text", "en", false, false)
	require.NoError(t, err)
	assert.Empty(t, path)

	browser, _ := newTestApp(t)
	_, err = browser.SaveExport("text", "de", false, false)
	assert.ErrorContains(t, err, "Desktop-App", "no file dialog in browser mode")
}

func TestCatalogReportsTheLanguage(t *testing.T) {
	var langs []string
	a := New(Options{OnLang: func(l string) { langs = append(langs, l) }})
	t.Cleanup(func() { a.Close() })
	_, err := a.Catalog("pl")
	require.NoError(t, err)
	_, err = a.Catalog("fr")
	require.Error(t, err)
	assert.Equal(t, []string{"pl"}, langs)
}

// TestHTTPExport: viewers may export without passwords and keys, over the
// JSON call and the download route; with them they need the token.
func TestHTTPExport(t *testing.T) {
	a, srv := newServer(t)
	finishedRun(t, a)
	calls := []struct {
		name, token string
		args        []any
		status      int
	}{
		{"viewer, no secrets", "", []any{"text", "en", false, false}, 200},
		{"viewer, secrets", "", []any{"text", "en", false, true}, 403},
		{"viewer, keys", "", []any{"pcapng", "en", true, false}, 403},
		{"token, keys", "secret", []any{"pcapng", "en", true, false}, 200},
		{"unknown kind", "", []any{"doc", "en", false, false}, 422},
		{"missing arguments", "", []any{"text"}, 422},
	}
	for _, tc := range calls {
		t.Run("call "+tc.name, func(t *testing.T) {
			status, out := post(t, srv, "export", tc.token, tc.args...)
			assert.Equal(t, tc.status, status, "%s", out["error"])
		})
	}

	downloads := []struct {
		name, query, token string
		status             int
	}{
		{"viewer markdown", "markdown?lang=de", "", 200},
		{"viewer pcapng", "pcapng", "", 200},
		{"viewer with secrets", "text?secrets=1", "", 403},
		{"viewer with keys", "pcapng?keys=true", "", 403},
		{"wrong token", "pcapng?keys=true", "guess", 403},
		{"token with keys", "pcapng?keys=true", "secret", 200},
		{"unknown kind", "exe", "", 422},
	}
	for _, tc := range downloads {
		t.Run("download "+tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/export/"+tc.query, nil)
			if tc.token != "" {
				req.Header.Set("X-Maillab-Token", tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			require.Equal(t, tc.status, resp.StatusCode, "%s", body)
			if tc.status != 200 {
				assert.Contains(t, string(body), `"error"`)
				return
			}
			assert.Regexp(t, `^attachment; filename=maillab-send-pop3-\d{8}-\d{6}\.(md|pcapng)$`, resp.Header.Get("Content-Disposition"))
			if strings.HasPrefix(tc.query, "pcapng") {
				assert.True(t, bytes.HasPrefix(body, pcapngMagic), "pcapng magic")
				assert.Equal(t, strings.Contains(tc.query, "keys"), bytes.Contains(body, []byte("CLIENT_TRAFFIC_SECRET_0")))
			} else {
				assert.Contains(t, string(body), "| Schritt | Zeit | Richtung | Zeile | Bedeutung |")
			}
		})
	}
}

func TestSavePicture(t *testing.T) {
	dir := t.TempDir()
	var asked []string
	a := New(Options{SaveDialog: func(name, kind, lang string) (string, error) {
		asked = append(asked, name, kind, lang)
		return filepath.Join(dir, "picked.svg"), nil
	}})
	t.Cleanup(func() { a.Close() })
	svg := "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
	path, err := a.SavePicture("../../maillab-send-pop3-sequence.svg", "svg", base64.StdEncoding.EncodeToString([]byte(svg)), "de")
	require.NoError(t, err)
	assert.Equal(t, []string{"maillab-send-pop3-sequence.svg", "svg", "de"}, asked, "only the base name is offered")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, svg, string(data))

	_, err = a.SavePicture("x.exe", "exe", "AA==", "en")
	assert.Error(t, err, "only SVG and PNG")
	_, err = a.SavePicture("x.png", "png", "not base64!", "en")
	assert.Error(t, err)
	browser, _ := newTestApp(t)
	_, err = browser.SavePicture("x.png", "png", "AA==", "en")
	assert.Error(t, err, "the browser downloads pictures itself")
}
