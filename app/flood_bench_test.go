//go:build !(js && wasm)

package app

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"maillab/simulator/scenario"
	"maillab/simulator/world"
)

// floodLines is the e2e flood's body (frontend/e2e/perf.test.mjs, part 3).
const floodLines = 10_000

// BenchmarkFlood is the browser's flood without the browser: what `maillab
// serve` starts (the app with the live world on a port base, its HTTP
// handler on loopback), one event stream read as a page reads it (GET
// /api/events with the token and a browser's headers), and per op one
// message with a 10,000-line body sent over SMTP to example.net's MX on
// the port map; the op ends when the stream has carried the run's last
// event. Each op starts the live world afresh (as picking "live" does,
// timer stopped), so every op is the e2e's first flood. cpu-ms/op is the
// process's CPU (user + system) for the op: the servers, the tap, the
// conductor, the annotator, the stream's encoding, and the client and the
// stream reader, which are small beside them. stream-KB/op is what the
// page would receive.
func BenchmarkFlood(b *testing.B) {
	f := startFloodServe(b)
	msg := floodMessage(floodLines)
	b.ReportAllocs()
	var cpu, wall time.Duration
	var bytesIn int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if _, err := f.app.Start(scenario.LiveID); err != nil {
			b.Fatal(err)
		}
		f.waitQuiet(b) // the run and snapshot events of the new run are read
		start, cpu0, in0 := time.Now(), cpuTime(), f.stream.bytes.Load()
		b.StartTimer()
		if err := sendPlain(f.mx, msg); err != nil {
			b.Fatal(err)
		}
		f.waitQuiet(b)
		b.StopTimer()
		// waitQuiet waits quietGap after the last event: not the flood's.
		wall += time.Since(start) - quietGap
		cpu += cpuTime() - cpu0
		bytesIn += f.stream.bytes.Load() - in0
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(wall)/float64(time.Millisecond)/float64(b.N), "flood-ms/op")
	b.ReportMetric(float64(bytesIn)/1000/float64(b.N), "stream-KB/op")
}

// BenchmarkEventsAPI reads a flood's log (about 20,000 events) through
// the events API page by page, as a viewer that joins late does and as the
// e2e tests count the steps (e2e/browser.mjs, eventsSince): per op the
// whole log, with the token.
func BenchmarkEventsAPI(b *testing.B) {
	f := startFloodServe(b)
	if err := sendPlain(f.mx, floodMessage(floodLines)); err != nil {
		b.Fatal(err)
	}
	f.waitQuiet(b)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, events := cpuTime(), 0
	for i := 0; i < b.N; i++ {
		events = 0
		for since, more := uint64(0), true; more; {
			req, _ := http.NewRequest("POST", f.base+"/api/call/events", strings.NewReader(fmt.Sprintf(`{"args":[%d]}`, since)))
			req.Header.Set("X-Maillab-Token", f.token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			// Not decoded (that would cost the client more than the
			// server): the page's last event's seq, and whether more follow.
			last := bytes.LastIndex(body, []byte(`{"seq":`))
			if err != nil || last < 0 {
				b.Fatalf("page after %d: %v", since, err)
			}
			events += bytes.Count(body, []byte(`{"seq":`))
			rest := body[last+len(`{"seq":`):]
			since, _ = strconv.ParseUint(string(rest[:bytes.IndexByte(rest, ',')]), 10, 64)
			more = bytes.HasSuffix(body, []byte(`"more":true}}`+"\n"))
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(events), "events/op")
}

// quietGap: the run is over when no event came for this long after the
// client's QUIT was answered.
const quietGap = 30 * time.Millisecond

type floodServe struct {
	app         *App
	mx          string
	base, token string // the HTTP server's address and the control token
	stream      *sseReader
}

// startFloodServe starts what Serve starts, on a free port base, and
// subscribes one event stream to it.
func startFloodServe(b testing.TB) *floodServe {
	b.Helper()
	var last error
	for range 8 {
		// Like e2e/serve.mjs: a random base in [31000, 39000), steps of 100.
		base := 31000 + 100*rand.IntN(80)
		f, err := tryFloodServe(b, base)
		if err == nil {
			return f
		}
		last = err
	}
	b.Fatal(last)
	return nil
}

func tryFloodServe(b testing.TB, base int) (*floodServe, error) {
	a := New(Options{World: world.Options{Bind: "127.0.0.1", PortBase: base}})
	if _, err := a.Start(scenario.LiveID); err != nil {
		a.Close()
		return nil, err
	}
	b.Cleanup(func() { a.Close() })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	token := newToken()
	h := NewHTTP(a, fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}, token)
	h.Listening(l.Addr(), "127.0.0.1:0")
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute}
	go srv.Serve(l)
	b.Cleanup(func() { srv.Close() })
	s, err := openSSE("http://"+l.Addr().String(), token)
	if err != nil {
		return nil, err
	}
	b.Cleanup(s.close)
	return &floodServe{app: a, mx: "127.0.0.1:" + strconv.Itoa(base+10000+25),
		base: "http://" + l.Addr().String(), token: token, stream: s}, nil
}

// waitQuiet returns once the stream has carried the run's last event and
// nothing new was logged for quietGap.
func (f *floodServe) waitQuiet(b testing.TB) {
	b.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	var quietSince time.Time
	prev := uint64(0)
	for time.Now().Before(deadline) {
		c, err := f.app.conductor()
		if err != nil {
			b.Fatal(err)
		}
		_, _, last := c.Page(0, 1)
		seen := f.stream.lastSeq.Load()
		switch {
		case last != prev || seen < last:
			prev, quietSince = last, time.Time{}
		case quietSince.IsZero():
			quietSince = time.Now()
		case time.Since(quietSince) >= quietGap:
			return
		}
		time.Sleep(time.Millisecond)
	}
	b.Fatalf("the stream did not catch up: saw seq %d", f.stream.lastSeq.Load())
}

func floodMessage(n int) string {
	var sb strings.Builder
	sb.WriteString("From: Eve <eve@example.com>\r\nTo: Bob <bob@example.net>\r\nSubject: flood\r\n\r\n")
	for i := range n {
		fmt.Fprintf(&sb, "line %d\r\n", i+1)
	}
	return sb.String()
}

// sseReader reads an event stream as a page's EventSource does (the
// frames, not the JSON: the page parses that on its own thread) and keeps
// the highest seq of the lines it carried.
type sseReader struct {
	resp    *http.Response
	tee     io.Writer // when set, gets a copy of the stream (tests)
	bytes   atomic.Int64
	lastSeq atomic.Uint64
	done    chan struct{}
}

func openSSE(base, token string) (*sseReader, error) {
	req, err := http.NewRequest("GET", base+"/api/events?token="+token, nil)
	if err != nil {
		return nil, err
	}
	// What Chromium's EventSource sends (besides its user agent).
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-cache")
	req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	req.Header.Set("Accept-Language", "en-US,en;q=0.9")
	req.Header.Set("Referer", base+"/")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Sec-Fetch-Mode", "cors")
	req.Header.Set("Sec-Fetch-Dest", "empty")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("GET /api/events: %s", resp.Status)
	}
	s := &sseReader{resp: resp, done: make(chan struct{})}
	go s.read()
	return s, nil
}

func (s *sseReader) read() {
	defer close(s.done)
	r := bufio.NewReaderSize(s.resp.Body, 64<<10)
	seqKey := []byte(`"seq":`)
	lines := false
	var long []byte // a data line longer than the buffer, put together
	for {
		line, err := r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			long = append(long[:0], line...)
			for err == bufio.ErrBufferFull {
				line, err = r.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		s.bytes.Add(int64(len(line)))
		if s.tee != nil {
			s.tee.Write(line)
		}
		if err != nil {
			return
		}
		switch {
		case bytes.HasPrefix(line, []byte("event: ")):
			name := string(bytes.TrimSpace(line[7:]))
			lines = name == EventLines
			if name == EventRun {
				s.lastSeq.Store(0) // a new run counts from 1 again
			}
		case lines && bytes.HasPrefix(line, []byte("data: ")):
			// A batch is in seq order: its last line's seq is its highest.
			i := bytes.LastIndex(line, seqKey)
			if i < 0 {
				continue
			}
			rest := line[i+len(seqKey):]
			j := bytes.IndexAny(rest, ",}")
			if n, err := strconv.ParseUint(string(rest[:j]), 10, 64); err == nil && n > s.lastSeq.Load() {
				s.lastSeq.Store(n)
			}
		}
	}
}

func (s *sseReader) close() {
	s.resp.Body.Close()
	<-s.done
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
