package world

import (
	"crypto/rand"
	"crypto/rsa"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/dns"
	"maillab/simulator/mta"
	"maillab/simulator/netmap"
	"maillab/simulator/store"
	"maillab/simulator/worldspec"
)

// zoneWorld starts the default world with the zones edit changes.
func zoneWorld(t *testing.T, edit func(org, net *worldspec.DNS)) *World {
	t.Helper()
	s := DefaultSpec()
	edit(s.Provider("example.org").DNS, s.Provider("example.net").DNS)
	require.NoError(t, s.Validate())
	return start(t, Options{Spec: &s, AuthFailureDelay: -1})
}

// otherKeyRecord is a valid key record of a key no MSA holds.
func otherKeyRecord(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	rec, err := dkimRecord(&k.PublicKey)
	require.NoError(t, err)
	return rec
}

func inbox(t *testing.T, w *World, addr string) []store.Message {
	t.Helper()
	msgs, err := w.Provider(strings.SplitN(addr, "@", 2)[1]).Store.Messages(addr, store.Inbox)
	require.NoError(t, err)
	return msgs
}

// authResults is the Authentication-Results field the MX added.
func authResults(t *testing.T, m store.Message) string {
	t.Helper()
	for _, line := range strings.Split(string(m.Raw), "\r\n") {
		if strings.HasPrefix(line, "Authentication-Results:") {
			return line
		}
	}
	t.Fatalf("no Authentication-Results in\n%s", m.Raw)
	return ""
}

func onlyItem(t *testing.T, w *World) mta.Item {
	t.Helper()
	items := w.Provider("example.org").Queue.Snapshot()
	require.Len(t, items, 1)
	return items[0]
}

func TestZoneServesTheSpec(t *testing.T) {
	w := zoneWorld(t, func(org, _ *worldspec.DNS) {
		org.MX = []worldspec.MXRecord{{Preference: 20, Host: "backup.example.org"}, {Preference: 5, Host: "mx.example.org"}}
		org.A = append(org.A, worldspec.ARecord{Name: "backup.example.org", Address: "192.0.2.7"})
		org.SPF = "v=spf1 mx -all"
		org.DKIM.Selector = "s2026"
		org.DMARC = "v=DMARC1; p=none; rua=mailto:dmarc@example.org"
	})
	var d net.Dialer
	r := dns.NewResolver(w.dnsAddr(), d.DialContext)
	mxs, err := r.LookupMX(ctx(t), "example.org")
	require.NoError(t, err)
	require.Len(t, mxs, 2)
	assert.Equal(t, []string{"mx.example.org.", "backup.example.org."}, []string{mxs[0].Host, mxs[1].Host}, "by preference")
	ips, err := r.LookupA(ctx(t), "backup.example.org")
	require.NoError(t, err)
	assert.Equal(t, "192.0.2.7", ips[0].String())
	ips, err = r.LookupA(ctx(t), "mx.example.org")
	require.NoError(t, err)
	n, _ := w.Node("mx.example.org")
	assert.Equal(t, n.IP, ips[0].String(), "a plan address is where the host runs")
	for name, want := range map[string]string{
		"example.org":        "v=spf1 mx -all",
		"_dmarc.example.org": "v=DMARC1; p=none; rua=mailto:dmarc@example.org",
		"_dmarc.example.net": worldspec.DefaultDMARC,
	} {
		txt, err := r.LookupTXT(ctx(t), name)
		require.NoError(t, err, name)
		assert.Equal(t, []string{want}, txt, name)
	}
	txt, err := r.LookupTXT(ctx(t), "s2026._domainkey.example.org")
	require.NoError(t, err)
	want, err := dkimRecord(w.Provider("example.org").DKIMKey.Public())
	require.NoError(t, err)
	assert.Equal(t, []string{want}, txt, "the MSA's own key under the spec's selector")
	_, err = r.LookupTXT(ctx(t), "mail._domainkey.example.org")
	assert.Error(t, err, "nothing under the old selector")

	deliver(t, w, "Signed with s2026")
	got := inbox(t, w, "bob@example.net")
	require.Len(t, got, 1)
	assert.Contains(t, string(got[0].Raw), "s=s2026;", "the MSA signs with the spec's selector")
	assert.Contains(t, authResults(t, got[0]), "dkim=pass header.d=example.org")
}

// An SPF record that leaves out the sending MTA makes SPF fail at the MX;
// DMARC still passes on the aligned DKIM signature alone (RFC 7489 §4.2).
func TestSPFWithoutTheSendingMTAFails(t *testing.T) {
	w := zoneWorld(t, func(org, _ *worldspec.DNS) { org.SPF = "v=spf1 ip4:192.0.2.1 -all" })
	deliver(t, w, "SPF does not list me")
	got := inbox(t, w, "bob@example.net")
	require.Len(t, got, 1)
	assert.Equal(t, "Authentication-Results: mx.example.net; spf=fail smtp.mailfrom=example.org; "+
		"dkim=pass header.d=example.org; dmarc=pass header.from=example.org", authResults(t, got[0]))
}

// A published key that is not the MSA's fails DKIM for real.
func TestWrongDKIMKeyFailsDKIM(t *testing.T) {
	w := zoneWorld(t, func(org, _ *worldspec.DNS) {
		org.DKIM.Key = otherKeyRecord(t)
		org.DMARC = "v=DMARC1; p=none"
	})
	deliver(t, w, "Signed, but not with the published key")
	got := inbox(t, w, "bob@example.net")
	require.Len(t, got, 1)
	assert.Contains(t, authResults(t, got[0]), "dkim=fail header.d=example.org")
}

// SPF that omits the MTA and a wrong DKIM key: DMARC fails, and with
// p=reject the MX refuses the mail (550 5.7.1) and Alice gets a bounce.
func TestDMARCRejectsWhenSPFAndDKIMFail(t *testing.T) {
	w := zoneWorld(t, func(org, _ *worldspec.DNS) {
		org.SPF = "v=spf1 ip4:192.0.2.1 -all"
		org.DKIM.Key = otherKeyRecord(t)
	})
	deliver(t, w, "Nobody vouches for me")
	assert.Empty(t, inbox(t, w, "bob@example.net"))
	it := onlyItem(t, w)
	require.Len(t, it.To, 1)
	assert.Equal(t, mta.StateBounced, it.State)
	assert.Equal(t, "550 5.7.1 Rejected by DMARC policy of example.org: SPF fail, no valid DKIM signature", it.To[0].Reply)
	bounce := inbox(t, w, "alice@example.org")
	require.Len(t, bounce, 1)
	assert.Contains(t, string(bounce[0].Raw), "Rejected by DMARC policy of example.org")
}

// An MX host without a server: the mail waits in the queue; with a second
// MX that answers it goes there.
func TestMXWithoutServer(t *testing.T) {
	dead := worldspec.ARecord{Name: "gone.example.net", Address: "127.77.2.99"}
	tests := []struct {
		name  string
		edit  func(d *worldspec.DNS)
		state mta.State
		reply string // prefix of the recipient's last reply
		mx    string // the MX tried last
		inBox int
	}{
		{"no address", func(d *worldspec.DNS) {
			d.MX = []worldspec.MXRecord{{Preference: 10, Host: "gone.example.net"}}
		}, mta.StateDeferred, "Host or domain name not found. Name service error for name=gone.example.net type=A: lookup gone.example.net", "", 0},
		{"nothing listens", func(d *worldspec.DNS) {
			d.MX = []worldspec.MXRecord{{Preference: 10, Host: "gone.example.net"}}
			d.A = append(d.A, dead)
		}, mta.StateDeferred, "connect to gone.example.net[127.77.2.99]:25: dial tcp 127.77.2.99:25: connect: connection refused", "gone.example.net", 0},
		{"backup answers", func(d *worldspec.DNS) {
			d.MX = []worldspec.MXRecord{{Preference: 20, Host: "mx.example.net"}, {Preference: 10, Host: "gone.example.net"}}
			d.A = append(d.A, dead)
		}, mta.StateSent, "250 ", "mx.example.net", 1},
		// The MX answers under a second name, but its certificate names
		// mx.example.net and the MTA checks it: the mail waits.
		{"second name of the MX", func(d *worldspec.DNS) {
			d.MX = []worldspec.MXRecord{{Preference: 10, Host: "mx2.example.net"}}
			d.A = append(d.A, worldspec.ARecord{Name: "mx2.example.net", Address: "127.77.2.25"})
		}, mta.StateDeferred, "lost connection with mx2.example.net", "mx2.example.net", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := zoneWorld(t, func(_, net *worldspec.DNS) { tt.edit(net) })
			deliver(t, w, "Where is your MX?")
			it := onlyItem(t, w)
			assert.Equal(t, tt.state, it.State)
			require.Len(t, it.To, 1)
			assert.True(t, strings.HasPrefix(it.To[0].Reply, tt.reply), it.To[0].Reply)
			assert.Equal(t, tt.mx, it.MX)
			assert.Len(t, inbox(t, w, "bob@example.net"), tt.inBox)
		})
	}
}

func TestServesOnlyWorldAddresses(t *testing.T) {
	w := start(t, Options{})
	addr, ok := w.Dir.Addr("mx.example.net", 25)
	require.True(t, ok)
	assert.True(t, w.serves(addr))
	assert.False(t, w.serves("127.77.2.99:25"))
	assert.False(t, w.serves("garbage"))
	_, err := w.mtaDial("smtp.example.org")(ctx(t), "tcp", "127.0.0.1:25")
	var op *net.OpError
	require.ErrorAs(t, err, &op)
	assert.EqualError(t, err, "dial tcp 127.0.0.1:25: connect: connection refused")
}

// SPF's a and mx mechanisms ask the world's DNS.
func TestSPFMechanismsAskTheWorld(t *testing.T) {
	if !netmap.OwnAddressesWork() {
		t.Skip("every host is 127.0.0.1: SPF cannot tell them apart")
	}
	for spf, want := range map[string]string{
		"v=spf1 a:smtp.example.org -all":       "spf=pass",
		"v=spf1 mx -all":                       "spf=fail", // mx.example.org receives, smtp.example.org sends
		"v=spf1 mx a:smtp.example.org/32 -all": "spf=pass",
	} {
		t.Run(spf, func(t *testing.T) {
			w := zoneWorld(t, func(org, _ *worldspec.DNS) { org.SPF = spf })
			deliver(t, w, "SPF by name")
			got := inbox(t, w, "bob@example.net")
			require.Len(t, got, 1)
			assert.Contains(t, authResults(t, got[0]), want+" smtp.mailfrom=example.org")
		})
	}
}

// The world signs with Ed25519 unless a world file asks for RSA; both
// verify at the MX, and the DNS publishes the matching key type.
func TestDKIMAlgorithms(t *testing.T) {
	for _, tc := range []struct{ alg, a, k string }{
		{"", "a=ed25519-sha256;", "v=DKIM1; k=ed25519; p="},
		{worldspec.DKIMRSA, "a=rsa-sha256;", "v=DKIM1; k=rsa; p="},
	} {
		t.Run("algorithm="+tc.alg, func(t *testing.T) {
			w := zoneWorld(t, func(org, _ *worldspec.DNS) { org.DKIM.Algorithm = tc.alg })
			var d net.Dialer
			txt, err := dns.NewResolver(w.dnsAddr(), d.DialContext).LookupTXT(ctx(t), "mail._domainkey.example.org")
			require.NoError(t, err)
			require.Len(t, txt, 1)
			assert.True(t, strings.HasPrefix(txt[0], tc.k), "%q", txt[0])
			deliver(t, w, "Signed")
			got := inbox(t, w, "bob@example.net")
			require.Len(t, got, 1)
			assert.Contains(t, string(got[0].Raw), tc.a)
			assert.Contains(t, authResults(t, got[0]), "dkim=pass header.d=example.org; dmarc=pass")
		})
	}
}

// Another DKIM algorithm in the zone while the world runs restarts the
// MSA with a key of that kind; the zone publishes its public half.
func TestDKIMAlgorithmChangesLive(t *testing.T) {
	w := zoneWorld(t, func(*worldspec.DNS, *worldspec.DNS) {})
	zone := w.DNSOf("example.org")
	zone.DKIM.Key = ""
	zone.DKIM.Algorithm = worldspec.DKIMRSA
	require.NoError(t, w.SetDNS("example.org", zone))
	var d net.Dialer
	txt, err := dns.NewResolver(w.dnsAddr(), d.DialContext).LookupTXT(ctx(t), "mail._domainkey.example.org")
	require.NoError(t, err)
	require.Len(t, txt, 1)
	assert.True(t, strings.HasPrefix(txt[0], "v=DKIM1; k=rsa; p="), "%q", txt[0])
	deliver(t, w, "Signed with RSA now")
	got := inbox(t, w, "bob@example.net")
	require.Len(t, got, 1)
	assert.Contains(t, string(got[0].Raw), "a=rsa-sha256;")
	assert.Contains(t, authResults(t, got[0]), "dkim=pass header.d=example.org")
}
