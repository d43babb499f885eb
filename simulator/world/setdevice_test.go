package world

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/worldspec"
)

// TestSetDevice: a device's protocol and security change while the world
// runs, checked as a world file; the account stays; a state line says so.
func TestSetDevice(t *testing.T) {
	dev := func(w *World, name string) *worldspec.Device { s := w.Spec(); return s.Device(name) }
	w := start(t, Options{})

	leave := true
	require.NoError(t, w.SetDevice("bob-laptop", worldspec.Device{Protocol: worldspec.POP3, Security: worldspec.Implicit, LeaveOnServer: &leave}))
	d := dev(w, "bob-laptop")
	require.NotNil(t, d)
	assert.Equal(t, worldspec.Device{Name: "bob-laptop", Account: "bob@example.net", Protocol: "pop3", Security: "implicit", LeaveOnServer: &leave}, *d)
	leave = false
	assert.True(t, *dev(w, "bob-laptop").LeaveOnServer, "the world keeps its own copy")

	for _, c := range []struct {
		name string
		d    worldspec.Device
		want string
	}{
		{"a protocol that is none", worldspec.Device{Protocol: "smtp", Security: worldspec.Plain}, "write pop3 or imap"},
		{"a security that is none", worldspec.Device{Protocol: worldspec.IMAP, Security: "ssl"}, "write starttls, implicit or plain"},
		{"leave-on-server with IMAP", worldspec.Device{Protocol: worldspec.IMAP, Security: worldspec.StartTLS, LeaveOnServer: &leave}, "only a POP3 client"},
		{"another account", worldspec.Device{Account: "alice@example.org", Protocol: worldspec.IMAP, Security: worldspec.StartTLS}, "cannot change"},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.ErrorContains(t, w.SetDevice("bob-laptop", c.d), c.want)
			assert.Equal(t, "implicit", dev(w, "bob-laptop").Security, "nothing changed")
		})
	}
	assert.ErrorContains(t, w.SetDevice("eve-laptop", worldspec.Device{Protocol: "imap", Security: "plain"}), "no device")

	var notes []event.Event
	for _, ev := range w.Conductor.Log() {
		if ev.Kind == event.KindState && ev.Code == "state.device-changed" {
			notes = append(notes, ev)
		}
	}
	require.Len(t, notes, 1)
	assert.Equal(t, "bob-laptop", notes[0].Actor)
	assert.Equal(t, map[string]string{"device": "bob-laptop", "protocol": "POP3", "security": "implicit", "port": "995"}, notes[0].Params)
	assert.Equal(t, 993, worldspec.FetchPort("imap", "implicit"))
	assert.Equal(t, 143, worldspec.FetchPort("imap", "plain"))
	assert.Equal(t, 110, worldspec.FetchPort("pop3", "starttls"))
}
