package classroom_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"maillab/simulator/classroom"
	"maillab/simulator/dns"
	"maillab/simulator/mta"
	"maillab/simulator/netmap"
	"maillab/simulator/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// wait bounds every wait for mail: it only guards against a hang.
const wait = 30 * time.Second

// room is a host on 127.88.<net>.1 and students on .2, .3, …: all of
// 127/8 is loopback on Linux, so each machine has an address of its own.
type room struct {
	t    *testing.T
	net  int
	host *classroom.Host
}

func newRoom(t *testing.T, subnet int) *room {
	t.Helper()
	h, err := classroom.StartHost(classroom.HostOptions{Room: "room42", Bind: fmt.Sprintf("127.88.%d.1", subnet),
		Code: "K7Q-M4P", JoinPort: -1, DNSPort: -1})
	if err != nil && strings.Contains(err.Error(), "assign requested address") {
		t.Skip("this system cannot bind 127.88.x.y (only Linux routes all of 127/8 to loopback)")
	}
	require.NoError(t, err)
	t.Cleanup(func() { h.Close() })
	return &room{t: t, net: subnet, host: h}
}

func (r *room) addr(n int) string { return fmt.Sprintf("127.88.%d.%d", r.net, n) }

// join joins a student from address .n with the test's short retry plan.
func (r *room) join(name string, n int) *classroom.Student {
	r.t.Helper()
	s, err := r.tryJoin(name, n, r.host.Code())
	require.NoError(r.t, err, "join %s", name)
	r.t.Cleanup(s.Stop)
	return s
}

func (r *room) tryJoin(name string, n int, code string) (*classroom.Student, error) {
	return classroom.Join(context.Background(), classroom.JoinOptions{Host: r.host.JoinAddress(), Code: code,
		Name: name, Bind: r.addr(n), Password: "pw-" + name,
		Retry: mta.Retry{Delays: []time.Duration{100 * time.Millisecond}, MaxAttempts: 1000}})
}

// send submits a message like a mail client: STARTTLS on 587 with the
// room CA, AUTH PLAIN, one envelope.
func send(t *testing.T, s *classroom.Student, subject string, to ...string) {
	t.Helper()
	c, err := smtp.DialStartTLS(s.Addr(netmap.Submission), clientTLS(t, s, "smtp."+s.Domain))
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Auth(sasl.NewPlainClient("", s.Account, s.Password)))
	msg := "From: <" + s.Account + ">\r\nTo: <" + strings.Join(to, ">, <") + ">\r\nSubject: " + subject +
		"\r\nDate: " + time.Now().Format(time.RFC1123Z) + "\r\nMessage-ID: <" + subject + "@" + s.Domain + ">\r\n\r\nHello from " + s.Account + "\r\n"
	require.NoError(t, c.SendMail(s.Account, to, strings.NewReader(msg)))
	require.NoError(t, c.Quit())
}

func clientTLS(t *testing.T, s *classroom.Student, host string) *tls.Config {
	t.Helper()
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS13}
	cfg.RootCAs = poolOf(t, s.CA)
	return cfg
}

// inbox waits until the student's INBOX holds n messages.
func inbox(t *testing.T, s *classroom.Student, n int) []store.Message {
	t.Helper()
	var msgs []store.Message
	require.Eventually(t, func() bool {
		var err error
		msgs, err = s.Store.Messages(s.Account, "INBOX")
		return err == nil && len(msgs) >= n
	}, wait, 20*time.Millisecond, "%s's INBOX never held %d messages", s.Account, n)
	return msgs
}

// pop3Subjects fetches the INBOX over POP3 with implicit TLS (995).
func pop3Subjects(t *testing.T, s *classroom.Student) []string {
	t.Helper()
	c, err := tls.Dial("tcp", s.Addr(netmap.POP3S), clientTLS(t, s, "mail."+s.Domain))
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(wait))
	rd := bufio.NewReader(c)
	line := func() string {
		l, err := rd.ReadString('\n')
		require.NoError(t, err)
		return strings.TrimRight(l, "\r\n")
	}
	cmd := func(s string) string {
		fmt.Fprintf(c, "%s\r\n", s)
		l := line()
		require.True(t, strings.HasPrefix(l, "+OK"), "%s: %s", s, l)
		return l
	}
	require.True(t, strings.HasPrefix(line(), "+OK"))
	cmd("USER " + s.Account)
	cmd("PASS " + s.Password)
	var n, size int
	_, err = fmt.Sscanf(cmd("STAT"), "+OK %d %d", &n, &size)
	require.NoError(t, err)
	var subjects []string
	for i := 1; i <= n; i++ {
		cmd(fmt.Sprintf("RETR %d", i))
		for l := line(); l != "."; l = line() {
			if v, ok := strings.CutPrefix(l, "Subject: "); ok {
				subjects = append(subjects, v)
			}
		}
	}
	cmd("QUIT")
	return subjects
}

// imapSubjects fetches the INBOX's envelopes over IMAP with STARTTLS.
func imapSubjects(t *testing.T, s *classroom.Student) []string {
	t.Helper()
	c, err := imapclient.DialStartTLS(s.Addr(netmap.IMAP), &imapclient.Options{TLSConfig: clientTLS(t, s, "mail."+s.Domain)})
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Login(s.Account, s.Password).Wait())
	_, err = c.Select("INBOX", nil).Wait()
	require.NoError(t, err)
	var all imap.SeqSet
	all.AddRange(1, 0) // 1:*
	msgs, err := c.Fetch(all, &imap.FetchOptions{Envelope: true}).Collect()
	require.NoError(t, err)
	var subjects []string
	for _, m := range msgs {
		subjects = append(subjects, m.Envelope.Subject)
	}
	require.NoError(t, c.Logout().Wait())
	return subjects
}

func TestStudentsMailEachOther(t *testing.T) {
	r := newRoom(t, 1)
	names := []string{"anna", "ben", "cleo"}
	students := map[string]*classroom.Student{}
	for i, n := range names {
		students[n] = r.join(n, i+2)
	}
	// The room DNS answers MX, A, SPF, DKIM, DMARC and SRV for each.
	res := dns.NewResolver(r.host.DNSAddress(), (&net.Dialer{}).DialContext)
	ctx := context.Background()
	for i, n := range names {
		domain := n + ".room42.test"
		require.Equal(t, domain, students[n].Domain)
		require.Equal(t, n+"@"+domain, students[n].Account)
		mxs, err := res.LookupMX(ctx, domain)
		require.NoError(t, err)
		require.Len(t, mxs, 1)
		assert.Equal(t, "mx."+domain+".", mxs[0].Host)
		ips, err := res.LookupA(ctx, "mx."+domain)
		require.NoError(t, err)
		assert.Equal(t, []net.IP{net.ParseIP(r.addr(i + 2)).To4()}, ips)
		spf, err := res.LookupTXT(ctx, domain)
		require.NoError(t, err)
		assert.Equal(t, []string{"v=spf1 ip4:" + r.addr(i+2) + " -all"}, spf)
		dkim, err := res.LookupTXT(ctx, "room._domainkey."+domain)
		require.NoError(t, err)
		require.Len(t, dkim, 1)
		assert.True(t, strings.HasPrefix(dkim[0], "v=DKIM1; k=ed25519; p="))
	}

	for _, from := range names {
		for _, to := range names {
			if from != to {
				send(t, students[from], from+"-to-"+to, students[to].Account)
			}
		}
	}
	for i, to := range names {
		msgs := inbox(t, students[to], 2)
		require.Len(t, msgs, 2, "each message once")
		for _, m := range msgs {
			raw := string(m.Raw)
			assert.Contains(t, raw, "dkim=pass", "the MX checked DKIM with the room's key record")
			assert.Contains(t, raw, "dmarc=pass")
			assert.Contains(t, raw, "spf=pass")
		}
		want := []string{}
		for _, from := range names {
			if from != to {
				want = append(want, from+"-to-"+to)
			}
		}
		// Read over the wire: POP3 on one, IMAP on the next.
		if i%2 == 0 {
			assert.ElementsMatch(t, want, pop3Subjects(t, students[to]))
		}
		assert.ElementsMatch(t, want, imapSubjects(t, students[to]))
	}

	// The room map shows the providers and one delivery per message.
	require.Eventually(t, func() bool { return len(delivered(r.host.Map())) == 6 }, wait, 20*time.Millisecond)
	m := r.host.Map()
	require.Len(t, m.Providers, 3)
	assert.Equal(t, "anna.room42.test", m.Providers[0].Domain)
	pairs := map[string]int{}
	for _, e := range delivered(m) {
		pairs[e.From+" → "+e.To]++
		assert.NotEqual(t, e.From, e.To)
		assert.True(t, strings.HasSuffix(e.To, ".room42.test"))
		assert.Equal(t, "2.0.0", e.Status)
	}
	assert.Len(t, pairs, 6, "one event per message: %v", pairs)
}

func delivered(m classroom.Map) []classroom.Event {
	var out []classroom.Event
	for _, e := range m.Events {
		if e.Outcome == classroom.Delivered {
			out = append(out, e)
		}
	}
	return out
}

func TestMailOutsideTheRoomBounces(t *testing.T) {
	r := newRoom(t, 2)
	anna := r.join("anna", 2)
	send(t, anna, "to-the-internet", "bob@example.net")
	msgs := inbox(t, anna, 1)
	dsn := string(msgs[0].Raw)
	assert.Contains(t, dsn, "Status: 5.7.1")
	assert.Contains(t, dsn, "delivers only inside the room's zone room42.test")
	require.Eventually(t, func() bool {
		for _, e := range r.host.Map().Events {
			if e.Outcome == classroom.Bounced && e.To == "example.net" && e.Status == "5.7.1" {
				return true
			}
		}
		return false
	}, wait, 20*time.Millisecond)
}

func TestJoinRefusals(t *testing.T) {
	r := newRoom(t, 3)
	r.join("anna", 2)
	var je *classroom.JoinError
	tests := []struct {
		name, student, code string
		from                int
		status              int
		reason              string
	}{
		{"wrong code", "ben", "AAA-AAA", 3, http.StatusForbidden, "wrong-code"},
		{"code typed loosely", "ben", "k7q m4p", 3, 0, ""},
		{"name taken from another machine", "anna", r.host.Code(), 4, http.StatusConflict, "name-taken"},
		{"second name from one machine", "cleo", r.host.Code(), 2, http.StatusConflict, "address-taken"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := r.tryJoin(tc.student, tc.from, tc.code)
			if tc.status == 0 {
				require.NoError(t, err)
				s.Stop()
				return
			}
			require.ErrorAs(t, err, &je)
			assert.Equal(t, tc.status, je.Status)
			assert.Equal(t, tc.reason, je.Reason)
			assert.NotEmpty(t, je.Message)
		})
	}
	// A name that is no DNS label, and an address the request does not
	// come from, straight to the join service.
	for _, tc := range []struct {
		req    classroom.JoinRequest
		status int
		reason string
	}{
		{classroom.JoinRequest{Code: r.host.Code(), Name: "Anna!", Address: "127.0.0.1"}, http.StatusBadRequest, "bad-name"},
		{classroom.JoinRequest{Code: r.host.Code(), Name: "dora", Address: r.addr(9)}, http.StatusForbidden, "address-mismatch"},
	} {
		b, _ := json.Marshal(tc.req)
		resp, err := http.Post("http://"+r.host.JoinAddress()+"/join", "application/json", strings.NewReader(string(b)))
		require.NoError(t, err)
		var er classroom.ErrorReply
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&er))
		resp.Body.Close()
		assert.Equal(t, tc.status, resp.StatusCode)
		assert.Equal(t, tc.reason, er.Reason, er.Message)
	}
	// The map needs the code too.
	resp, err := http.Get("http://" + r.host.JoinAddress() + "/map?code=nope")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
}

func TestStoppedStudentsMailWaitsInTheQueue(t *testing.T) {
	r := newRoom(t, 4)
	anna := r.join("anna", 2)
	ben := r.join("ben", 3)
	ben.Stop() // ben's machine goes off without leaving: his records stay
	send(t, anna, "while-you-were-out", ben.Account)
	require.Eventually(t, func() bool {
		for _, e := range r.host.Map().Events {
			if e.Outcome == classroom.Deferred && e.To == "ben.room42.test" {
				return true
			}
		}
		return false
	}, wait, 20*time.Millisecond, "anna's queue tried and deferred")
	it := anna.Queue.Snapshot()
	require.Len(t, it, 1)
	// The item may be in its next attempt; its recipient waits deferred.
	require.Equal(t, mta.StateDeferred, it[0].To[0].State)
	assert.Equal(t, "4.4.1", it[0].To[0].Status, "no connection: %s", it[0].To[0].Reply)

	ben = r.join("ben", 3) // back, same name and machine
	msgs := inbox(t, ben, 1)
	assert.Contains(t, string(msgs[0].Raw), "Subject: while-you-were-out")
	require.Eventually(t, func() bool { return len(delivered(r.host.Map())) == 1 }, wait, 20*time.Millisecond)
}

func TestLeavingRemovesTheRecords(t *testing.T) {
	r := newRoom(t, 5)
	anna := r.join("anna", 2)
	cleo := r.join("cleo", 4)
	require.NoError(t, cleo.Leave(context.Background()))
	res := dns.NewResolver(r.host.DNSAddress(), (&net.Dialer{}).DialContext)
	_, err := res.LookupMX(context.Background(), "cleo.room42.test")
	var de *net.DNSError
	require.True(t, errors.As(err, &de) && de.IsNotFound, "NXDOMAIN, got %v", err)
	require.Len(t, r.host.Map().Providers, 1)
	// Nothing listens on cleo's address any more.
	_, err = net.DialTimeout("tcp", cleo.Addr(netmap.SMTP), time.Second)
	require.Error(t, err)
	// Mail for her bounces: the domain is gone.
	send(t, anna, "too-late", cleo.Account)
	dsn := string(inbox(t, anna, 1)[0].Raw)
	assert.Contains(t, dsn, "Status: 5.1.2")
}

func TestForgedSenderIsRefusedByDMARC(t *testing.T) {
	r := newRoom(t, 6)
	anna := r.join("anna", 2)
	ben := r.join("ben", 3)
	// A machine of the room that is not anna's speaks for her to ben's MX.
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(r.addr(9))}, Timeout: wait}
	conn, err := d.Dial("tcp", ben.Addr(netmap.SMTP))
	require.NoError(t, err)
	c := smtp.NewClient(conn)
	defer c.Close()
	require.NoError(t, c.Hello("forger.example"))
	msg := "From: <" + anna.Account + ">\r\nTo: <" + ben.Account + ">\r\nSubject: trust me\r\n\r\nSend me your password.\r\n"
	err = c.SendMail(anna.Account, []string{ben.Account}, strings.NewReader(msg))
	var se *smtp.SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 550, se.Code)
	assert.Equal(t, smtp.EnhancedCode{5, 7, 1}, se.EnhancedCode)
	assert.Contains(t, strings.ToLower(se.Message), "dmarc")
	msgs, err := ben.Store.Messages(ben.Account, "INBOX")
	require.NoError(t, err)
	assert.Empty(t, msgs)
}

func TestASecondMaillabOnOneMachineChangesNothing(t *testing.T) {
	r := newRoom(t, 9)
	anna := r.join("anna", 2)
	ben := r.join("ben", 3)
	res := dns.NewResolver(r.host.DNSAddress(), (&net.Dialer{}).DialContext)
	before, err := res.LookupTXT(context.Background(), "room._domainkey.anna.room42.test")
	require.NoError(t, err)

	// The same name from the same machine, while anna's servers run:
	// its ports are taken, so it never comes up, and the room keeps anna's
	// records (her DKIM key above all).
	_, err = r.tryJoin("anna", 2, r.host.Code())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "address already in use")
	after, err := dns.NewResolver(r.host.DNSAddress(), (&net.Dialer{}).DialContext).LookupTXT(context.Background(), "room._domainkey.anna.room42.test")
	require.NoError(t, err)
	assert.Equal(t, before, after)
	require.Len(t, r.host.Map().Providers, 2)

	send(t, anna, "still-me", ben.Account)
	raw := string(inbox(t, ben, 1)[0].Raw)
	assert.Contains(t, raw, "dkim=pass")
	require.Eventually(t, func() bool { return len(delivered(r.host.Map())) == 1 }, wait, 20*time.Millisecond,
		"anna's token still counts")
}

func TestMXIsNoRelay(t *testing.T) {
	r := newRoom(t, 10)
	anna := r.join("anna", 2)
	ben := r.join("ben", 3)
	c, err := smtp.Dial(ben.Addr(netmap.SMTP))
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.Hello("classmate.example"))
	require.NoError(t, c.Mail("someone@example.net", nil))
	for _, rcpt := range []string{anna.Account, "x@example.com"} {
		err = c.Rcpt(rcpt, nil)
		var se *smtp.SMTPError
		require.ErrorAs(t, err, &se, rcpt)
		assert.Equal(t, 550, se.Code, "%s: %v", rcpt, se)
		assert.Contains(t, se.Message, "Relay access denied")
		assert.Equal(t, smtp.EnhancedCode{5, 7, 1}, se.EnhancedCode)
	}
	require.NoError(t, c.Rcpt(ben.Account, nil), "its own domain it takes")
}

// Anna connects from her own address with her own envelope sender (SPF
// passes for anna.room42.test) but writes From: Ben. Every student's
// domain is an organisation of its own (the room zone is their public
// suffix), so SPF is not aligned with ben.room42.test and DMARC refuses.
func TestForgedFromWithOwnEnvelopeIsRefused(t *testing.T) {
	r := newRoom(t, 7)
	anna := r.join("anna", 2)
	ben := r.join("ben", 3)
	cleo := r.join("cleo", 4)
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(r.addr(2))}, Timeout: wait}
	conn, err := d.Dial("tcp", cleo.Addr(netmap.SMTP))
	require.NoError(t, err)
	c := smtp.NewClient(conn)
	defer c.Close()
	require.NoError(t, c.Hello("mx."+anna.Domain))
	msg := "From: <" + ben.Account + ">\r\nTo: <" + cleo.Account + ">\r\nSubject: from Ben, honestly\r\n\r\nHi.\r\n"
	err = c.SendMail(anna.Account, []string{cleo.Account}, strings.NewReader(msg))
	var se *smtp.SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 550, se.Code)
	assert.Contains(t, se.Message, "Rejected by DMARC policy of "+ben.Domain)
}
