//go:build !(js && wasm)

package app

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/scenario"
)

func composeReq(mod func(r *ComposeRequest)) ComposeRequest {
	r := ComposeRequest{Lang: "en", Device: "alice-laptop", To: []string{"bob@example.net"},
		Subject: "Hallo", Body: "Hi Bob\nbye", Route: "587"}
	if mod != nil {
		mod(&r)
	}
	return r
}

// TestComposeBounds: every bound gets a clear error in the asked
// language, and a good request becomes the draft go-message will write.
func TestComposeBounds(t *testing.T) {
	many := make([]string, MaxRecipients+1)
	for i := range many {
		many[i] = "bob@example.net"
	}
	big := base64.StdEncoding.EncodeToString(make([]byte, MaxAttachmentBytes+1))
	half := base64.StdEncoding.EncodeToString(make([]byte, MaxAttachmentBytes))
	cases := []struct {
		name string
		lang string
		mod  func(r *ComposeRequest)
		want string
	}{
		{"unknown route", "en", func(r *ComposeRequest) { r.Route = "2525" }, "Unknown way of sending “2525”"},
		{"no recipient", "en", func(r *ComposeRequest) { r.To = []string{" "} }, "at least one recipient"},
		{"too many recipients", "de", func(r *ComposeRequest) { r.To = many }, "Höchstens 10 Empfänger"},
		{"not an address", "pl", func(r *ComposeRequest) { r.Cc = []string{"bob"} }, "„bob” nie jest adresem e-mail"},
		{"a header injection in an address", "en", func(r *ComposeRequest) { r.Bcc = []string{"a@b\r\nBcc: x@y"} }, "is not an e-mail address"},
		{"a line break in the subject", "en", func(r *ComposeRequest) { r.Subject = "hi\r\nBcc: eve@example.com" }, "no line breaks"},
		{"a long subject", "en", func(r *ComposeRequest) { r.Subject = strings.Repeat("ż", MaxSubjectRunes+1) }, "at most 200 characters"},
		{"a long body", "en", func(r *ComposeRequest) { r.Body = strings.Repeat("x", MaxBodyBytes+1) }, "at most 32 KB"},
		{"too many files", "en", func(r *ComposeRequest) {
			r.Samples = []string{"photo.png", "photo.png", "photo.png", "report.pdf", "report.pdf", "greetings.txt"}
		}, "At most 5 attachments"},
		{"unknown sample", "en", func(r *ComposeRequest) { r.Samples = []string{"../etc/passwd"} }, "no sample file"},
		{"a path as file name", "en", func(r *ComposeRequest) {
			r.Uploads = []UploadedFile{{Name: "../x", Base64: "eA=="}}
		}, "cannot be used"},
		{"bad base64", "en", func(r *ComposeRequest) { r.Uploads = []UploadedFile{{Name: "a.bin", Base64: "!!"}} }, "invalid base64"},
		{"one file too big", "en", func(r *ComposeRequest) { r.Uploads = []UploadedFile{{Name: "a.bin", Base64: big}} }, "larger than 512 KB"},
		{"all files too big", "en", func(r *ComposeRequest) {
			r.Uploads = []UploadedFile{{Name: "a.bin", Base64: half}, {Name: "b.bin", Base64: half}, {Name: "c.bin", Base64: half}}
		}, "together may be at most 1024 KB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := composeReq(c.mod)
			r.Lang = c.lang
			_, _, err := buildDraft(r, "alice@example.org")
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}

	d, route, err := buildDraft(composeReq(func(r *ComposeRequest) {
		r.To = []string{"Bob <bob@example.net>", ""}
		r.Bcc = []string{"dave@example.net"}
		r.Samples = []string{"greetings.txt"}
		r.Uploads = []UploadedFile{{Name: "Zażółć.txt", Type: "text/plain; charset=utf-8", Base64: "eA=="},
			{Name: "x.bin", Type: "no type", Base64: "AAE="}}
	}), "alice@example.org")
	require.NoError(t, err)
	assert.Equal(t, scenario.RouteSubmission, route)
	assert.Equal(t, []string{"bob@example.net"}, d.To)
	assert.Equal(t, []string{"dave@example.net"}, d.Bcc)
	assert.Equal(t, "Hi Bob\r\nbye", d.Body)
	require.Len(t, d.Attachments, 3)
	assert.Equal(t, "text/plain; charset=utf-8", d.Attachments[1].ContentType)
	assert.Equal(t, "application/octet-stream", d.Attachments[2].ContentType)
	assert.Equal(t, []byte{0, 1}, d.Attachments[2].Data)
}

// TestMailClientLive: in the live run the actions run at once: Alice's
// mail with a sample photo reaches Bob's mailbox, his laptop's "Check
// mail" downloads it over POP3 and shows the subject as text and the
// attachment's name.
func TestMailClientLive(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.Compose(composeReq(nil))
	assert.Contains(t, err.Error(), "No world is running")
	_, err = a.Start(scenario.LiveID)
	require.NoError(t, err)

	_, err = a.Compose(composeReq(func(r *ComposeRequest) { r.Device = "eve-laptop" }))
	assert.ErrorContains(t, err, "no device “eve-laptop”")

	subject := `<script>alert(1)</script> Grüße`
	started, err := a.Compose(composeReq(func(r *ComposeRequest) {
		r.Subject = subject
		r.Samples = []string{"photo.png"}
	}))
	require.NoError(t, err)
	assert.False(t, started.Stepped)
	require.Eventually(t, func() bool { return mailboxCount(t, a, "bob@example.net") == 1 },
		20*time.Second, 20*time.Millisecond, "the mail reaches Bob's mailbox")

	started, err = a.CheckMail(CheckRequest{Lang: "en", Device: "bob-laptop"})
	require.NoError(t, err)
	assert.Equal(t, "pop3", started.Protocol)
	var got MailItem
	require.Eventually(t, func() bool {
		for _, d := range mustDevices(t, a) {
			if d.ID == "bob-laptop" && len(d.Messages) == 1 && !d.Busy {
				got = d.Messages[0]
				return true
			}
		}
		return false
	}, 20*time.Second, 20*time.Millisecond)
	assert.Equal(t, subject, got.Subject)
	assert.True(t, got.Whole)
	assert.Equal(t, []string{"photo.png"}, got.Attachments)
	assert.Equal(t, "Hi Bob\r\nbye", got.Body)
	assert.False(t, got.OnServer)
	assert.Equal(t, 0, mailboxCount(t, a, "bob@example.net"), "POP3 without leave-on-server deletes")

	// The phone reads over IMAP: it lists the folders.
	_, err = a.CheckMail(CheckRequest{Device: "bob-phone"})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		for _, d := range mustDevices(t, a) {
			if d.ID == "bob-phone" && len(d.Folders) > 0 && !d.Busy {
				assert.Equal(t, "imap", d.Protocol)
				assert.Contains(t, d.Folders, "INBOX")
				return true
			}
		}
		return false
	}, 20*time.Second, 20*time.Millisecond)

	// The mail is gone from the server (POP3 deleted it): send another and open it on the phone.
	_, err = a.Compose(composeReq(func(r *ComposeRequest) { r.Subject = "Zwei"; r.Samples = []string{"report.pdf"} }))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return mailboxCount(t, a, "bob@example.net") == 1 }, 20*time.Second, 20*time.Millisecond)
	_, err = a.OpenMail(OpenRequest{Lang: "de", Device: "bob-phone", Key: "imap:99"})
	assert.ErrorContains(t, err, "keine solche IMAP-Nachricht")
	_, err = a.CheckMail(CheckRequest{Device: "bob-phone"})
	require.NoError(t, err)
	var key string
	require.Eventually(t, func() bool {
		for _, d := range mustDevices(t, a) {
			if d.ID == "bob-phone" && len(d.Messages) == 1 && !d.Busy {
				assert.False(t, d.Messages[0].Whole, "IMAP shows the envelope")
				key = d.Messages[0].Key
				return true
			}
		}
		return false
	}, 20*time.Second, 20*time.Millisecond)
	_, err = a.OpenMail(OpenRequest{Device: "bob-phone", Key: key})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		for _, d := range mustDevices(t, a) {
			if d.ID == "bob-phone" && len(d.Messages) == 1 && d.Messages[0].Seen && !d.Busy {
				assert.Equal(t, []string{"report.pdf"}, d.Messages[0].Attachments)
				return true
			}
		}
		return false
	}, 20*time.Second, 20*time.Millisecond)
}

// TestMailClientStepped: in a stepped run nothing is sent until the run
// is stepped, and a reset ends a waiting action.
func TestMailClientStepped(t *testing.T) {
	a, _ := newTestApp(t)
	_, err := a.Start("send-pop3")
	require.NoError(t, err)
	started, err := a.Compose(composeReq(nil))
	require.NoError(t, err)
	assert.True(t, started.Stepped)
	devs := mustDevices(t, a)
	require.NotEmpty(t, devs)
	assert.Equal(t, "alice-laptop", devs[0].ID)
	assert.True(t, devs[0].Busy, "the send waits for a step")
	_, err = a.Reset()
	require.NoError(t, err)
	assert.False(t, mustDevices(t, a)[0].Busy, "a reset ends it")
}

func TestMailClientOverHTTP(t *testing.T) {
	a, srv := newServer(t)
	_, err := a.Start(scenario.LiveID)
	require.NoError(t, err)
	status, _ := post(t, srv, "compose", "", composeReq(nil))
	assert.Equal(t, 403, status, "viewers may not send")
	status, _ = post(t, srv, "checkMail", "", CheckRequest{Device: "bob-laptop"})
	assert.Equal(t, 403, status, "viewers may not check mail")
	status, out := post(t, srv, "devices", "")
	assert.Equal(t, 200, status)
	var devs []DeviceInfo
	require.NoError(t, json.Unmarshal(out["result"], &devs))
	assert.Len(t, devs, 3)
	status, out = post(t, srv, "mailSamples", "")
	assert.Equal(t, 200, status)
	assert.Contains(t, string(out["result"]), "report.pdf")

	// An upload larger than the default body limit is read for compose.
	big := base64.StdEncoding.EncodeToString(make([]byte, 200<<10))
	status, out = post(t, srv, "compose", "secret", composeReq(func(r *ComposeRequest) {
		r.Uploads = []UploadedFile{{Name: "zeros.bin", Base64: big}}
	}))
	assert.Equal(t, 200, status, "%s", out["error"])
	require.Eventually(t, func() bool { return mailboxCount(t, a, "bob@example.net") == 1 },
		20*time.Second, 20*time.Millisecond)
	status, _ = post(t, srv, "checkMail", "secret", map[string]any{"device": "bob-laptop", "leaveOnServer": true})
	assert.Equal(t, 200, status)
}

func mustDevices(t *testing.T, a *App) []DeviceInfo {
	t.Helper()
	d, err := a.Devices()
	require.NoError(t, err)
	return d
}

func mailboxCount(t *testing.T, a *App, addr string) int {
	t.Helper()
	s, err := a.Snapshot()
	require.NoError(t, err)
	for _, p := range s.Mailboxes {
		for _, u := range p.Users {
			if u.Address == addr {
				n := 0
				for _, m := range u.Mailboxes {
					n += len(m.Messages)
				}
				return n
			}
		}
	}
	return -1
}
