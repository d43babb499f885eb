package scenario

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/transcript"
	"maillab/simulator/world"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// goldenClock fixes the dates agents write into messages and replies.
var goldenClock = func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }

func TestGoldenTranscripts(t *testing.T) {
	for _, sc := range All() {
		t.Run(sc.ID, func(t *testing.T) {
			log := runForTest(t, sc.ID)
			got := Normalize(grouped(t, log))
			path := filepath.Join("testdata", sc.ID+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "golden file (run go test ./simulator/scenario -update)")
			assert.Equal(t, canonical(string(want)), canonical(got))
		})
	}
}

func runForTest(t *testing.T, id string) []event.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := RunInstant(ctx, id, world.Options{Now: goldenClock})
	require.NoError(t, err, "RunInstant(%s)", id)
	log := r.World.Conductor.Log()
	require.NoError(t, r.Close(), "Close()")
	return log
}

// grouped prints the log with the lines of concurrent connections (the
// idling phone beside the delivery) grouped per connection between two
// actions, so the golden file does not depend on goroutine scheduling.
func grouped(t *testing.T, log []event.Event) string {
	t.Helper()
	var out bytes.Buffer
	var segment []event.Event
	flush := func() {
		require.NoError(t, transcript.Write(&out, transcript.ByConnection(segment), transcript.Options{Describe: describeCode}))
		segment = nil
	}
	for _, ev := range log {
		if ev.Kind == event.KindAction {
			flush()
		}
		segment = append(segment, ev)
	}
	flush()
	return out.String()
}

// describeCode renders an action or note language-neutrally: its code and
// parameters in key order.
func describeCode(ev event.Event) string {
	keys := make([]string, 0, len(ev.Params))
	for k := range ev.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ev.Actor + " " + ev.Code
	for _, k := range keys {
		s += " " + k + "=" + ev.Params[k]
	}
	return strings.TrimSpace(s)
}

var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(127\.\d+\.\d+\.\d+):\d+`), "$1:PORT"},
	// The queue's "connect to mx.example.net[127.77.2.25]:41234" (retry lessons).
	{regexp.MustCompile(`(\[127\.\d+\.\d+\.\d+\]):\d+`), "$1:PORT"},
	// go-message's random MIME boundary (a mail with an attachment).
	{regexp.MustCompile(`(boundary=|--)[0-9a-f]{60}`), "${1}BOUNDARY"},
	{regexp.MustCompile(`--- #\d+ `), "--- #N "},
	{regexp.MustCompile(`<\d+\.\d+\.\d+@mail\.example\.(org|net|com)>`), "<APOP-TIMESTAMP@mail.example.$1>"},
	{regexp.MustCompile(`<[0-9A-Fa-f]+\.[0-9a-f]+@smtp\.`), "<MSGID@smtp."},
	{regexp.MustCompile(`(?m)^(S: (?:\[TLS\] )?\d+ )\d{9,10}\.(\d+)$`), "${1}UIDVALIDITY.$2"},
	{regexp.MustCompile(`(queued as )[A-Za-z0-9]+`), "${1}QID"},
	{regexp.MustCompile(`(\bid )[A-Za-z0-9]+`), "${1}ID"},
	{regexp.MustCompile(`(UIDVALIDITY )\d+`), "${1}V"},
	// What a QRESYNC client remembers: SELECT INBOX (QRESYNC (uidvalidity …)).
	{regexp.MustCompile(`(\(QRESYNC \()\d+`), "${1}V"},
	{regexp.MustCompile(`(DNS id )\d+`), "${1}N"},
	// DKIM: the per-run key (DNS answer), the signature and its time.
	{regexp.MustCompile(`(k=(?:rsa|ed25519); p=)[A-Za-z0-9+/]+=*`), "${1}KEY"},
	{regexp.MustCompile(`(; t=)\d+;`), "${1}TIME;"},
	{regexp.MustCompile(`(?m)^((?:C|S): (?:\[TLS\] )? b=)[A-Za-z0-9+/]+=*$`), "${1}SIG"},
	{regexp.MustCompile(`(?m)^((?:C|S): (?:\[TLS\] )? )[A-Za-z0-9+/]{20,}=*$`), "${1}SIG"},
	// The signature's last folded piece, however short (Ed25519's is).
	{regexp.MustCompile(`(?m)^((?:C|S): (?:\[TLS\] )? )[A-Za-z0-9+/]+={1,2}$`), "${1}SIG"},
}

// fetchItems matches the item list of an IMAP FETCH command, which
// imapclient writes in map order.
var fetchItems = regexp.MustCompile(`(FETCH \S+ \()([A-Z0-9. ]+)(\))`)

// Normalize removes what differs between runs: ports, connection
// numbers, random ids, the order of FETCH items.
func Normalize(s string) string {
	for _, n := range normalizers {
		s = n.re.ReplaceAllString(s, n.with)
	}
	return fetchItems.ReplaceAllStringFunc(s, func(m string) string {
		p := fetchItems.FindStringSubmatch(m)
		items := strings.Fields(p[2])
		sort.Strings(items)
		return p[1] + strings.Join(items, " ") + p[3]
	})
}

// canonical keeps the order of lines within each direction of each
// connection block but not how the two directions interleave: a pipelining
// client (imapclient sends CAPABILITY before LOGIN's answer) races its own
// replies.
func canonical(s string) string {
	var out, client, server []string
	flush := func() {
		out = append(append(out, client...), server...)
		client, server = nil, nil
	}
	for _, line := range strings.Split(s, "\n") {
		switch {
		case strings.HasPrefix(line, "C: "):
			client = append(client, line)
		case strings.HasPrefix(line, "S: "):
			server = append(server, line)
		default:
			flush()
			out = append(out, line)
		}
	}
	flush()
	return strings.Join(out, "\n")
}
