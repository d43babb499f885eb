//go:build !(js && wasm)

package app

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/clientconfig"
	"maillab/simulator/netmap"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
)

// portMapServer serves an app whose worlds would listen at bind:base; no
// world is started, the settings come from the options alone.
func portMapServer(t *testing.T, bind string, base int) (*App, *httptest.Server) {
	t.Helper()
	a := New(Options{World: world.Options{Bind: bind, PortBase: base}})
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(NewHTTP(a, fstest.MapFS{}, "secret"))
	t.Cleanup(srv.Close)
	return a, srv
}

type reply struct {
	status      int
	contentType string
	body        string
}

func get(t *testing.T, srv *httptest.Server, path string, header map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err, "GET %s", path)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return reply{resp.StatusCode, mt, string(body)}
}

// ports reads an autoconfig document as "type socketType port" rows.
func ports(t *testing.T, doc string) (domain string, incoming, outgoing []string) {
	t.Helper()
	var c clientconfig.ClientConfig
	require.NoError(t, xml.Unmarshal([]byte(doc), &c), "the answer parses as autoconfig XML")
	row := func(s clientconfig.XMLServer) string {
		return s.Type + " " + s.SocketType + " " + s.Hostname + ":" + strconv.Itoa(s.Port) + " " + s.Username
	}
	for _, s := range c.Provider.Incoming {
		incoming = append(incoming, row(s))
	}
	for _, s := range c.Provider.Outgoing {
		outgoing = append(outgoing, row(s))
	}
	return c.Provider.ID, incoming, outgoing
}

var (
	bobIncoming = []string{"imap SSL 127.0.0.1:20993 %EMAILADDRESS%", "imap STARTTLS 127.0.0.1:20143 %EMAILADDRESS%",
		"pop3 SSL 127.0.0.1:20995 %EMAILADDRESS%", "pop3 STARTTLS 127.0.0.1:20110 %EMAILADDRESS%"}
	bobOutgoing   = []string{"smtp SSL 127.0.0.1:20465 %EMAILADDRESS%", "smtp STARTTLS 127.0.0.1:20587 %EMAILADDRESS%"}
	aliceIncoming = []string{"imap SSL 127.0.0.1:10993 %EMAILADDRESS%", "imap STARTTLS 127.0.0.1:10143 %EMAILADDRESS%",
		"pop3 SSL 127.0.0.1:10995 %EMAILADDRESS%", "pop3 STARTTLS 127.0.0.1:10110 %EMAILADDRESS%"}
	aliceOutgoing = []string{"smtp SSL 127.0.0.1:10465 %EMAILADDRESS%", "smtp STARTTLS 127.0.0.1:10587 %EMAILADDRESS%"}
)

func TestAutoconfigRoutes(t *testing.T) {
	_, srv := portMapServer(t, "127.0.0.1", 10000)
	tests := []struct {
		name, path string
		header     map[string]string
		domain     string
		in, out    []string
	}{
		{"well-known, Bob", wellKnownPath + "?emailaddress=bob@example.net", nil, "example.net", bobIncoming, bobOutgoing},
		{"well-known, escaped @", wellKnownPath + "?emailaddress=bob%40example.net", nil, "example.net", bobIncoming, bobOutgoing},
		{"ISP path, Alice", ispPath + "?emailaddress=alice@example.org", nil, "example.org", aliceIncoming, aliceOutgoing},
		{"ISP path, any account of the domain", ispPath + "?emailaddress=carol@example.net", nil, "example.net", bobIncoming, bobOutgoing},
		{"ISPDB", "/v1.1/example.net", nil, "example.net", bobIncoming, bobOutgoing},
		{"ISPDB, upper case", "/v1.1/EXAMPLE.ORG", nil, "example.org", aliceIncoming, aliceOutgoing},
		{"ISP host name without emailaddress", ispPath, map[string]string{"Host": "autoconfig.example.org"}, "example.org", aliceIncoming, aliceOutgoing},
		{"well-known host name", wellKnownPath, map[string]string{"Host": "example.net:8025"}, "example.net", bobIncoming, bobOutgoing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, srv, tc.path, tc.header)
			require.Equal(t, http.StatusOK, r.status, r.body)
			assert.Equal(t, "application/xml", r.contentType)
			domain, in, out := ports(t, r.body)
			assert.Equal(t, tc.domain, domain)
			assert.Equal(t, tc.in, in)
			assert.Equal(t, tc.out, out)
		})
	}
}

func TestAutoconfigCustomBase(t *testing.T) {
	_, srv := portMapServer(t, "0.0.0.0", 31000)
	r := get(t, srv, "/v1.1/example.net", nil)
	require.Equal(t, http.StatusOK, r.status, r.body)
	_, in, out := ports(t, r.body)
	assert.Equal(t, "imap SSL 127.0.0.1:41993 %EMAILADDRESS%", in[0], "every address: clients on this machine dial loopback")
	assert.Equal(t, "smtp STARTTLS 127.0.0.1:41587 %EMAILADDRESS%", out[1])
}

func TestAutoconfigNotFound(t *testing.T) {
	_, srv := portMapServer(t, "127.0.0.1", 10000)
	_, noMap := portMapServer(t, "", 0)
	tests := []struct {
		name   string
		srv    *httptest.Server
		path   string
		header map[string]string
		want   string
	}{
		{"unknown domain", srv, wellKnownPath + "?emailaddress=eve@example.com", nil, "example.com"},
		{"no address, no provider host", srv, wellKnownPath, nil, "bob@example.net"},
		{"unknown ISPDB domain", srv, "/v1.1/example.com", nil, "example.com"},
		{"in the reader's language", srv, "/v1.1/example.com", map[string]string{"Accept-Language": "fr;q=0.9, de-DE;q=0.8"}, "hat Maillab keine"},
		{"no port map", noMap, wellKnownPath + "?emailaddress=bob@example.net", nil, "no servers for your own mail programs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, tc.srv, tc.path, tc.header)
			assert.Equal(t, http.StatusNotFound, r.status)
			assert.Equal(t, "text/plain", r.contentType)
			assert.Contains(t, r.body, tc.want)
		})
	}
}

func TestAutoconfigIsReadOnly(t *testing.T) {
	_, srv := portMapServer(t, "127.0.0.1", 10000)
	resp, err := http.Post(srv.URL+wellKnownPath+"?emailaddress=bob@example.net", "text/plain", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

func TestCADownload(t *testing.T) {
	a, srv := portMapServer(t, "127.0.0.1", 10000)
	r := get(t, srv, caPath, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/x-pem-file", r.contentType)
	assert.Equal(t, string(a.opts.World.CA.PEM()), r.body)
	block, _ := pem.Decode([]byte(r.body))
	require.NotNil(t, block, "PEM")
	cert, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.True(t, cert.IsCA)
}

func TestClientSettings(t *testing.T) {
	a, _ := portMapServer(t, "127.0.0.1", 10000)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, a.WriteCA(caFile))

	s, err := a.ClientSettings("de")
	require.NoError(t, err)
	assert.True(t, s.PortMap)
	assert.Equal(t, caFile, s.CAFile)
	assert.Empty(t, s.CAURL, "no web address outside browser mode")
	assert.Empty(t, s.ISPDBURL)
	require.Len(t, s.Providers, 2)
	alice, bob := s.Providers[0], s.Providers[1]
	assert.Equal(t, "Alices Anbieter · example.org", alice.Title)
	assert.Equal(t, "Bobs Anbieter · example.net", bob.Title)
	assert.Equal(t, "builder", bob.Password)
	assert.Equal(t, 20993, bob.Incoming[0].Port)
	assert.Equal(t, clientconfig.SSL, bob.Incoming[0].Security)
	assert.Equal(t, 10587, alice.Outgoing[1].Port)
	assert.Empty(t, bob.AutoconfigURL)

	a.access.setServeURL("http://127.0.0.1:8025/")
	s, err = a.ClientSettings("xx")
	require.NoError(t, err, "an unknown language falls back to English")
	assert.Equal(t, "Alice's provider · example.org", s.Providers[0].Title)
	assert.Equal(t, "http://127.0.0.1:8025/maillab-ca.pem", s.CAURL)
	assert.Equal(t, "http://127.0.0.1:8025/v1.1/", s.ISPDBURL)
	assert.Equal(t, "http://127.0.0.1:8025/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=bob@example.net",
		s.Providers[1].AutoconfigURL)
}

func TestClientSettingsWithoutPortMap(t *testing.T) {
	a, srv := portMapServer(t, "", 0)
	s, err := a.ClientSettings("en")
	require.NoError(t, err)
	assert.False(t, s.PortMap)
	assert.Contains(t, s.Note, "without a bind address")
	assert.NotNil(t, s.Providers, "an empty list in JSON, not null")

	status, out := post(t, srv, "clientSettings", "", "en")
	require.Equal(t, http.StatusOK, status, "a viewer may read the settings")
	assert.JSONEq(t, `[]`, string(jsonField(t, out["result"], "providers")))
}

func jsonField(t *testing.T, raw json.RawMessage, name string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &m))
	return m[name]
}

// The settings name the ports the live world really listens on, and a
// client that trusts only the CA file verifies the server as 127.0.0.1.
func TestClientSettingsMatchTheLiveWorld(t *testing.T) {
	a, base := startLiveAtFreeBase(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, a.WriteCA(caFile))
	s, err := a.ClientSettings("en")
	require.NoError(t, err)
	info, err := a.Run()
	require.NoError(t, err)
	listening := map[string]string{}
	for _, e := range info.Ports {
		listening[e.Host+"|"+strconv.Itoa(e.Port)] = e.Addr
	}
	for _, p := range s.Providers {
		for _, sv := range append(p.Incoming, p.Outgoing...) {
			assert.Equal(t, listening[sv.Host+"|"+strconv.Itoa(sv.WellKnown)], sv.Addr, "%s %d (base %d)", sv.Host, sv.WellKnown, base)
		}
	}

	imaps := s.Providers[1].Incoming[0]
	require.Equal(t, netmap.IMAPS.Name, imaps.Service)
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", imaps.Addr,
		&tls.Config{RootCAs: a.opts.World.CA.Pool(), ServerName: imaps.Hostname, MinVersion: tls.VersionTLS13})
	require.NoError(t, err, "TLS to %s verified as %s with only the run's CA", imaps.Addr, imaps.Hostname)
	conn.Close()
}

// startLiveAtFreeBase starts the live run at a random port base, trying
// others while parallel test packages hold the ports.
func startLiveAtFreeBase(t *testing.T) (*App, int) {
	t.Helper()
	var lastErr error
	for range 12 {
		base := 11000 + 100*rand.IntN(80)
		a := New(Options{World: world.Options{Bind: "127.0.0.1", PortBase: base}})
		_, err := a.Start(scenario.LiveID)
		if err == nil {
			t.Cleanup(func() { a.Close() })
			return a, base
		}
		a.Close()
		lastErr = err
		if !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	require.NoError(t, lastErr, "Start(live)")
	return nil, 0
}
