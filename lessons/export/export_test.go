package export

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/lessons/i18n"
	"maillab/simulator/event"
	"maillab/simulator/scenario"
	"maillab/simulator/transcript"
	"maillab/simulator/world"
)

var update = flag.Bool("update", false, "rewrite testdata/*.md")

var goldenDate = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// TestMarkdownGolden exports send-pop3 in English. The log is made
// deterministic first: connections grouped between actions (as the
// scenario goldens do), then steps, times, ports and random ids
// normalised, so the golden shows the layout and every explanation.
func TestMarkdownGolden(t *testing.T) {
	log := stable(runScenario(t, "send-pop3"))
	var out bytes.Buffer
	require.NoError(t, Markdown(&out, log, Options{Lang: "en", Scenario: "send-pop3",
		Title: i18n.T("en", "scenario.send-pop3.title", nil), Date: goldenDate}))
	path := filepath.Join("testdata", "send-pop3.en.md")
	if *update {
		require.NoError(t, os.WriteFile(path, out.Bytes(), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file (go test ./lessons/export -update)")
	assert.Equal(t, string(want), out.String())
}

func runScenario(t testing.TB, id string) []event.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := scenario.RunInstant(ctx, id, world.Options{Now: func() time.Time { return goldenDate }})
	require.NoError(t, err, "RunInstant(%s)", id)
	log := r.World.Conductor.Log()
	require.NoError(t, r.Close(), "Close()")
	return log
}

var randomParts = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(127\.\d+\.\d+\.\d+):\d+`), "$1:PORT"},
	{regexp.MustCompile(`(queued as )[A-Za-z0-9]+`), "${1}QID"},
	{regexp.MustCompile(`<\d+\.\d+\.\d+@mail\.example\.(org|net)>`), "<APOP-TIMESTAMP@mail.example.$1>"},
	{regexp.MustCompile(`<[0-9A-Fa-f]+\.[0-9a-f]+@smtp\.`), "<MSGID@smtp."},
	{regexp.MustCompile(`(\bid )[A-Za-z0-9]+`), "${1}ID"},
	{regexp.MustCompile(`(k=(?:rsa|ed25519); p=)[A-Za-z0-9+/]+=*`), "${1}KEY"},
	{regexp.MustCompile(`(; t=)\d+;`), "${1}TIME;"},
	{regexp.MustCompile(`^(\s*b=)[A-Za-z0-9+/]+=*$`), "${1}SIG"},
	{regexp.MustCompile(`^(\s*)[A-Za-z0-9+/]{20,}=*$`), "${1}SIG"},
	{regexp.MustCompile(`^(\s+)[A-Za-z0-9+/]+={1,2}$`), "${1}SIG"}, // the signature's last piece, however short
	{regexp.MustCompile(`^(\d+ )\d{9,10}\.(\d+)$`), "${1}UIDVALIDITY.$2"},
}

// stable rewrites a log so that it is the same on every run. A TLS alert
// at the end of a connection races its close, so alerts are left out, and
// so are opens and closes, which the export does not print.
func stable(log []event.Event) []event.Event {
	var out, segment []event.Event
	for _, ev := range log {
		if ev.Kind == event.KindOpen || ev.Kind == event.KindClose || ev.Kind == event.KindTLS && strings.Contains(ev.Text, "alert") {
			continue
		}
		if ev.Kind == event.KindAction {
			out = append(out, transcript.ByConnection(segment)...)
			segment = nil
		}
		segment = append(segment, ev)
	}
	out = append(out, transcript.ByConnection(segment)...)
	conns := map[uint64]uint64{}
	for i := range out {
		ev := &out[i]
		ev.Seq = uint64(i + 1)
		ev.Time = goldenDate.Add(time.Duration(i) * 10 * time.Millisecond)
		if ev.Conn != 0 {
			if conns[ev.Conn] == 0 {
				conns[ev.Conn] = uint64(len(conns) + 1)
			}
			ev.Conn = conns[ev.Conn]
		}
		for _, n := range randomParts {
			ev.Text = n.re.ReplaceAllString(ev.Text, n.with)
			ev.Addr = n.re.ReplaceAllString(ev.Addr, n.with)
			for k, v := range ev.Params {
				ev.Params[k] = n.re.ReplaceAllString(v, n.with)
			}
		}
	}
	return out
}

// TestSecretsAreRedactedUnlessAsked: a credential line reads ******** in
// both formats unless secrets were requested.
func TestSecretsAreRedactedUnlessAsked(t *testing.T) {
	log := sampleLog()
	spaced := log[len(log)-1] // a password may contain spaces: none of it may show
	spaced.Seq, spaced.Text = spaced.Seq+1, "PASS my spaced secret"
	log = append(log, spaced)
	for _, write := range []struct {
		name string
		f    func(*bytes.Buffer, []event.Event, Options) error
	}{
		{"text", func(b *bytes.Buffer, l []event.Event, o Options) error { return Text(b, l, o) }},
		{"markdown", func(b *bytes.Buffer, l []event.Event, o Options) error { return Markdown(b, l, o) }},
	} {
		t.Run(write.name, func(t *testing.T) {
			var hidden, shown bytes.Buffer
			require.NoError(t, write.f(&hidden, log, Options{Lang: "en", Scenario: "test", Title: "Test"}))
			require.NoError(t, write.f(&shown, log, Options{Lang: "en", Scenario: "test", Title: "Test", Secrets: true}))
			assert.NotContains(t, hidden.String(), "AGFsaWNl")
			assert.NotContains(t, hidden.String(), "wonderland")
			assert.NotContains(t, hidden.String(), "spaced")
			assert.Contains(t, hidden.String(), "AUTH PLAIN ********")
			assert.Contains(t, hidden.String(), "PASS ********")
			assert.Contains(t, hidden.String(), i18n.T("en", "export.redacted.text", nil)[:20])
			assert.Contains(t, shown.String(), "AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHdvbmRlcmxhbmQ=")
			assert.Contains(t, shown.String(), "PASS wonderland")
			assert.Contains(t, shown.String(), i18n.T("en", "export.secrets", nil))
		})
	}
}

// TestMarkdownEscapesTheWire: wire text is code, never markup or HTML;
// explanations and headings cannot become HTML either.
func TestMarkdownEscapesTheWire(t *testing.T) {
	log := sampleLog()
	var out bytes.Buffer
	require.NoError(t, Markdown(&out, log, Options{Lang: "en", Scenario: "test", Title: "<b>Test</b> | *x*"}))
	md := out.String()
	assert.Contains(t, md, "# Maillab transcript: &lt;b&gt;Test&lt;/b&gt; \\| \\*x\\*\n")
	assert.Contains(t, md, "| `Subject: <script>alert(1)</script>` |")
	assert.Contains(t, md, "| ``X-Code: `rm -rf` \\| tee`` |")
	assert.Contains(t, md, "&lt;alice@example.org&gt;", "the explanation names the sender, escaped")
	// Outside code spans no raw tag survives.
	outside := regexp.MustCompile("`+[^`]*`+").ReplaceAllString(md, "")
	assert.NotContains(t, outside, "<")
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| ---") {
			cells := regexp.MustCompile(`[^\\]\|`).FindAllString(l, -1)
			assert.Len(t, cells, 5, "five columns in %q", l)
		}
	}
}

func TestTextHasHeaderAndExplanationsInTheLanguage(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, Text(&out, sampleLog(), Options{Lang: "de", Scenario: "test", Title: "Probe", Date: goldenDate}))
	s := out.String()
	assert.True(t, strings.HasPrefix(s, "Maillab-Mitschnitt: Probe\nSzenario test, abgespielt am 2026-11-23 10:00:00 UTC.\n"), s)
	assert.Contains(t, s, "--- #1 Alices Laptop → smtp.example.org: SUBMISSION, Port 587 (hier 127.77.1.20:587)")
	assert.Contains(t, s, "     # 220: ")
	assert.Contains(t, s, "(RFC 5321 §")
}

func TestEmptyRun(t *testing.T) {
	for _, f := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return Text(b, nil, Options{Lang: "pl", Title: "x"}) },
		func(b *bytes.Buffer) error { return Markdown(b, nil, Options{Lang: "pl", Title: "x"}) },
	} {
		var out bytes.Buffer
		require.NoError(t, f(&out))
		assert.Contains(t, out.String(), i18n.T("pl", "export.empty", nil))
	}
}

// sampleLog is a short submission with a password and hostile text.
func sampleLog() []event.Event {
	t0 := goldenDate
	conn := func(seq uint64, dir event.Dir, text string) event.Event {
		return event.Event{Seq: seq, Time: t0.Add(time.Duration(seq) * time.Millisecond), Kind: event.KindLine, Conn: 1,
			Client: "alice-laptop", Server: "smtp.example.org", Proto: "submission", Port: 587, Addr: "127.77.1.20:587",
			Dir: dir, Text: text, Raw: []byte(text + "\r\n")}
	}
	log := []event.Event{
		{Seq: 1, Time: t0, Kind: event.KindAction, Actor: "alice-laptop", Code: "action.alice-sends",
			Params: map[string]string{"to": "bob@example.net", "subject": "Hi", "security": "starttls"}},
		conn(2, event.ServerToClient, "220 smtp.example.org ESMTP Service Ready"),
		conn(3, event.ClientToServer, "EHLO [127.77.1.10]"),
		conn(4, event.ClientToServer, "AUTH PLAIN AGFsaWNlQGV4YW1wbGUub3JnAHdvbmRlcmxhbmQ="),
		conn(5, event.ClientToServer, "MAIL FROM:<alice@example.org>"),
		conn(6, event.ClientToServer, "DATA"),
		conn(7, event.ServerToClient, "354 Go ahead"),
		conn(8, event.ClientToServer, "Subject: <script>alert(1)</script>"),
		conn(9, event.ClientToServer, "X-Code: `rm -rf` | tee"),
		conn(10, event.ClientToServer, "PASS wonderland"),
	}
	log[3].Credential = true
	log[9].Credential = true
	return log
}
