//go:build !(js && wasm)

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
)

// TestDesktopMenu: the File menu offers the four exports and Quit, in the
// language the app started with.
func TestDesktopMenu(t *testing.T) {
	d := newDesktopExports("de")
	m := d.menu("de")
	var file []string
	for _, item := range m.Items {
		if item.Label == i18n.T("de", "desktop.menu.file", nil) {
			for _, sub := range item.SubMenu.Items {
				if sub.Label != "" {
					file = append(file, sub.Label)
				}
			}
		}
	}
	want := []string{}
	for _, k := range []string{"save-pcap", "save-pcap-keys", "save-text", "save-markdown", "open-world", "save-world", "host-room", "join-room", "quit"} {
		want = append(want, i18n.T("de", "desktop.menu."+k, nil))
	}
	require.Equal(t, want, file)
	assert.Equal(t, "Paketmitschnitt speichern (pcapng)…", file[0])

	assert.Equal(t, "Zrzut ruchu dla Wiresharka (pcapng)", capitalized(i18n.T("pl", "export.kind.pcapng", nil)))
	d.setLang("pl")
	assert.Equal(t, "pl", d.currentLang(), "exports follow the interface language")
	_, err := d.saveDialog("x.md", "markdown", "en")
	assert.Error(t, err, "no dialog before the window started")
}
