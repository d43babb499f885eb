package scenario

import (
	"bytes"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/conductor"
	"maillab/simulator/event"
	"maillab/simulator/mta"
	"maillab/simulator/world"
)

// What the lessons about failures show must really have happened.

func TestBounceReturnsADSN(t *testing.T) {
	r := runScenario(t, "bounce")
	box := inbox(t, r, "example.org", "alice@example.org")
	require.Len(t, box, 1, "the DSN in Alice's INBOX")
	f := dsnFields(t, box[0])
	assert.Equal(t, "rfc822; nobody@example.net", f["Final-Recipient"])
	assert.Equal(t, "failed", f["Action"])
	assert.Equal(t, "5.1.1", f["Status"])
	assert.Contains(t, f["Diagnostic-Code"], "550")
	assert.Equal(t, "dns; smtp.example.org", f["Reporting-MTA"])
	assert.Len(t, r.World.Device("alice-laptop").Messages(), 1, "Alice read it over IMAP")
	refused := lines(r.World.Conductor.Log(), func(ev event.Event) bool {
		return ev.Server == "mx.example.net" && strings.HasPrefix(ev.Text, "550 5.1.1")
	})
	assert.Len(t, refused, 1, "550 5.1.1 at RCPT")
	assert.Empty(t, inbox(t, r, "example.net", "bob@example.net"))
}

func TestRetryDeliversWhenTheMXIsBack(t *testing.T) {
	r := runScenario(t, "retry")
	assert.Equal(t, []string{"state.queue-deferred", "state.queue-sent"},
		notes(r.World.Conductor.Log(), "smtp.example.org"), "deferred, then sent")
	q := r.World.Provider("example.org").Queue.Snapshot()
	require.Len(t, q, 1)
	assert.Equal(t, mta.StateSent, q[0].State)
	assert.Equal(t, 2, q[0].Attempts)
	assert.Contains(t, q[0].To[0].Reply, "250")
	assert.Len(t, r.World.Device("bob-laptop").Messages(), 1, "Bob fetched it")
	assert.Empty(t, inbox(t, r, "example.org", "alice@example.org"), "no bounce")
	assert.True(t, r.World.MXUp("example.net"))
}

func TestRetryGivesUpAndBounces(t *testing.T) {
	r := runScenario(t, "retry-giveup")
	got := notes(r.World.Conductor.Log(), "smtp.example.org")
	require.NotEmpty(t, got)
	assert.Equal(t, "state.queue-bounced", got[len(got)-1])
	for _, code := range got[:len(got)-1] {
		assert.Equal(t, "state.queue-deferred", code)
	}
	q := r.World.Provider("example.org").Queue.Snapshot()
	require.Len(t, q, 1)
	assert.Equal(t, mta.StateBounced, q[0].State)
	assert.Equal(t, len(got), q[0].Attempts, "one note per attempt")
	box := inbox(t, r, "example.org", "alice@example.org")
	require.Len(t, box, 1)
	f := dsnFields(t, box[0])
	assert.Equal(t, "failed", f["Action"])
	assert.Equal(t, "4.4.1", f["Status"], "the last temporary error (RFC 3464 §2.3.3)")
	assert.Contains(t, string(box[0]), "gave up after")
	assert.Empty(t, inbox(t, r, "example.net", "bob@example.net"))
	assert.False(t, r.World.MXUp("example.net"))
}

func TestRelayDeniedLeavesNothing(t *testing.T) {
	r := runScenario(t, "relay-denied")
	denied := lines(r.World.Conductor.Log(), func(ev event.Event) bool {
		return ev.Client == "impostor" && ev.Dir == event.ServerToClient && strings.HasPrefix(ev.Text, "550 5.7.1")
	})
	require.Len(t, denied, 1)
	assert.Contains(t, denied[0].Text, "Relay access denied")
	assert.Empty(t, allCopies(t, r.World), "nothing stored anywhere")
	for _, d := range []string{"example.org", "example.net"} {
		assert.Empty(t, r.World.Provider(d).Queue.Snapshot(), d)
	}
	quit := lines(r.World.Conductor.Log(), func(ev event.Event) bool { return ev.Client == "impostor" && ev.Text == "QUIT" })
	assert.Len(t, quit, 1)
}

func TestBccIsInTheEnvelopeOnly(t *testing.T) {
	r := runScenario(t, "bcc")
	log := r.World.Conductor.Log()
	rcpts := func(server string) int {
		return len(lines(log, func(ev event.Event) bool {
			return ev.Server == server && strings.HasPrefix(ev.Text, "RCPT TO:")
		}))
	}
	assert.Equal(t, 3, rcpts("smtp.example.org"), "three RCPT TO at the MSA")
	assert.Equal(t, 3, rcpts("mx.example.net"), "three RCPT TO at the MX")
	relays := map[uint64]bool{}
	for _, ev := range lines(log, func(ev event.Event) bool { return ev.Server == "mx.example.net" }) {
		relays[ev.Conn] = true
	}
	assert.Len(t, relays, 1, "one relay transaction for all three")
	bcc := lines(log, func(ev event.Event) bool { return strings.HasPrefix(strings.ToLower(ev.Text), "bcc:") })
	assert.Empty(t, bcc, "no Bcc header on the wire")
	for _, dev := range []string{"bob-laptop", "carol-laptop", "dave-laptop"} {
		msgs := r.World.Device(dev).Messages()
		require.Len(t, msgs, 1, "%s has exactly one copy", dev)
		h := header(t, msgs[0].Raw)
		assert.False(t, h.Has("Bcc"), "%s: no Bcc", dev)
		assert.Equal(t, "Treffen am Freitag", msgs[0].Subject, dev)
		cc, err := h.AddressList("Cc")
		require.NoError(t, err)
		require.Len(t, cc, 1)
		assert.Equal(t, "carol@example.net", cc[0].Address)
	}
	for _, c := range allCopies(t, r.World) {
		h := header(t, c.raw)
		assert.False(t, h.Has("Bcc"), c.where)
	}
}

func header(t *testing.T, raw []byte) gomail.Header {
	t.Helper()
	mr, err := gomail.CreateReader(bytes.NewReader(raw))
	require.NoError(t, err)
	return mr.Header
}

func TestSizeLimitRefusesTwice(t *testing.T) {
	r := runScenario(t, "size-limit")
	log := r.World.Conductor.Log()
	tooBig := lines(log, func(ev event.Event) bool {
		return ev.Server == "mx.example.net" && strings.HasPrefix(ev.Text, "552 ")
	})
	require.Len(t, tooBig, 2, "552 at MAIL FROM and at the end of DATA")
	assert.Equal(t, "smtp.example.org", tooBig[0].Client)
	assert.Equal(t, "impostor", tooBig[1].Client)
	// After the refusal the MTA still says goodbye, inside TLS (RFC 5321 §4.1.1.10).
	after := lines(log, func(ev event.Event) bool {
		return ev.Conn == tooBig[0].Conn && ev.Seq > tooBig[0].Seq && ev.Kind == event.KindLine
	})
	require.Len(t, after, 2, "QUIT and its 221 after the 552")
	assert.Equal(t, "QUIT", after[0].Text)
	assert.True(t, after[0].Encrypted)
	assert.True(t, strings.HasPrefix(after[1].Text, "221 "))
	size := lines(log, func(ev event.Event) bool {
		return ev.Server == "mx.example.net" && strings.HasPrefix(ev.Text, "250 SIZE 2000")
	})
	assert.Len(t, size, 3, "SIZE 2000 to the MTA (before and after STARTTLS) and to the stranger")
	assert.Empty(t, inbox(t, r, "example.net", "bob@example.net"), "nothing delivered")
	box := inbox(t, r, "example.org", "alice@example.org")
	require.Len(t, box, 1, "Alice got a bounce")
	f := dsnFields(t, box[0])
	assert.Equal(t, "5.3.4", f["Status"])
	assert.Contains(t, f["Diagnostic-Code"], "552")
}

func TestPlaintextPasswordOnTheWire(t *testing.T) {
	r := runScenario(t, "plaintext-password")
	log := r.World.Conductor.Log()
	creds := lines(log, func(ev event.Event) bool { return ev.Credential && ev.Client == "alice-laptop" })
	var auth, pass []bool // Encrypted, in order
	for _, ev := range creds {
		switch {
		case strings.HasPrefix(ev.Text, "AUTH PLAIN "):
			auth = append(auth, ev.Encrypted)
		case strings.HasPrefix(ev.Text, "PASS "):
			pass = append(pass, ev.Encrypted)
		}
	}
	assert.Equal(t, []bool{false, true, true}, auth, "AUTH: plain, STARTTLS, implicit TLS")
	assert.Equal(t, []bool{false, true, true}, pass, "PASS: plain, STLS, implicit TLS")
	refused := lines(log, func(ev event.Event) bool {
		return ev.Server == "smtp.example.net" && strings.HasPrefix(ev.Text, "530 5.7.0")
	})
	require.Len(t, refused, 1, "smtp.example.net wants STARTTLS first")
	assert.False(t, refused[0].Encrypted)
	assert.Len(t, inbox(t, r, "example.net", "bob@example.net"), 3, "all three mails arrived")
}

// A reset at any point of the new lessons tears the world down (goleak
// checks in TestMain), also while the MX is down or a raw client is typing.
func TestResetFailureScenariosMidRun(t *testing.T) {
	for _, id := range []string{"bounce", "retry", "retry-giveup", "relay-denied", "bcc", "size-limit", "plaintext-password"} {
		for _, after := range []int{0, 3, 20, 60} {
			r, err := Start(id, world.Options{Mode: conductor.Step})
			require.NoError(t, err)
			for i := 0; i < after && !finished(r); i++ {
				stepOnce(t, r)
			}
			require.NoError(t, r.Close(), "%s after %d steps", id, after)
		}
	}
}

func finished(r *Run) bool {
	select {
	case <-r.Done():
		return true
	default:
		return false
	}
}

// stepOnce releases one gated event, waiting while the agents work.
func stepOnce(t *testing.T, r *Run) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !r.World.Conductor.Step() && !finished(r) {
		require.True(t, time.Now().Before(deadline), "nothing to step")
		time.Sleep(time.Millisecond)
	}
}
