package clientconfig

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func autoconfigOf(t *testing.T, pm PortMap, domain string) ([]byte, Provider) {
	t.Helper()
	p, ok := ForDomain(pm, domain, accounts)
	require.True(t, ok, "ForDomain(%q)", domain)
	doc, err := AutoconfigXML(p)
	require.NoError(t, err, "AutoconfigXML()")
	return doc, p
}

// wellFormed reads every token, as a strict XML parser would.
func wellFormed(t *testing.T, doc []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		require.NoError(t, err, "the document is well-formed XML")
	}
}

// thunderbirdAccepts checks what Thunderbird's readFromXML insists on: a
// provider id and domain, server types it knows, a host name or address,
// a port in 1..65535, a socketType and an authentication it can map, and
// a user name wherever a password is used.
func thunderbirdAccepts(t *testing.T, c ClientConfig) {
	t.Helper()
	assert.Equal(t, "1.1", c.Version)
	assert.NotEmpty(t, c.Provider.ID)
	assert.NotEmpty(t, c.Provider.Domains)
	require.NotEmpty(t, c.Provider.Incoming, "at least one incomingServer")
	require.NotEmpty(t, c.Provider.Outgoing, "at least one outgoingServer")
	check := func(s XMLServer, types ...string) {
		assert.Contains(t, types, s.Type)
		assert.NotNil(t, net.ParseIP(s.Hostname), "hostname %q is an address the user's machine can dial", s.Hostname)
		assert.True(t, s.Port >= 1 && s.Port <= 65535, "port %d", s.Port)
		assert.Contains(t, []string{"plain", "SSL", "STARTTLS"}, s.SocketType)
		assert.Equal(t, "password-cleartext", s.Authentication)
		assert.Equal(t, "%EMAILADDRESS%", s.Username)
	}
	for _, s := range c.Provider.Incoming {
		check(s, "imap", "pop3")
	}
	for _, s := range c.Provider.Outgoing {
		check(s, "smtp")
	}
}

func TestAutoconfigXMLParsesBack(t *testing.T) {
	for _, pm := range []PortMap{{"127.0.0.1", 10000}, {"127.0.0.1", 31000}} {
		for _, domain := range domains {
			t.Run(domain, func(t *testing.T) {
				doc, p := autoconfigOf(t, pm, domain)
				assert.True(t, bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)), "XML declaration first")
				wellFormed(t, doc)
				var got ClientConfig
				require.NoError(t, xml.Unmarshal(doc, &got), "xml.Unmarshal()")
				want := Autoconfig(p)
				got.XMLName = want.XMLName
				assert.Equal(t, want, got)
				thunderbirdAccepts(t, got)
				assert.Equal(t, domain, got.Provider.ID)
				assert.Equal(t, []string{domain}, got.Provider.Domains)
			})
		}
	}
}

func TestAutoconfigPorts(t *testing.T) {
	type row struct {
		typ, socket string
		port        int
	}
	tests := []struct {
		name     string
		pm       PortMap
		domain   string
		incoming []row
		outgoing []row
	}{
		{"example.org base 10000", PortMap{"127.0.0.1", 10000}, "example.org",
			[]row{{"imap", "SSL", 10993}, {"imap", "STARTTLS", 10143}, {"pop3", "SSL", 10995}, {"pop3", "STARTTLS", 10110}},
			[]row{{"smtp", "SSL", 10465}, {"smtp", "STARTTLS", 10587}}},
		{"example.net base 10000", PortMap{"127.0.0.1", 10000}, "example.net",
			[]row{{"imap", "SSL", 20993}, {"imap", "STARTTLS", 20143}, {"pop3", "SSL", 20995}, {"pop3", "STARTTLS", 20110}},
			[]row{{"smtp", "SSL", 20465}, {"smtp", "STARTTLS", 20587}}},
		{"example.net base 12000", PortMap{"127.0.0.1", 12000}, "example.net",
			[]row{{"imap", "SSL", 22993}, {"imap", "STARTTLS", 22143}, {"pop3", "SSL", 22995}, {"pop3", "STARTTLS", 22110}},
			[]row{{"smtp", "SSL", 22465}, {"smtp", "STARTTLS", 22587}}},
	}
	read := func(ss []XMLServer) []row {
		var out []row
		for _, s := range ss {
			out = append(out, row{s.Type, s.SocketType, s.Port})
		}
		return out
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, _ := autoconfigOf(t, tc.pm, tc.domain)
			var c ClientConfig
			require.NoError(t, xml.Unmarshal(doc, &c))
			// The first incoming server is Thunderbird's default.
			assert.Equal(t, tc.incoming, read(c.Provider.Incoming))
			assert.Equal(t, tc.outgoing, read(c.Provider.Outgoing))
		})
	}
}

// The well-known port decides the security: implicit TLS on 993, 995 and
// 465 (RFC 8314), STARTTLS on 143, 110 and 587.
func TestSecurityMatchesWellKnownPort(t *testing.T) {
	want := map[int]Security{993: SSL, 995: SSL, 465: SSL, 143: STARTTLS, 110: STARTTLS, 587: STARTTLS}
	for _, p := range Providers(PortMap{"127.0.0.1", 10000}, domains, accounts) {
		for _, s := range append(p.Incoming, p.Outgoing...) {
			assert.Equal(t, want[s.WellKnown], s.Security, "%s %d", p.Domain, s.WellKnown)
			assert.Equal(t, Base(PortMap{"127.0.0.1", 10000}, p.Domain)+s.WellKnown, s.Port)
		}
	}
}

func TestAutoconfigEscapes(t *testing.T) {
	p, ok := ForDomain(PortMap{"127.0.0.1", 10000}, "example.org", accounts)
	require.True(t, ok)
	p.Owner = `Alice <&"'> & Co`
	doc, err := AutoconfigXML(p)
	require.NoError(t, err)
	wellFormed(t, doc)
	assert.NotContains(t, string(doc), "<&", "markup characters are escaped")
	var c ClientConfig
	require.NoError(t, xml.Unmarshal(doc, &c))
	assert.Equal(t, `Maillab example.org (Alice <&"'> & Co)`, c.Provider.DisplayName)
	assert.True(t, strings.Contains(string(doc), "&lt;&amp;"), "escaped as entities")
}
