package capture_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/capture"
	"maillab/simulator/event"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
)

// tsharkPath finds tshark. The Makefile installs it and sets
// MAILLAB_REQUIRE_TSHARK, so there its absence fails; elsewhere it skips.
func tsharkPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("MAILLAB_REQUIRE_TSHARK") != "" {
			require.NoError(t, err, "tshark is missing: run `make deps-capture` (apt-get install tshark)")
		}
		t.Skip("tshark is not installed")
	}
	return p
}

// recorded is what a finished run leaves for a capture.
type recorded struct {
	log    []event.Event
	chunks []event.Chunk
	keyLog []string
}

func runScenario(t *testing.T, id string) recorded {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := scenario.RunInstant(ctx, id, world.Options{})
	require.NoError(t, err, "RunInstant(%s)", id)
	require.NoError(t, r.Close(), "Close()")
	return recorded{log: r.World.Conductor.Log(), chunks: r.World.Conductor.Chunks(), keyLog: r.World.CA.KeyLog.Lines()}
}

// frame is what tshark dissected in one packet.
type frame struct {
	protocols string
	stream    int // tcp.stream, -1 for UDP
	commands  []string
	dnsReply  []bool
}

// dissect runs tshark once over file. LMTP has no dissector of its own in
// tshark; it is SMTP with LHLO, so port 24 is decoded as SMTP.
func dissect(t *testing.T, tshark, file string) []frame {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tshark, "-r", file, "-n", "-d", "tcp.port==24,smtp", "-T", "json",
		"-e", "frame.protocols", "-e", "tcp.stream", "-e", "smtp.command_line",
		"-e", "pop.request.command", "-e", "pop.request.parameter", "-e", "imap.request", "-e", "dns.flags.response")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "tshark: %s", stderr.String())
	var packets []struct {
		Source struct {
			Layers map[string][]string `json:"layers"`
		} `json:"_source"`
	}
	require.NoError(t, json.Unmarshal(out, &packets), "tshark's JSON")
	frames := make([]frame, len(packets))
	for i, p := range packets {
		l := p.Source.Layers
		f := frame{protocols: first(l["frame.protocols"]), stream: -1}
		if s := l["tcp.stream"]; len(s) > 0 {
			f.stream, err = strconv.Atoi(s[0])
			require.NoError(t, err)
		}
		for _, c := range l["smtp.command_line"] {
			f.commands = append(f.commands, strings.TrimRight(c, "\r\n"))
		}
		f.commands = append(f.commands, popCommands(l["pop.request.command"], l["pop.request.parameter"])...)
		f.commands = append(f.commands, l["imap.request"]...)
		for _, r := range l["dns.flags.response"] {
			f.dnsReply = append(f.dnsReply, r == "1" || r == "True")
		}
		frames[i] = f
	}
	return frames
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// popCommands joins command and parameter; tshark lists them apart, and a
// frame holds one POP3 command.
func popCommands(cmds, params []string) []string {
	if len(cmds) == 1 && len(params) == 1 {
		return []string{cmds[0] + " " + params[0]}
	}
	return cmds
}

// expectedCommands lists each connection's client commands from the event
// log, in order: the lines a dissector shows as commands. Message bodies
// (after 354), SASL responses (after 334 or "+") and IMAP literals are
// data, not commands; lines inside TLS count only when the keys are in.
func expectedCommands(log []event.Event, withKeys bool) map[uint64][]event.Event {
	out := map[uint64][]event.Event{}
	data := map[uint64]bool{}      // a message body or SASL response comes next
	continued := map[uint64]bool{} // an IMAP line announced a literal
	for _, ev := range log {
		if ev.Kind != event.KindLine {
			continue
		}
		if ev.Dir == event.ServerToClient {
			data[ev.Conn] = strings.HasPrefix(ev.Text, "354") || strings.HasPrefix(ev.Text, "334") ||
				ev.Text == "+" || strings.HasPrefix(ev.Text, "+ ")
			continue
		}
		switch {
		case data[ev.Conn]:
			data[ev.Conn] = ev.Text != "." // a body ends with "."; a SASL exchange at the next reply
		case continued[ev.Conn]:
		case !ev.Encrypted || withKeys:
			out[ev.Conn] = append(out[ev.Conn], ev)
		}
		continued[ev.Conn] = ev.Proto == "imap" && strings.HasSuffix(ev.Text, "}")
	}
	return out
}

// sameCommand compares a command tshark saw with the transcript's line: a
// masked credential keeps its command and hides the rest behind '*'.
func sameCommand(got string, want event.Event, secrets bool) bool {
	if !want.Credential || secrets {
		return got == want.Text
	}
	if len(got) != len(want.Text) || !strings.Contains(got, "*") {
		return false
	}
	for i := range got {
		if got[i] != want.Text[i] && got[i] != '*' {
			return false
		}
	}
	return true
}

// TestTsharkDecodesEveryScenario: with the keys every command of every
// scenario is visible, TLS or not; without them only those sent in
// plaintext, with passwords masked.
func TestTsharkDecodesEveryScenario(t *testing.T) {
	tshark := tsharkPath(t)
	dir := t.TempDir()
	for _, sc := range scenario.All() {
		t.Run(sc.ID, func(t *testing.T) {
			t.Parallel()
			run := runScenario(t, sc.ID)
			t.Run("keys", func(t *testing.T) {
				frames := checkCapture(t, tshark, filepath.Join(dir, sc.ID+"-keys.pcapng"), run,
					capture.Options{KeyLog: run.keyLog})
				if sc.ID == "tls" {
					assertDecrypted(t, frames)
				}
			})
			t.Run("no keys", func(t *testing.T) {
				frames := checkCapture(t, tshark, filepath.Join(dir, sc.ID+".pcapng"), run, capture.Options{})
				assertOpaque(t, frames)
			})
		})
	}
}

// checkCapture writes run with opts, dissects it and compares every
// connection's commands and the DNS datagrams with the event log.
func checkCapture(t *testing.T, tshark, file string, run recorded, opts capture.Options) []frame {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, capture.Write(&buf, run.log, run.chunks, opts))
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o600))
	frames := dissect(t, tshark, file)

	withKeys := opts.KeyLog != nil
	want := expectedCommands(run.log, withKeys)
	got := map[int][]string{}
	protos := map[int]string{}
	var dnsGot []bool
	for _, f := range frames {
		got[f.stream] = append(got[f.stream], f.commands...)
		if f.stream >= 0 && len(f.commands) > 0 {
			protos[f.stream] = f.protocols
		}
		dnsGot = append(dnsGot, f.dnsReply...)
	}
	stream := 0
	var dnsWant []bool
	for _, ev := range run.log {
		switch ev.Kind {
		case event.KindPacket:
			dnsWant = append(dnsWant, ev.Dir == event.ServerToClient)
		case event.KindOpen:
			checkConnection(t, ev, want[ev.Conn], got[stream], protos[stream], withKeys || opts.Secrets)
			stream++
		}
	}
	assert.Equal(t, dnsWant, dnsGot, "DNS queries and answers, in order")
	return frames
}

func checkConnection(t *testing.T, open event.Event, want []event.Event, got []string, protocols string, secrets bool) {
	t.Helper()
	name := open.Client + " → " + open.Server + " " + open.Proto
	if !assert.Len(t, got, len(want), "%s: commands %q", name, got) {
		return
	}
	for i := range want {
		assert.True(t, sameCommand(got[i], want[i], secrets), "%s: command %d is %q, transcript says %q",
			name, i, got[i], want[i].Text)
	}
	if len(want) > 0 {
		dissector := map[string]string{"smtp": "smtp", "submission": "smtp", "lmtp": "smtp", "pop3": "pop",
			"imap": "imap"}[open.Proto]
		assert.Contains(t, strings.Split(protocols, ":"), dissector, "%s: dissected as %s", name, dissector)
	}
}

// assertDecrypted: with the keys in the file, tshark decrypts TLS and sees
// the SMTP commands inside it.
func assertDecrypted(t *testing.T, frames []frame) {
	t.Helper()
	var inTLS []string
	for _, f := range frames {
		if strings.Contains(f.protocols, ":tls:smtp") {
			inTLS = append(inTLS, f.commands...)
		}
	}
	joined := strings.Join(inTLS, "\n")
	assert.Contains(t, joined, "AUTH PLAIN ", "AUTH inside TLS")
	assert.Contains(t, joined, "MAIL FROM:<alice@example.org>", "MAIL inside TLS")
}

// assertOpaque: without the keys nothing inside TLS is readable.
func assertOpaque(t *testing.T, frames []frame) {
	t.Helper()
	for i, f := range frames {
		assert.NotRegexp(t, `:tls:(smtp|pop|imap)`, f.protocols, "frame %d decrypted without keys", i+1)
	}
}

// TestTsharkChecksumsAndIPv6: tshark verifies every IPv4, TCP and UDP
// checksum, and an IPv6 connection (a world bound to ::1) decodes too.
func TestTsharkChecksumsAndIPv6(t *testing.T) {
	tshark := tsharkPath(t)
	f := newFixture()
	open := event.Event{Kind: event.KindOpen, Conn: 9, Proto: "smtp", Port: 25, Addr: "[::1]:10025",
		ClientAddr: "[::1]:50009", Time: t0.Add(time.Second)}
	f.log = append(f.log, open)
	f.log[len(f.log)-1].Seq = uint64(len(f.log))
	for _, b := range []string{"EHLO v6\r\n", "QUIT\r\n"} {
		f.chunks = append(f.chunks, event.Chunk{Seq: uint64(len(f.log)), Conn: 9, Dir: event.ClientToServer,
			Bytes: []byte(b), Time: open.Time})
	}
	var buf bytes.Buffer
	require.NoError(t, capture.Write(&buf, f.log, f.chunks, capture.Options{}))
	file := filepath.Join(t.TempDir(), "checksums.pcapng")
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o600))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, tshark, "-r", file, "-n", "-o", "tcp.check_checksum:TRUE",
		"-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-T", "fields", "-E", "separator=|",
		"-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status",
		"-e", "ipv6.dst", "-e", "smtp.command_line").Output()
	require.NoError(t, err, "tshark")
	var v6 []string
	for i, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		require.Len(t, f, 5, line)
		for _, status := range f[:3] {
			assert.Contains(t, []string{"", "1"}, status, "frame %d: checksum status (1 = good)", i+1)
		}
		if f[3] != "" {
			assert.Equal(t, "::1", f[3])
			v6 = append(v6, strings.TrimSuffix(f[4], `\r\n`)) // tshark escapes the line end
		}
	}
	assert.Equal(t, []string{"", "", "", "EHLO v6", "QUIT"}, v6, "SYN, SYN-ACK, ACK, then SMTP over IPv6")
}
