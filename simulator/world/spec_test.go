package world

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/netmap"
	"maillab/simulator/store"
	"maillab/simulator/worldspec"
)

// Options{} builds DefaultSpec's world, and the configuration options
// land in the spec's fields.
func TestEffectiveSpec(t *testing.T) {
	assert.Equal(t, DefaultSpec(), Options{}.EffectiveSpec())

	s := Options{InsecureAuth: []string{"example.org"}, NoAuthChecks: true, MXMaxMessageBytes: 2000,
		MailboxQuota: -1, ExtraDevices: true, MaxConns: 7, AuthFailureDelay: -1, SessionTimeout: time.Second}.EffectiveSpec()
	require.NoError(t, s.Validate())
	org, net := s.Provider("example.org").Policy, s.Provider("example.net").Policy
	assert.True(t, org.PlaintextAuth)
	assert.False(t, net.PlaintextAuth)
	for _, p := range []worldspec.Policy{org, net} {
		assert.False(t, p.Checks())
		assert.Equal(t, worldspec.Size(2000), p.MXSizeLimit)
		assert.Equal(t, worldspec.Unlimited, p.MailboxQuota)
	}
	assert.NotNil(t, s.Device("carol-laptop"))
	assert.NotNil(t, s.Device("dave-laptop"))
	assert.Equal(t, 7, *s.Limits.MaxConns)
	assert.Equal(t, worldspec.Duration(0), *s.Limits.AuthFailureDelay)
	assert.Equal(t, worldspec.Duration(time.Second), *s.Limits.SessionTimeout)

	spec := DefaultSpec()
	spec.Title = "mine"
	again := Options{Spec: &spec, ExtraDevices: true}.EffectiveSpec()
	again.Title = "changed"
	assert.Equal(t, "mine", spec.Title, "the caller's spec is not changed")
	assert.Len(t, spec.Devices, 3)
}

// The world a spec builds answers with the spec's accounts, devices and
// policy; Spec gives the spec back.
func TestWorldFromAFile(t *testing.T) {
	text, err := worldspec.Marshal(DefaultSpec())
	require.NoError(t, err)
	text = strings.Replace(text, "password: wonderland", "password: through-the-looking-glass", 1)
	text = strings.Replace(text, "  - domain: example.net\n", "  - domain: example.net\n", 1)
	text = strings.Replace(text, "    accounts:\n      - address: bob@example.net\n        password: builder\n",
		"    accounts:\n      - address: bob@example.net\n        password: builder\n      - address: eve@example.net\n        password: apple\n", 1)
	spec, err := worldspec.Load(strings.NewReader(text))
	require.NoError(t, err)

	w := start(t, Options{Spec: &spec, AuthFailureDelay: -1})
	assert.Equal(t, "through-the-looking-glass", w.Device("alice-laptop").Account.Password)
	assert.True(t, w.Provider("example.net").Store.HasUser("eve@example.net"))
	assert.Nil(t, w.Device("carol-laptop"))

	// Over IMAP on loopback (993, implicit TLS): the new password works, the old one not.
	for _, tc := range []struct{ user, pass, want string }{
		{"alice@example.org", "through-the-looking-glass", "a OK"},
		{"alice@example.org", "wonderland", "a NO [AUTHENTICATIONFAILED]"},
		{"eve@example.net", "apple", "a OK"},
	} {
		host := "mail." + tc.user[strings.IndexByte(tc.user, '@')+1:]
		im := dialTLSAt(t, w, host, netmap.IMAPS, "127.0.0.1")
		im.read() // greeting
		got := im.send("a LOGIN "+tc.user+" "+tc.pass, tagged)
		assert.True(t, strings.HasPrefix(got[len(got)-1], tc.want), "%s/%s: %v", tc.user, tc.pass, got)
	}

	got := w.Spec()
	want := spec.Clone()
	want.Limits.AuthFailureDelay = got.Limits.AuthFailureDelay // the test's option
	assert.Equal(t, want, got)
}

// A provider's policy in the spec reaches its servers: plaintext
// passwords on 143 at example.net only, a small SIZE on its MX.
func TestSpecPolicyReachesTheServers(t *testing.T) {
	spec := DefaultSpec()
	spec.Provider("example.net").Policy.PlaintextAuth = true
	spec.Provider("example.net").Policy.MXSizeLimit = 4000
	w := start(t, Options{Spec: &spec, AuthFailureDelay: -1})

	im := dialRaw(t, w, "mail.example.net", netmap.IMAP)
	got := im.send("a LOGIN bob@example.net builder", tagged)
	assert.True(t, strings.HasPrefix(got[len(got)-1], "a OK"), got)
	strict := dialRaw(t, w, "mail.example.org", netmap.IMAP)
	got = strict.send("a LOGIN alice@example.org wonderland", tagged)
	assert.True(t, strings.HasPrefix(got[len(got)-1], "a NO [PRIVACYREQUIRED]"), got)

	for domain, size := range map[string]string{"example.net": "250 SIZE 4000", "example.org": "250 SIZE 10485760"} {
		mx := dialRaw(t, w, "mx."+domain, netmap.SMTP)
		ehlo := mx.send("EHLO client.test", func(l string) bool { return strings.HasPrefix(l, "250 ") })
		assert.Contains(t, ehlo, size, domain)
	}
	assert.Equal(t, int64(4000), w.bodyRecord("mx.example.net", "smtp"), "the tap keeps what the MX would take")
}

// A spec with mailboxes starts with that mail stored, in CRLF, with
// its flags and date; SpecWithMail gives it back.
func TestSpecMailboxes(t *testing.T) {
	spec := DefaultSpec()
	date := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	spec.Mailboxes = []worldspec.Mailbox{
		{Account: "bob@example.net", Messages: []worldspec.Message{
			{Flags: []string{`\Seen`, "$Important"}, Date: date, Raw: "From: alice@example.org\nSubject: Hi\n\nHello Bob\n"}}},
		{Account: "alice@example.org", Folder: "Archive", Messages: []worldspec.Message{
			{Raw: "Subject: old\n\nkept\n"}}},
	}
	now := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	w := start(t, Options{Spec: &spec, Now: func() time.Time { return now }})

	inbox, err := w.Provider("example.net").Store.Messages("bob@example.net", store.Inbox)
	require.NoError(t, err)
	require.Len(t, inbox, 1)
	assert.Equal(t, "From: alice@example.org\r\nSubject: Hi\r\n\r\nHello Bob\r\n", string(inbox[0].Raw))
	assert.Equal(t, []string{`\Seen`, "$Important"}, inbox[0].Flags)
	assert.True(t, date.Equal(inbox[0].InternalDate))
	archive, err := w.Provider("example.org").Store.Messages("alice@example.org", "Archive")
	require.NoError(t, err)
	require.Len(t, archive, 1)
	assert.True(t, now.Equal(archive[0].InternalDate), "no date: when the world starts")

	saved, err := w.SpecWithMail()
	require.NoError(t, err)
	require.Len(t, saved.Mailboxes, 2)
	text, err := worldspec.Marshal(saved)
	require.NoError(t, err)
	again, err := worldspec.Load(strings.NewReader(text))
	require.NoError(t, err)
	w2 := start(t, Options{Spec: &again})
	inbox2, err := w2.Provider("example.net").Store.Messages("bob@example.net", store.Inbox)
	require.NoError(t, err)
	require.Len(t, inbox2, 1)
	assert.Equal(t, inbox[0].Raw, inbox2[0].Raw)
	assert.Equal(t, inbox[0].Flags, inbox2[0].Flags)
	assert.Equal(t, spec.Mailboxes, w.Spec().Mailboxes, "Spec has the mail the world started with")
}

// An invalid spec is refused before anything listens.
func TestStartRefusesAnInvalidSpec(t *testing.T) {
	spec := DefaultSpec()
	spec.Providers[1].Accounts[0].Address = "bob"
	_, err := Start(Options{Spec: &spec})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `providers[1].accounts[0].address: "bob" is not an e-mail address`)
}
