package worldspec

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func save(t *testing.T, s Spec) string {
	t.Helper()
	out, err := Marshal(s)
	require.NoError(t, err)
	return out
}

func load(text string) (Spec, error) { return Load(strings.NewReader(text)) }

func TestDefaultIsValid(t *testing.T) {
	require.NoError(t, Default().Validate())
	s := Default()
	s.Devices = append(s.Devices, ExtraDevices()...)
	require.NoError(t, s.Validate())
}

func withMail() Spec {
	s := Default()
	s.Devices = append(s.Devices, ExtraDevices()...)
	s.Mailboxes = []Mailbox{
		{Account: "bob@example.net", Messages: []Message{
			{Flags: []string{`\Seen`, "$Label1"}, Date: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC),
				Raw: "From: alice@example.org\nTo: bob@example.net\nSubject: Grüße\n\nHallo Bob,\nzażółć gęślą jaźń.\n"},
			{Raw: "From: carol@example.net\nSubject: second\n\nno flags, no date\n"},
		}},
		{Account: "alice@example.org", Folder: "Archive/2026", Messages: []Message{
			{Flags: []string{`\Flagged`}, Raw: "Subject: kept\n\nbody\n"},
		}},
	}
	return s
}

func TestSaveLoadRoundTrip(t *testing.T) {
	for name, s := range map[string]Spec{"default": Default(), "with mail": withMail()} {
		t.Run(name, func(t *testing.T) {
			text := save(t, s)
			got, err := load(text)
			require.NoError(t, err, text)
			assert.Equal(t, s, got)
			assert.Equal(t, text, save(t, got), "saving what was loaded gives the same file")
		})
	}
}

func TestSaveIsReadable(t *testing.T) {
	text := save(t, withMail())
	var first string
	for line := range strings.Lines(text) {
		if !strings.HasPrefix(line, "#") {
			first = line
			break
		}
	}
	assert.Equal(t, "maillab-world: 1\n", first, "the version line comes first")
	assert.Contains(t, text, "password: wonderland")
	assert.Contains(t, text, "mailbox-quota: 50MiB")
	assert.Contains(t, text, "login-timeout: 1m\n")
	assert.Contains(t, text, "raw: |\n", "messages are literal blocks")
	assert.Contains(t, text, "          Hallo Bob,\n")
	assert.Contains(t, text, "# The MX checks SPF, DKIM and DMARC")
	assert.Equal(t, 1, strings.Count(text, "# The MX checks SPF"), "a comment only where the key first appears")
}

func TestSaveWritesCRLFMessagesWithLF(t *testing.T) {
	s := Default()
	s.Mailboxes = []Mailbox{{Account: "bob@example.net", Messages: []Message{{Raw: "Subject: x\r\n\r\nbody\r\n"}}}}
	text := save(t, s)
	assert.NotContains(t, text, `\r`)
	got, err := load(text)
	require.NoError(t, err)
	assert.Equal(t, "Subject: x\n\nbody\n", got.Mailboxes[0].Messages[0].Raw)
}

func TestLoadMinimal(t *testing.T) {
	s, err := load(`maillab-world: 1
providers:
  - domain: example.org
    accounts: [{address: alice@example.org, password: secret}]
  - domain: example.net
    accounts:
      - {address: bob@example.net, password: "1234"}
    policy: {plaintext-auth: true, auth-checks: false, mx-size-limit: 2000, mailbox-quota: none}
devices:
  - {name: alice-laptop, account: alice@example.org, protocol: imap, security: implicit}
  - {name: bob-laptop, account: bob@example.net, protocol: pop3, security: plain, leave-on-server: true}
  - {name: bob-phone, account: bob@example.net, protocol: imap, security: starttls}
limits: {auth-failure-delay: 0, session-timeout: 90s}
`)
	require.NoError(t, err)
	assert.Nil(t, s.Providers[0].Hosts)
	assert.Equal(t, StandardHosts("example.org"), s.Providers[0].HostsOf())
	assert.True(t, s.Providers[0].Policy.Checks(), "auth checks on when left out")
	net := s.Provider("example.net").Policy
	assert.True(t, net.PlaintextAuth)
	assert.False(t, net.Checks())
	assert.Equal(t, Size(2000), net.MXSizeLimit)
	assert.Equal(t, Unlimited, net.MailboxQuota)
	a, _ := s.Account("bob@example.net")
	require.NotNil(t, a)
	assert.Equal(t, "1234", a.Password, "a number is read as the text it is")
	require.NotNil(t, s.Device("bob-laptop").LeaveOnServer)
	assert.True(t, *s.Device("bob-laptop").LeaveOnServer)
	assert.Equal(t, Duration(0), *s.Limits.AuthFailureDelay)
	assert.Equal(t, Duration(90*time.Second), *s.Limits.SessionTimeout)
	assert.Nil(t, s.Limits.MaxConns, "left out: the default")
}

// base is a valid file to break one line of.
const base = `maillab-world: 1
providers:
  - domain: example.org
    accounts:
      - address: alice@example.org
        password: wonderland
  - domain: example.net
    accounts:
      - address: bob@example.net
        password: builder
devices:
  - {name: alice-laptop, account: alice@example.org, protocol: imap, security: starttls}
  - {name: bob-laptop, account: bob@example.net, protocol: pop3, security: starttls}
  - {name: bob-phone, account: bob@example.net, protocol: imap, security: starttls}
`

func TestLoadBase(t *testing.T) {
	_, err := load(base)
	require.NoError(t, err)
}

// TestLoadErrors: each broken file gets one error naming the field and
// its line.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           string
	}{
		{"unknown key", "    accounts:\n      - address: alice", "    acounts:\n      - address: alice",
			`providers[0].acounts: unknown field "acounts" in providers[0] (known: domain, hosts, accounts, policy, dns) (line 4)`},
		{"unknown top-level key", "devices:\n", "greylisting: true\ndevices:\n",
			`greylisting: unknown field "greylisting" in the top level`},
		{"unknown policy key", "        password: builder\n", "        password: builder\n    policy: {relay: all}\n",
			`providers[1].policy.relay: unknown field "relay" in providers[1].policy (known: plaintext-auth, auth-checks, mx-size-limit, mailbox-quota, starttls-on-25, outgoing-tls, greylisting, greylist-delay, queue-lifetime, relay-networks, down) (line 11)`},
		{"wrong type: bool", "        password: builder\n", "        password: builder\n    policy: {plaintext-auth: maybe}\n",
			`providers[1].policy.plaintext-auth: "maybe" is not true or false (line 11)`},
		{"wrong type: size", "        password: builder\n", "        password: builder\n    policy: {mx-size-limit: huge}\n",
			`providers[1].policy.mx-size-limit: "huge" is not a size (write 2000, 512KiB, 50MiB, 10MB or none) (line 11)`},
		{"wrong type: number", "devices:\n", "limits: {max-conns: many}\ndevices:\n",
			`limits.max-conns: "many" is not a whole number (line 11)`},
		{"wrong type: duration", "devices:\n", "limits: {login-timeout: 5}\ndevices:\n",
			`limits.login-timeout: "5" is not a duration`},
		{"wrong type: list", "  - domain: example.org\n", "  - domain: [example.org]\n",
			`providers[0].domain: must be a single value, not a list (line 3)`},
		{"wrong type: not a list", "devices:\n  - {name: alice-laptop", "devices: alice-laptop\nx:\n  - {name: alice-laptop",
			`devices: must be a list (one "- " line per item), not "alice-laptop" (line 11)`},
		{"wrong type: not keys", "  - domain: example.org\n    accounts:", "  - example.org\n  - accounts:",
			`providers[0]: must be a set of keys (name: value), not "example.org" (line 3)`},
		{"wrong type: date", "devices:\n", "mailboxes:\n  - account: bob@example.net\n    messages:\n      - {date: yesterday, raw: 'Subject: x'}\ndevices:\n",
			`mailboxes[0].messages[0].date: "yesterday" is not a date and time`},
		{"duplicate key", "  - domain: example.org\n", "  - domain: example.org\n    domain: example.net\n",
			`providers[0].domain: given twice (first on line 3) (line 4)`},
		{"not YAML", "  - domain: example.org\n", "  - domain: example.org\n  bad: [\n",
			`not valid YAML`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(base, tc.old, tc.new, 1)
			require.NotEqual(t, base, text, "the test changes the file")
			_, err := load(text)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			var fe *FieldError
			assert.True(t, errors.As(err, &fe), "a *FieldError")
		})
	}
}

func TestLoadVersion(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"newer", "maillab-world: 2\nproviders: []\n",
			"maillab-world: unsupported world-file version 2: the file was written for a newer Maillab; this one reads version 1 (line 1)"},
		{"zero", "maillab-world: 0\n", "unsupported world-file version 0: this Maillab reads version 1"},
		{"not a number", "maillab-world: one\n", `maillab-world: "one" is not a version number (this Maillab reads version 1)`},
		{"missing", "providers: []\n", `not a Maillab world file: the line "maillab-world: 1" is missing`},
		{"not keys", "- maillab-world: 1\n", "not a Maillab world file: it must be keys and values"},
		{"empty", "", `the file is empty`},
		{"comments only", "# nothing\n", `the file is empty`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(tc.text)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := load("maillab-world: 2\n")
	assert.ErrorIs(t, err, ErrVersion)
	_, err = load("maillab-world: one\n")
	assert.NotErrorIs(t, err, ErrVersion)
}

// TestValidate: every check, on a copy of the default world with one
// thing broken; the error names the field.
func TestValidate(t *testing.T) {
	boolp := func(b bool) *bool { return &b }
	intp := func(n int) *int { return &n }
	durp := func(d time.Duration) *Duration { v := Duration(d); return &v }
	tests := []struct {
		name   string
		break_ func(s *Spec)
		want   string
	}{
		{"version", func(s *Spec) { s.Version = 3 }, "maillab-world: must be 1"},
		{"long title", func(s *Spec) { s.Title = strings.Repeat("x", 201) }, "title: is longer than 200 characters"},
		{"no providers", func(s *Spec) { s.Providers = nil }, "providers: no provider: a world needs example.org and example.net"},
		{"no domain", func(s *Spec) { s.Providers[0].Domain = "" }, "providers[0].domain: is missing"},
		{"unknown domain", func(s *Spec) { s.Providers[1].Domain = "example.edu"; s.Providers[1].Hosts = nil },
			`providers[1].domain: "example.edu" is not a provider this Maillab can run (it runs example.org and example.net, and example.com if asked)`},
		{"missing provider", func(s *Spec) { s.Providers = s.Providers[:1] },
			"providers: example.net is missing: this Maillab runs both example.org and example.net"},
		{"duplicate provider", func(s *Spec) { s.Providers = append(s.Providers, s.Clone().Providers[0]) },
			"providers[2].domain: example.org is listed twice (first as providers[0])"},
		{"renamed host", func(s *Spec) { s.Providers[0].Hosts.MX = "mx1.example.org" },
			`providers[0].hosts.mx: "mx1.example.org": this Maillab names the MX of example.org mx.example.org (servers cannot be renamed yet)`},
		{"no address", func(s *Spec) { s.Providers[1].Accounts[0].Address = "" }, "providers[1].accounts[0].address: is missing"},
		{"not an address", func(s *Spec) { s.Providers[1].Accounts[0].Address = "bob" },
			`providers[1].accounts[0].address: "bob" is not an e-mail address (write name@example.net)`},
		{"address with a name", func(s *Spec) { s.Providers[1].Accounts[0].Address = "Bob <bob@example.net>" },
			`providers[1].accounts[0].address: "Bob <bob@example.net>" is not an e-mail address`},
		{"address elsewhere", func(s *Spec) { s.Providers[1].Accounts[0].Address = "bob@example.org" },
			`providers[1].accounts[0].address: "bob@example.org" is not at example.net, the provider it is listed under`},
		{"duplicate account", func(s *Spec) { s.Providers[1].Accounts[1].Address = "BOB@example.net" },
			"providers[1].accounts[1].address: BOB@example.net is listed twice (first at providers[1].accounts[0])"},
		{"too many accounts", func(s *Spec) {
			for i := range 10000 {
				s.Providers[1].Accounts = append(s.Providers[1].Accounts, Account{Address: fmt.Sprintf("u%d@example.net", i), Password: "pw"})
			}
		}, "providers[1].accounts: 10003 accounts; a provider may have at most 100"},
		{"no password", func(s *Spec) { s.Providers[0].Accounts[0].Password = "" }, "providers[0].accounts[0].password: is missing"},
		{"long password", func(s *Spec) { s.Providers[0].Accounts[0].Password = strings.Repeat("p", 129) },
			"providers[0].accounts[0].password: is longer than 128 characters"},
		{"control in password", func(s *Spec) { s.Providers[0].Accounts[0].Password = "a\tb" },
			"providers[0].accounts[0].password: contains a control character"},
		{"space around password", func(s *Spec) { s.Providers[0].Accounts[0].Password = " pw" },
			"providers[0].accounts[0].password: starts or ends with a space"},
		{"size none", func(s *Spec) { s.Providers[0].Policy.MXSizeLimit = Unlimited },
			"providers[0].policy.mx-size-limit: cannot be none: every MX announces a SIZE"},
		{"size tiny", func(s *Spec) { s.Providers[0].Policy.MXSizeLimit = 999 },
			"providers[0].policy.mx-size-limit: 999B is outside 1000B to 1GiB"},
		{"size huge", func(s *Spec) { s.Providers[0].Policy.MXSizeLimit = 2 << 30 },
			"providers[0].policy.mx-size-limit: 2GiB is outside 1000B to 1GiB"},
		{"quota tiny", func(s *Spec) { s.Providers[1].Policy.MailboxQuota = 100 },
			"providers[1].policy.mailbox-quota: 100B is less than 1KiB; write none for no limit"},
		{"no device name", func(s *Spec) {
			s.Devices = append(s.Devices, Device{Account: "bob@example.net", Protocol: IMAP, Security: StartTLS})
		},
			"devices[5].name: is missing"},
		{"unknown device", func(s *Spec) { s.Devices[0].Name = "eve-laptop" },
			`devices[0].name: "eve-laptop" is not a device this Maillab has (it has alice-laptop, bob-laptop, bob-phone, carol-laptop, dave-laptop, erin-laptop)`},
		{"duplicate device", func(s *Spec) { s.Devices = append(s.Devices, s.Devices[2]) },
			"devices[5].name: bob-phone is listed twice (first as devices[2])"},
		{"missing device", func(s *Spec) { s.Devices = s.Devices[1:] },
			"devices: alice-laptop missing: the scenarios use alice-laptop, bob-laptop, bob-phone"},
		{"no device account", func(s *Spec) { s.Devices[0].Account = "" }, "devices[0].account: is missing"},
		{"unknown device account", func(s *Spec) { s.Devices[0].Account = "eve@example.org" },
			`devices[0].account: "eve@example.org" is not an account of any provider`},
		{"protocol", func(s *Spec) { s.Devices[0].Protocol = "smtp" }, `devices[0].protocol: "smtp": write pop3 or imap`},
		{"security", func(s *Spec) { s.Devices[0].Security = "tls" }, `devices[0].security: "tls": write starttls, implicit or plain`},
		{"leave on IMAP", func(s *Spec) { s.Devices[2].LeaveOnServer = boolp(true) },
			"devices[2].leave-on-server: only a POP3 client has this setting"},
		{"max conns", func(s *Spec) { s.Limits.MaxConns = intp(0) }, "limits.max-conns: 0 is outside 1 to 10000"},
		{"per addr", func(s *Spec) { s.Limits.MaxConnsPerAddr = intp(10001) }, "limits.max-conns-per-addr: 10001 is outside 1 to 10000"},
		{"login timeout", func(s *Spec) { s.Limits.LoginTimeout = durp(0) }, "limits.login-timeout: 0s is outside 1ms to 24h"},
		{"stress timeout", func(s *Spec) { s.Limits.StressTimeout = durp(0) }, "limits.stress-timeout: 0s is outside 1ms to 24h"},
		{"session timeout", func(s *Spec) { s.Limits.SessionTimeout = durp(25 * time.Hour) }, "limits.session-timeout: 25h is outside 0s to 24h"},
		{"auth delay", func(s *Spec) { s.Limits.AuthFailureDelay = durp(time.Minute) }, "limits.auth-failure-delay: 1m is outside 0s to 30s"},
		{"mailbox account", func(s *Spec) { s.Mailboxes[0].Account = "" }, "mailboxes[0].account: is missing"},
		{"mailbox unknown account", func(s *Spec) { s.Mailboxes[0].Account = "eve@example.net" },
			`mailboxes[0].account: "eve@example.net" is not an account of any provider`},
		{"folder", func(s *Spec) { s.Mailboxes[1].Folder = "Archive//x" },
			`mailboxes[1].folder: "Archive//x" is not a folder name IMAP can show`},
		{"no raw", func(s *Spec) { s.Mailboxes[0].Messages[0].Raw = " \n" }, "mailboxes[0].messages[0].raw: is missing"},
		{"raw not a message", func(s *Spec) { s.Mailboxes[0].Messages[0].Raw = "just some text\n" },
			"mailboxes[0].messages[0].raw: is not an RFC 5322 message (header fields, an empty line, the body)"},
		{"raw without header", func(s *Spec) { s.Mailboxes[0].Messages[0].Raw = "\nonly a body\n" },
			"mailboxes[0].messages[0].raw: has no header fields"},
		{"raw too large", func(s *Spec) { s.Mailboxes[0].Messages[0].Raw = "Subject: x\n\n" + strings.Repeat("x", 1<<20) },
			"mailboxes[0].messages[0].raw: is larger than 1MiB"},
		{"too many messages", func(s *Spec) {
			s.Mailboxes[0].Messages = make([]Message, 1001)
		}, "mailboxes[0].messages: more than 1000 messages in the world"},
		{"system flag", func(s *Spec) { s.Mailboxes[0].Messages[0].Flags = []string{`\Recent`} },
			`mailboxes[0].messages[0].flags[0]: "\\Recent" is not a system flag (\Seen \Answered \Flagged \Deleted \Draft)`},
		{"keyword", func(s *Spec) { s.Mailboxes[0].Messages[1].Flags = []string{"my label"} },
			`mailboxes[0].messages[1].flags[0]: "my label" is not a keyword IMAP can store`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := withMail()
			tc.break_(&s)
			err := s.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestValidateLinesFromFile(t *testing.T) {
	text := strings.Replace(base, "address: bob@example.net", "address: bob", 1)
	_, err := load(text)
	require.Error(t, err)
	assert.Equal(t, `providers[1].accounts[0].address: "bob" is not an e-mail address (write name@example.net) (line 9)`+"\n"+
		`devices[1].account: "bob@example.net" is not an account of any provider (line 13)`+"\n"+
		`devices[2].account: "bob@example.net" is not an account of any provider (line 14)`, err.Error())

	text = strings.Replace(base, "name: bob-phone, account: bob@example.net", "name: bob-phone, account: eve@example.net", 1)
	_, err = load(strings.Replace(text, "protocol: pop3", "protocol: smtp", 1))
	require.Error(t, err)
	assert.Equal(t, `devices[1].protocol: "smtp": write pop3 or imap (line 13)`+"\n"+
		`devices[2].account: "eve@example.net" is not an account of any provider (line 14)`, err.Error(), "every problem, in order")
}

func TestValidateStopsAfterTwenty(t *testing.T) {
	s := Default()
	for i := range 50 {
		s.Providers[1].Accounts = append(s.Providers[1].Accounts, Account{Address: fmt.Sprintf("x%d", i), Password: "pw"})
	}
	err := s.Validate()
	require.Error(t, err)
	assert.Equal(t, 21, strings.Count(err.Error(), "\n")+1)
	assert.Contains(t, err.Error(), "… and more; fix these first")
}

func TestLoadTooLarge(t *testing.T) {
	big := base + "notes: |\n" + strings.Repeat("  "+strings.Repeat("x", 1000)+"\n", MaxFileBytes/1000)
	_, err := Load(strings.NewReader(big))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the file is larger than 16MiB")
}

func TestLoadTenThousandAccounts(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(strings.Replace(base, "        password: builder\n", "        password: builder\n", 1))
	text := b.String()
	var extra strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&extra, "      - {address: u%d@example.net, password: pw}\n", i)
	}
	text = strings.Replace(text, "        password: builder\n", "        password: builder\n"+extra.String(), 1)
	_, err := load(text)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "providers[1].accounts: 10001 accounts; a provider may have at most 100 (line 9)")
}

func TestSizeAndDuration(t *testing.T) {
	for in, want := range map[string]Size{"2000": 2000, "512KiB": 512 << 10, "50MiB": 50 << 20, "10MB": 10e6, "none": Unlimited, "NONE": Unlimited} {
		s, err := load(strings.Replace(base, "        password: builder\n", "        password: builder\n    policy: {mailbox-quota: "+in+"}\n", 1))
		require.NoError(t, err, in)
		assert.Equal(t, want, s.Providers[1].Policy.MailboxQuota, in)
	}
	assert.Equal(t, "50MiB", Size(50<<20).String())
	assert.Equal(t, "none", Unlimited.String())
	assert.Equal(t, "1000B", Size(1000).String())
	assert.Equal(t, "1m", Duration(time.Minute).String())
	assert.Equal(t, "1h", Duration(time.Hour).String())
	assert.Equal(t, "1m30s", Duration(90*time.Second).String())
	assert.Equal(t, "500ms", Duration(500*time.Millisecond).String())
}

func TestCloneIsDeep(t *testing.T) {
	s := withMail()
	c := s.Clone()
	c.Providers[0].Accounts[0].Password = "changed"
	c.Providers[0].Hosts.MX = "changed"
	*c.Providers[0].Policy.AuthChecks = false
	*c.Limits.MaxConns = 1
	*c.Devices[1].LeaveOnServer = true
	c.Mailboxes[0].Messages[0].Flags[0] = "changed"
	assert.Equal(t, withMail(), s)
}

// Aliases that repeat a list millions of times are refused, not expanded.
func TestLoadAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString(base + "mailboxes:\n  - account: bob@example.net\n    messages: &m\n")
	b.WriteString("      - &x {raw: \"Subject: x\\n\\nx\\n\"}\n")
	for range 2000 {
		b.WriteString("      - *x\n")
	}
	for range 1000 {
		b.WriteString("  - {account: bob@example.net, messages: *m}\n")
	}
	_, err := load(b.String())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the file holds more than 100000 values")
}

// A file saved by Windows Notepad (a BOM, CRLF line ends) loads the same.
func TestLoadWindowsFile(t *testing.T) {
	text := save(t, withMail())
	got, err := load("\ufeff" + strings.ReplaceAll(text, "\n", "\r\n"))
	require.NoError(t, err)
	assert.Equal(t, withMail(), got)
}
