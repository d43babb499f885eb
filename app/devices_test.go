//go:build !(js && wasm)

package app

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/scenario"
)

func deviceSettingsOf(t *testing.T, a *App, name string) DeviceSettings {
	t.Helper()
	s, err := a.WorldSettings()
	require.NoError(t, err)
	for _, d := range s.Devices {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no device %s in %+v", name, s.Devices)
	return DeviceSettings{}
}

// checkLines presses "Check mail" on device and returns the transcript's
// lines of its connections once the check has ended.
func checkLines(t *testing.T, a *App, device string, from uint64) []event.Event {
	t.Helper()
	_, err := a.CheckMail(CheckRequest{Lang: "en", Device: device})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		for _, d := range mustDevices(t, a) {
			if d.ID == device {
				return !d.Busy
			}
		}
		return false
	}, 20*time.Second, 20*time.Millisecond)
	page, err := a.Events(from, 0)
	require.NoError(t, err)
	var out []event.Event
	for _, l := range page.Events {
		if l.Client == device && l.Kind == event.KindLine {
			out = append(out, l.Event)
		}
	}
	return out
}

func lastSeq(t *testing.T, a *App) uint64 {
	page, err := a.Events(0, 0)
	require.NoError(t, err)
	if len(page.Events) == 0 {
		return 0
	}
	return page.Events[len(page.Events)-1].Seq
}

// TestDevicesFollowTheWorld: the mail client checks mail as the world
// says the device does, and setDevice changes it while the world runs.
func TestDevicesFollowTheWorld(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.Start(scenario.LiveID)
	require.NoError(t, err)

	bob := deviceSettingsOf(t, a, "bob-laptop")
	assert.Equal(t, DeviceSettings{Name: "bob-laptop", Account: "bob@example.net", Protocol: "pop3", Security: "starttls", Port: 110}, bob)

	// Bob's laptop switched to IMAP checks mail over IMAP on 143.
	require.NoError(t, a.SetDevice("bob-laptop", DeviceSettings{Protocol: "imap", Security: "starttls"}, "en"))
	changed := stateLine(t, a, "state.device-changed")
	assert.Equal(t, "bob-laptop", changed.Actor)
	assert.Equal(t, "143", changed.Params["port"])
	for _, d := range mustDevices(t, a) {
		if d.ID == "bob-laptop" {
			assert.Equal(t, "imap", d.Protocol)
			assert.Equal(t, 143, d.Port)
		}
	}
	lines := checkLines(t, a, "bob-laptop", lastSeq(t, a))
	require.NotEmpty(t, lines)
	for _, l := range lines {
		assert.Equal(t, "imap", l.Proto, "%s", l.Text)
		assert.Equal(t, 143, l.Port)
	}

	// Implicit TLS: 993 for IMAP, 995 for POP3, every line encrypted.
	for _, c := range []struct {
		proto, want string
		port        int
	}{{"imap", "imap", 993}, {"pop3", "pop3", 995}} {
		require.NoError(t, a.SetDevice("bob-laptop", DeviceSettings{Protocol: c.proto, Security: "implicit", LeaveOnServer: true}, "en"))
		assert.Equal(t, c.port, deviceSettingsOf(t, a, "bob-laptop").Port)
		lines := checkLines(t, a, "bob-laptop", lastSeq(t, a))
		require.NotEmpty(t, lines)
		for _, l := range lines {
			assert.Equal(t, c.want, l.Proto, "%s", l.Text)
			assert.Equal(t, c.port, l.Port)
			assert.True(t, l.Encrypted, "%s is encrypted", l.Text)
		}
	}
	assert.True(t, deviceSettingsOf(t, a, "bob-laptop").LeaveOnServer)

	// Plain POP3 on a provider that refuses passwords before TLS: the
	// refusal is in the transcript.
	require.NoError(t, a.SetDevice("bob-laptop", DeviceSettings{Protocol: "pop3", Security: "plain"}, "en"))
	lines = checkLines(t, a, "bob-laptop", lastSeq(t, a))
	var refused bool
	for _, l := range lines {
		assert.False(t, l.Encrypted)
		refused = refused || strings.HasPrefix(l.Text, "-ERR [AUTH] Plaintext authentication disallowed")
	}
	assert.True(t, refused, "the server refuses the password: %v", lines)
	stateLine(t, a, "state.client-check-failed")

	// Wrong values are refused in the asked language, and the account stays.
	err = a.SetDevice("bob-laptop", DeviceSettings{Protocol: "smtp", Security: "plain"}, "de")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "write pop3 or imap")
	err = a.SetDevice("eve-laptop", DeviceSettings{Protocol: "pop3", Security: "plain"}, "en")
	assert.ErrorContains(t, err, "eve-laptop")
	err = a.SetDevice("bob-laptop", DeviceSettings{Account: "alice@example.org", Protocol: "pop3", Security: "plain"}, "en")
	require.NoError(t, err, "the account is not the dialog's to change")
	assert.Equal(t, "bob@example.net", deviceSettingsOf(t, a, "bob-laptop").Account)
}

// TestSetDeviceWithoutARun changes the next run's device.
func TestSetDeviceWithoutARun(t *testing.T) {
	a, _ := newTestApp(t)
	require.NoError(t, a.SetDevice("bob-phone", DeviceSettings{Protocol: "pop3", Security: "implicit", LeaveOnServer: true}, "en"))
	d := deviceSettingsOf(t, a, "bob-phone")
	assert.Equal(t, DeviceSettings{Name: "bob-phone", Account: "bob@example.net", Protocol: "pop3", Security: "implicit", Port: 995, LeaveOnServer: true}, d)
	_, err := a.Start(scenario.LiveID)
	require.NoError(t, err)
	assert.Equal(t, 995, deviceSettingsOf(t, a, "bob-phone").Port, "the run starts with it")
}
