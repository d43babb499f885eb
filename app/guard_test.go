//go:build !(js && wasm)

package app

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guardedServer is newServer with the Host check armed, as serve does.
func guardedServer(t *testing.T) (*App, *httptest.Server) {
	t.Helper()
	a, _ := newTestApp(t)
	h := NewHTTP(a, fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}}, "secret")
	srv := httptest.NewUnstartedServer(h)
	h.Listening(srv.Listener.Addr(), "127.0.0.1:0")
	srv.Start()
	t.Cleanup(srv.Close)
	return a, srv
}

func TestHostAndOriginChecks(t *testing.T) {
	_, srv := guardedServer(t)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	do := func(method, path, host, origin string) int {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(`{"args":["en"]}`))
		req.Host = host
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	own := func(name string) string { return name + ":" + itoa(port) }
	cases := []struct {
		name, method, path, host, origin string
		want                             int
	}{
		{"the page by its address", "GET", "/", own("127.0.0.1"), "", 200},
		{"localhost", "GET", "/", own("localhost"), "", 200},
		{"IPv6 loopback", "GET", "/", own("[::1]"), "", 200},
		{"a rebound name", "GET", "/", own("evil.example"), "", http.StatusMisdirectedRequest},
		{"a rebound name calls the API", "POST", "/api/call/scenarios", own("attacker.test"), "", http.StatusMisdirectedRequest},
		{"the own page calls the API", "POST", "/api/call/scenarios", own("127.0.0.1"), "http://" + own("127.0.0.1"), 200},
		{"curl calls the API (no Origin)", "POST", "/api/call/scenarios", own("127.0.0.1"), "", 200},
		{"another site posts", "POST", "/api/call/scenarios", own("127.0.0.1"), "http://evil.example", http.StatusForbidden},
		{"another site opens the event stream", "GET", "/api/events", own("127.0.0.1"), "https://evil.example", http.StatusForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, do(c.method, c.path, c.host, c.origin)) })
	}
	resp, err := http.Get(srv.URL + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// A viewer's copy of the run never carries a password: neither the event
// stream nor the events call; the token holder's does (it may reveal it).
func TestViewersGetPasswordsMasked(t *testing.T) {
	_, srv := guardedServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream := func(query string) *bufio.Scanner {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/events"+query, nil)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 8<<20)
		sc.Scan() // ": connected"
		return sc
	}
	viewer, teacher := stream(""), stream("?token=secret")
	status, _ := post(t, srv, "start", "secret", "plaintext-password")
	require.Equal(t, 200, status)
	status, _ = post(t, srv, "play", "secret", 1)
	require.Equal(t, 200, status)

	secrets := []string{"wonderland", "AGFsaWNlQGV4YW1wbGUub3JnAHdvbmRlcmxhbmQ="}
	read := func(sc *bufio.Scanner) string {
		var b strings.Builder
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if strings.Contains(b.String(), "state.run-finished") {
				break
			}
		}
		return b.String()
	}
	v, tch := read(viewer), read(teacher)
	for _, s := range secrets {
		assert.NotContains(t, v, s, "a viewer's stream")
	}
	assert.Contains(t, v, `"masked":true`)
	assert.Contains(t, tch, "wonderland", "the token holder's stream keeps what it may reveal")

	for token, want := range map[string]bool{"": false, "secret": true} {
		_, out := post(t, srv, "events", token, 0)
		body := string(out["result"])
		require.Contains(t, body, "PASS")
		assert.Equal(t, want, strings.Contains(body, "wonderland"), "events call with token %q", token)
	}
}

func TestEventStreamsAreCapped(t *testing.T) {
	a, _ := newTestApp(t)
	h := NewHTTP(a, fstest.MapFS{}, "secret")
	h.maxStreams = 3
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	open := func() *http.Response {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/events", nil)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	for range 3 {
		assert.Equal(t, 200, open().StatusCode)
	}
	over := open()
	assert.Equal(t, http.StatusServiceUnavailable, over.StatusCode)
	assert.Equal(t, "30", over.Header.Get("Retry-After"))
}
