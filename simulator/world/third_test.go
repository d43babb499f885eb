package world

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/dns"
	"maillab/simulator/mua"
	"maillab/simulator/netmap"
	"maillab/simulator/worldspec"
)

// send submits a mail from a device's account and lets its provider's
// queue relay it.
func send(t *testing.T, w *World, device, from, to, subject string) {
	t.Helper()
	d := mua.Draft{From: from, To: []string{to}, Subject: subject, Body: "Hello\r\n", Date: w.Now()}
	require.NoError(t, w.Device(device).Submit(ctx(t), d, mua.SubmitOptions{}), "Submit()")
	require.NoError(t, w.Provider(domainOf(from)).Queue.Flush(ctx(t)), "Flush()")
}

func domainOf(addr string) string { return addr[strings.LastIndexByte(addr, '@')+1:] }

// Mail crosses three organisations: Alice (example.org) writes to Erin
// (example.com), Erin to Bob (example.net); each MX checks SPF, DKIM and
// DMARC and all three pass.
func TestThirdProviderMail(t *testing.T) {
	for _, single := range []bool{false, true} {
		t.Run(fmt.Sprintf("single address %v", single), func(t *testing.T) {
			w := start(t, Options{ThirdProvider: true, SingleAddress: single, AuthFailureDelay: -1})
			send(t, w, "alice-laptop", "alice@example.org", "erin@example.com", "To the third provider")
			send(t, w, "erin-laptop", "erin@example.com", "bob@example.net", "From the third provider")

			spf := "spf=pass"
			if single || !netmap.OwnAddressesWork() {
				spf = "spf=fail" // every host is 127.0.0.1: SPF allows nobody, DKIM vouches
			}
			got := inbox(t, w, "erin@example.com")
			require.Len(t, got, 1)
			assert.Contains(t, string(got[0].Raw), "Subject: To the third provider")
			assert.Equal(t, "Authentication-Results: mx.example.com; "+spf+" smtp.mailfrom=example.org; "+
				"dkim=pass header.d=example.org; dmarc=pass header.from=example.org", authResults(t, got[0]))
			got = inbox(t, w, "bob@example.net")
			require.Len(t, got, 1)
			assert.Contains(t, string(got[0].Raw), "Subject: From the third provider")
			assert.Equal(t, "Authentication-Results: mx.example.net; "+spf+" smtp.mailfrom=example.com; "+
				"dkim=pass header.d=example.com; dmarc=pass header.from=example.com", authResults(t, got[0]))

			clients := clientsByPort(w.Conductor.Log())
			assert.Equal(t, []string{"alice-laptop", "erin-laptop"}, clients[587])
			assert.Equal(t, []string{"smtp.example.org", "smtp.example.com"}, clients[25])

			sess, err := w.Device("erin-laptop").OpenIMAP(ctx(t), mua.StartTLS)
			require.NoError(t, err)
			unseen, err := sess.Unseen(ctx(t))
			require.NoError(t, err)
			assert.Len(t, unseen, 1, "Erin's laptop reads her mail over IMAP")
			require.NoError(t, sess.Logout())
		})
	}
}

func TestThirdProviderTopology(t *testing.T) {
	classic := start(t, Options{})
	assert.Equal(t, netmap.Nodes(netmap.OwnAddressesWork()), classic.Nodes, "without it, the classic topology")
	assert.Nil(t, classic.Provider(ThirdDomain))
	assert.Nil(t, classic.Device("erin-laptop"))
	assert.Equal(t, Domains, classic.Domains())

	w := start(t, Options{ThirdProvider: true})
	assert.Equal(t, AllDomains, w.Domains())
	require.NotNil(t, w.Provider(ThirdDomain))
	for _, host := range []string{"smtp.example.com", "mx.example.com", "mda.example.com", "mail.example.com", "erin-laptop"} {
		n, ok := w.Node(host)
		require.True(t, ok, host)
		assert.Equal(t, ThirdDomain, n.Domain)
	}
	for host, ports := range map[string][]int{"smtp.example.com": {587, 465}, "mx.example.com": {25},
		"mda.example.com": {24}, "mail.example.com": {110, 995, 143, 993}} {
		for _, port := range ports {
			_, ok := w.Dir.Addr(host, port)
			assert.True(t, ok, "%s %d", host, port)
		}
	}
	s := w.Spec()
	assert.True(t, s.HasThirdProvider())
	var snapDomains []string
	for _, m := range w.Snapshot().Mailboxes {
		snapDomains = append(snapDomains, m.Domain)
	}
	assert.Equal(t, AllDomains, snapDomains)

	// The server certificates come from the run's CA.
	c, err := w.DialService(ctx(t), "erin-laptop", "mail.example.com", 993)
	require.NoError(t, err)
	defer c.Close()
	tc := tls.Client(c, w.ClientTLS("mail.example.com"))
	require.NoError(t, tc.HandshakeContext(ctx(t)), "mail.example.com's certificate is the run CA's")
	assert.Equal(t, "mail.example.com", tc.ConnectionState().PeerCertificates[0].DNSNames[0])
}

func TestThirdProviderDNS(t *testing.T) {
	w := start(t, Options{ThirdProvider: true})
	var d net.Dialer
	r := dns.NewResolver(w.dnsAddr(), d.DialContext)
	mxs, err := r.LookupMX(ctx(t), ThirdDomain)
	require.NoError(t, err)
	require.Len(t, mxs, 1)
	assert.Equal(t, "mx.example.com.", mxs[0].Host)
	assert.Equal(t, uint16(10), mxs[0].Pref)
	for _, host := range []string{"smtp.example.com", "mx.example.com", "mail.example.com", "mda.example.com"} {
		ips, err := r.LookupA(ctx(t), host)
		require.NoError(t, err, host)
		require.Len(t, ips, 1)
		n, _ := w.Node(host)
		assert.Equal(t, n.IP, ips[0].String(), host)
	}
	for name, prefix := range map[string]string{ThirdDomain: "v=spf1 ", "mail._domainkey." + ThirdDomain: "v=DKIM1; k=ed25519; p=",
		"_dmarc." + ThirdDomain: worldspec.DefaultDMARC} {
		txt, err := r.LookupTXT(ctx(t), name)
		require.NoError(t, err, name)
		require.Len(t, txt, 1, name)
		assert.True(t, strings.HasPrefix(txt[0], prefix), "%s: %q", name, txt[0])
	}

	// Without the third provider, example.com is outside the world.
	classic := start(t, Options{})
	_, err = dns.NewResolver(classic.dnsAddr(), d.DialContext).LookupMX(ctx(t), ThirdDomain)
	assert.Error(t, err, "NXDOMAIN")
}

// The dns: section works for example.com as for the others.
func TestThirdProviderZoneFromSpec(t *testing.T) {
	s := DefaultSpec()
	s.AddThirdProvider()
	s.Provider(ThirdDomain).DNS.MX = []worldspec.MXRecord{{Preference: 5, Host: "mx.example.com"}}
	s.Provider(ThirdDomain).DNS.DKIM.Selector = "s3"
	require.NoError(t, s.Validate())
	w := start(t, Options{Spec: &s, AuthFailureDelay: -1})
	mxs, err := w.LookupMX(ctx(t), "erin-laptop", ThirdDomain)
	require.NoError(t, err)
	require.Len(t, mxs, 1)
	assert.Equal(t, uint16(5), mxs[0].Pref)
	send(t, w, "erin-laptop", "erin@example.com", "bob@example.net", "Signed with s3")
	got := inbox(t, w, "bob@example.net")
	require.Len(t, got, 1)
	assert.Contains(t, string(got[0].Raw), "s=s3;")
	assert.Contains(t, authResults(t, got[0]), "dkim=pass header.d=example.com; dmarc=pass header.from=example.com")
}

// In a port-map world example.com listens at the base + 20000.
func TestThirdProviderPortMap(t *testing.T) {
	var w *World
	var base int
	var lastErr error
	for range 10 {
		base = 30000 + 100*rand.IntN(100)
		var err error
		if w, err = Start(Options{Bind: "127.0.0.1", PortBase: base, ThirdProvider: true}); err == nil {
			break
		}
		lastErr = err
	}
	require.NotNil(t, w, "no free port base: %v", lastErr)
	t.Cleanup(func() { w.Close() })
	for host, ports := range map[string][]int{"smtp.example.com": {587, 465}, "mx.example.com": {25},
		"mda.example.com": {24}, "mail.example.com": {110, 995, 143, 993}, "mx.example.net": {25}, "mx.example.org": {25}} {
		for _, port := range ports {
			addr, ok := w.Dir.Addr(host, port)
			require.True(t, ok, "%s %d", host, port)
			want := base + netmap.PortOffset(host) + port
			assert.Equal(t, fmt.Sprintf("127.0.0.1:%d", want), addr, "%s %d", host, port)
		}
	}
	assert.Equal(t, 20000, netmap.PortOffset("mx.example.com"))

	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", base+20025))
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(30 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	c.Close()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(line, "220 mx.example.com "), line)

	var d net.Dialer
	ips, err := dns.NewResolver(fmt.Sprintf("127.0.0.1:%d", base+53), d.DialContext).LookupA(ctx(t), "mx.example.com")
	require.NoError(t, err)
	require.Len(t, ips, 1)
	assert.Equal(t, "127.0.0.1", ips[0].String())

	assert.Equal(t, 54540, MaxPortBase(false))
	assert.Equal(t, 44540, MaxPortBase(true))
}

// The README's third-provider snippet is a provider and a device a world
// file takes, and the world it describes runs example.com.
func TestREADMEThirdProvider(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	var block string
	for _, b := range strings.Split(string(readme), "```yaml\n")[1:] {
		b, _, _ = strings.Cut(b, "```")
		if strings.Contains(b, "- domain: example.com") {
			block = b
			break
		}
	}
	require.NotEmpty(t, block, "README shows the third provider")
	providers, devices, ok := strings.Cut(block, "devices:\n")
	require.True(t, ok, block)
	text := worldspec.VersionKey + `: 1
providers:
  - domain: example.org
    accounts: [{address: alice@example.org, password: wonderland}]
  - domain: example.net
    accounts: [{address: bob@example.net, password: builder}]
` + providers + `devices:
  - {name: alice-laptop, account: alice@example.org, protocol: imap, security: starttls}
  - {name: bob-laptop, account: bob@example.net, protocol: pop3, security: starttls}
  - {name: bob-phone, account: bob@example.net, protocol: imap, security: starttls}
` + devices
	spec, err := worldspec.Load(strings.NewReader(text))
	require.NoError(t, err, text)
	w := start(t, Options{Spec: &spec, AuthFailureDelay: -1})
	require.NoError(t, w.Provider(ThirdDomain).Store.CheckPassword("erin@example.com", "explorer"))
	require.NotNil(t, w.Device("erin-laptop"))
}

// The changes a running world takes work for example.com as for the
// others: its zone (SetDNS) and its servers (SetServerUp).
func TestThirdProviderChangesWhileRunning(t *testing.T) {
	w := start(t, Options{ThirdProvider: true, AuthFailureDelay: -1})
	zone := w.DNSOf(ThirdDomain)
	zone.MX[0].Preference = 20
	require.NoError(t, w.SetDNS(ThirdDomain, zone))
	mxs, err := w.LookupMX(ctx(t), "erin-laptop", ThirdDomain)
	require.NoError(t, err)
	require.Len(t, mxs, 1)
	assert.Equal(t, uint16(20), mxs[0].Pref)
	spec := w.Spec()
	assert.Equal(t, 20, spec.Provider(ThirdDomain).DNS.MX[0].Preference)

	require.NoError(t, w.SetServerUp(ThirdDomain, ServerMX, false))
	assert.False(t, w.ServerUp(ThirdDomain, ServerMX))
	assert.True(t, w.ServerUp("example.net", ServerMX), "the other providers keep theirs")
	require.NoError(t, w.SetServerUp(ThirdDomain, ServerMX, true))
	send(t, w, "alice-laptop", "alice@example.org", "erin@example.com", "After the MX came back")
	require.Len(t, inbox(t, w, "erin@example.com"), 1)
}
