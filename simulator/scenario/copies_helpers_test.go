package scenario

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	"github.com/stretchr/testify/require"

	"maillab/simulator/event"
	"maillab/simulator/world"
)

// copyOf is one stored message: in a mailbox on a server or on a device.
type copyOf struct {
	where string // "example.net bob@example.net INBOX" or "device dave-laptop"
	raw   []byte
}

// allCopies lists every message the world holds, on servers and devices.
func allCopies(t *testing.T, w *world.World) []copyOf {
	t.Helper()
	var out []copyOf
	for _, d := range world.Domains {
		st := w.Provider(d).Store
		for _, u := range st.Snapshot() {
			for _, mb := range u.Mailboxes {
				msgs, err := st.Messages(u.Address, mb.Name)
				require.NoError(t, err)
				for _, m := range msgs {
					out = append(out, copyOf{where: d + " " + u.Address + " " + mb.Name, raw: m.Raw})
				}
			}
		}
	}
	for _, n := range w.Nodes {
		if dev := w.Device(n.ID); dev != nil {
			for _, m := range dev.Messages() {
				if m.Raw != nil {
					out = append(out, copyOf{where: "device " + n.ID, raw: m.Raw})
				}
			}
		}
	}
	return out
}

// runScenario runs id to its end with the world options a test passes and
// closes it when the test ends.
func runScenario(t *testing.T, id string) *Run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := RunInstant(ctx, id, world.Options{})
	require.NoError(t, err, "RunInstant(%s)", id)
	t.Cleanup(func() { r.Close() })
	return r
}

// inbox returns the raw messages in user's INBOX on domain's server.
func inbox(t *testing.T, r *Run, domain, user string) [][]byte {
	t.Helper()
	msgs, err := r.World.Provider(domain).Store.Messages(user, "INBOX")
	require.NoError(t, err)
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		out[i] = m.Raw
	}
	return out
}

// dsnFields parses a bounce with go-message: it must be multipart/report;
// report-type=delivery-status (RFC 6522), and the fields of its
// message/delivery-status part are returned, per-recipient ones last
// (RFC 3464 §2).
func dsnFields(t *testing.T, raw []byte) map[string]string {
	t.Helper()
	e, err := message.Read(bytes.NewReader(raw))
	require.NoError(t, err, "message.Read")
	mt, params, err := e.Header.ContentType()
	require.NoError(t, err)
	require.Equal(t, "multipart/report", mt)
	require.Equal(t, "delivery-status", params["report-type"])
	mr := e.MultipartReader()
	require.NotNil(t, mr, "a multipart body")
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if ct, _, _ := p.Header.ContentType(); ct == "message/delivery-status" {
			body, err := io.ReadAll(p.Body)
			require.NoError(t, err)
			return statusFields(string(body))
		}
	}
	t.Fatal("no message/delivery-status part")
	return nil
}

func statusFields(body string) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok {
			out[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return out
}

// lines returns the line events of a log that match keep.
func lines(log []event.Event, keep func(ev event.Event) bool) []event.Event {
	var out []event.Event
	for _, ev := range log {
		if ev.Kind == event.KindLine && keep(ev) {
			out = append(out, ev)
		}
	}
	return out
}

// notes returns the codes of the state notes an actor made, in order.
func notes(log []event.Event, actor string) []string {
	var out []string
	for _, ev := range log {
		if ev.Kind == event.KindState && ev.Actor == actor {
			out = append(out, ev.Code)
		}
	}
	return out
}
