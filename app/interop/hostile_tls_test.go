package interop_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGarbageToTLSPorts: noise instead of a TLS ClientHello on 465, 995
// and 993 ends that connection, and the next client still gets its TLS
// greeting.
func TestGarbageToTLSPorts(t *testing.T) {
	e := startWorld(t)
	ports := []struct {
		name, addr, host, greeting string
	}{
		{"submissions", e.org(portSubmissions), "smtp.example.org", "220 "},
		{"pop3s", e.net(portPOP3S), "mail.example.net", "+OK "},
		{"imaps", e.net(portIMAPS), "mail.example.net", "* OK "},
	}
	for _, p := range ports {
		t.Run(p.name, func(t *testing.T) {
			r := dialRaw(t, p.addr)
			r.send(garbage(4, 4096))
			assert.True(t, r.closedByServer(), "the server hangs up on a broken handshake")
			r = e.dialRawTLS(t, p.addr, p.host)
			assert.True(t, strings.HasPrefix(r.line(), p.greeting), "a new TLS connection still greets")
		})
	}
}

// TestGarbageToDNS: noise datagrams do not stop the DNS server answering
// the next real MX query.
func TestGarbageToDNS(t *testing.T) {
	e := startWorld(t)
	addr := e.org(53)
	c, err := net.Dial("udp", addr)
	require.NoError(t, err)
	defer c.Close()
	for i := range 20 {
		_, err := c.Write([]byte(garbage(uint64(10+i), 100+20*i)))
		require.NoError(t, err, "write a datagram")
	}
	_, err = c.Write(nil) // an empty datagram too
	require.NoError(t, err)

	m := new(dns.Msg)
	m.SetQuestion("example.net.", dns.TypeMX)
	client := &dns.Client{Net: "udp", Timeout: 5 * time.Second}
	resp, _, err := client.Exchange(m, addr)
	require.NoError(t, err, "MX query after the noise")
	require.Len(t, resp.Answer, 1)
	mx, ok := resp.Answer[0].(*dns.MX)
	require.True(t, ok, "answer %v", resp.Answer[0])
	assert.Equal(t, "mx.example.net.", mx.Mx)
}
