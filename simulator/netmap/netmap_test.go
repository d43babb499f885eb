package netmap

import (
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNodesSharedAddress(t *testing.T) {
	for _, n := range Nodes(false) {
		assert.Equal(t, "127.0.0.1", n.IP, n.ID)
	}
}

func TestNodesOwnAddresses(t *testing.T) {
	nodes := NodesWith(true, true)
	ids, ips := map[string]bool{}, map[string]bool{}
	for _, n := range nodes {
		assert.False(t, ids[n.ID], "duplicate id %s", n.ID)
		ids[n.ID] = true
		assert.False(t, ips[n.IP], "duplicate address %s", n.IP)
		ips[n.IP] = true
		assert.NotEmpty(t, n.Label, n.ID)
		assert.NotEmpty(t, n.Role, n.ID)
		ip := net.ParseIP(n.IP)
		require.NotNil(t, ip, n.ID)
		assert.True(t, ip.IsLoopback(), n.ID)
		if n.ID == External {
			assert.Equal(t, "127.0.0.1", n.IP)
			assert.Equal(t, RoleExternal, n.Role)
			continue
		}
		assert.True(t, strings.HasPrefix(n.IP, "127.77."), n.ID)
	}
	for _, id := range []string{"alice-laptop", "bob-laptop", "bob-phone", "dns", External,
		"smtp.example.org", "mx.example.org", "mda.example.org", "mail.example.org",
		"smtp.example.net", "mx.example.net", "mda.example.net", "mail.example.net",
		"smtp.example.com", "mx.example.com", "mda.example.com", "mail.example.com", "erin-laptop"} {
		assert.True(t, ids[id], "node %s", id)
	}
	assert.Len(t, nodes, 21)
}

// TestThirdProviderOnlyWhenAsked: the classic topology has no example.com
// host; with it, its five hosts come before the outside clients.
func TestThirdProviderOnlyWhenAsked(t *testing.T) {
	classic := Nodes(true)
	require.Len(t, classic, 16)
	for _, n := range classic {
		assert.NotEqual(t, ThirdDomain, n.Domain, n.ID)
	}
	with := NodesWith(true, true)
	assert.Equal(t, classic[:len(classic)-2], with[:len(classic)-2], "the classic hosts first, unchanged")
	assert.Equal(t, []string{"impostor", External}, []string{with[len(with)-2].ID, with[len(with)-1].ID})
	var third []string
	for _, n := range with {
		if n.Domain == ThirdDomain {
			third = append(third, n.ID)
		}
	}
	assert.Equal(t, []string{"smtp.example.com", "mx.example.com", "mda.example.com", "mail.example.com", "erin-laptop"}, third)
	for _, n := range NodesWith(false, true) {
		assert.Equal(t, "127.0.0.1", n.IP, n.ID)
	}
}

func TestNodesAreFresh(t *testing.T) {
	a := Nodes(true)
	a[0].IP = "changed"
	assert.NotEqual(t, "changed", Nodes(true)[0].IP, "Nodes returns a new slice each call")
}

func TestNodeRoles(t *testing.T) {
	roles := map[string]Role{}
	for _, n := range Nodes(true) {
		roles[n.ID] = n.Role
	}
	tests := map[string]Role{
		"alice-laptop":     RoleMUA,
		"bob-phone":        RoleMUA,
		"smtp.example.org": RoleMSA,
		"mx.example.net":   RoleMX,
		"mda.example.org":  RoleMDA,
		"mail.example.net": RoleMailbox,
		"dns":              RoleDNS,
	}
	for id, role := range tests {
		assert.Equal(t, role, roles[id], id)
	}
}

func TestOwnAddressesWork(t *testing.T) {
	got := OwnAddressesWork()
	assert.Equal(t, got, OwnAddressesWork(), "stable")
	if runtime.GOOS == "linux" {
		assert.True(t, got, "all of 127/8 is loopback on Linux")
	}
}

func TestServices(t *testing.T) {
	tests := []struct {
		svc      Service
		name     string
		proto    string
		port     int
		implicit bool
		startTLS bool
	}{
		{SMTP, "smtp", "smtp", 25, false, true},
		{Submission, "submission", "submission", 587, false, true},
		{Submissions, "submissions", "submission", 465, true, false},
		{POP3, "pop3", "pop3", 110, false, true},
		{POP3S, "pop3s", "pop3", 995, true, false},
		{IMAP, "imap", "imap", 143, false, true},
		{IMAPS, "imaps", "imap", 993, true, false},
		{LMTP, "lmtp", "lmtp", 24, false, false},
		{DNS, "dns", "dns", 53, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.name, tc.svc.Name)
			assert.Equal(t, tc.proto, tc.svc.Proto)
			assert.Equal(t, tc.port, tc.svc.Port)
			assert.Equal(t, tc.implicit, tc.svc.Implicit)
			assert.Equal(t, tc.startTLS, tc.svc.StartTLS)
			assert.False(t, tc.svc.Implicit && tc.svc.StartTLS, "never both")
		})
	}
}

func TestDirectory(t *testing.T) {
	d := NewDirectory()
	assert.Empty(t, d.Entries())
	_, ok := d.Addr("mx.example.org", 25)
	assert.False(t, ok)

	d.Set("mx.example.org", 25, "127.77.1.25:40025")
	d.Set("mail.example.org", 993, "127.77.1.30:40993")
	d.Set("mail.example.org", 110, "127.77.1.30:40110")
	d.Set("dns", 53, "127.77.0.53:40053")
	d.Set("mail.example.org", 25, "wrong")
	d.Set("mail.example.org", 25, "127.77.1.30:40025") // overwrite

	addr, ok := d.Addr("mail.example.org", 25)
	require.True(t, ok)
	assert.Equal(t, "127.77.1.30:40025", addr)
	_, ok = d.Addr("mail.example.org", 143)
	assert.False(t, ok, "same host, other port")

	want := []Entry{
		{"dns", 53, "127.77.0.53:40053"},
		{"mail.example.org", 25, "127.77.1.30:40025"},
		{"mail.example.org", 110, "127.77.1.30:40110"}, // numeric, not "110" < "25"
		{"mail.example.org", 993, "127.77.1.30:40993"},
		{"mx.example.org", 25, "127.77.1.25:40025"},
	}
	assert.Equal(t, want, d.Entries())
}

func TestDirectoryConcurrent(t *testing.T) {
	d := NewDirectory()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range 50 {
				d.Set(fmt.Sprintf("h%d", i), p, "x")
				d.Addr("h0", p)
				d.Entries()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, d.Entries(), 8*50)
}
