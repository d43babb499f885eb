package limits

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"io"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConnsCaps(t *testing.T) {
	c := NewConns(5, 2)
	steps := []struct {
		addr string
		want Verdict
	}{
		{"127.0.0.1", Admitted},
		{"127.0.0.1", Admitted},
		{"127.0.0.1", AddrFull}, // its share is taken
		{"127.0.0.2", Admitted}, // another address is not locked out
		{"127.0.0.2", Admitted},
		{"127.0.0.3", Admitted},
		{"127.0.0.4", ServerFull}, // five in all
	}
	var releases []func()
	for i, s := range steps {
		release, v := c.Admit(s.addr)
		assert.Equal(t, s.want, v, "step %d (%s)", i, s.addr)
		if v == Admitted {
			releases = append(releases, release)
		} else {
			assert.Nil(t, release, "a refused connection holds nothing")
		}
	}
	assert.True(t, c.Stressed(), "5 of 5 is over 80%")
	releases[0]()
	releases[0]() // twice counts once
	total, mine := c.Counts("127.0.0.1")
	assert.Equal(t, 4, total)
	assert.Equal(t, 1, mine)
	assert.False(t, c.Stressed(), "4 of 5 is 80%, not over")
	_, v := c.Admit("127.0.0.1")
	assert.Equal(t, Admitted, v, "the slot is free again")
}

func TestConnsDefaults(t *testing.T) {
	c := NewConns(0, 0)
	assert.Equal(t, DefaultMaxConns, c.max)
	assert.Equal(t, DefaultPerAddr, c.perAddr)
	assert.Equal(t, 3, NewConns(3, 0).perAddr, "never above the total")
}

func TestTimeouts(t *testing.T) {
	to := Timeouts{}.WithDefaults(5 * time.Minute)
	assert.Equal(t, DefaultLoginTimeout, to.Idle(false, false))
	assert.Equal(t, DefaultStressTimeout, to.Idle(false, true))
	assert.Equal(t, 5*time.Minute, to.Idle(true, false))
	assert.Equal(t, 5*time.Minute, to.Idle(true, true), "a session past login keeps its time")
	short := Timeouts{Login: 200 * time.Millisecond}.WithDefaults(time.Minute)
	assert.Equal(t, 200*time.Millisecond, short.Idle(false, true), "stress never lengthens")
	mx := Timeouts{Login: time.Second}.MX(5 * time.Minute)
	assert.Equal(t, 5*time.Minute, mx.WithDefaults(0).Idle(false, false), "port 25: the session timeout")
	assert.Equal(t, DefaultStressTimeout, mx.WithDefaults(0).Idle(false, true))
}

func TestPenalty(t *testing.T) {
	now := time.Unix(1000, 0)
	p := &Penalty{Delay: 2 * time.Second, Now: func() time.Time { return now }}
	want := []time.Duration{2, 2, 2, 4, 8, 15, 15, 15, 15, 15} // seconds, Dovecot's curve
	for i, w := range want {
		assert.False(t, p.Locked("127.0.0.1"), "before failure %d", i+1)
		assert.Equal(t, w*time.Second, p.Fail("127.0.0.1"), "failure %d", i+1)
		now = now.Add(time.Second)
	}
	assert.True(t, p.Locked("127.0.0.1"), "ten failures lock the address")
	assert.False(t, p.Locked("127.0.0.2"), "not another one")
	assert.Equal(t, 2*time.Second, p.Fail("127.0.0.2"))

	last := now.Add(-time.Second) // of the tenth failure
	now = last.Add(DefaultWindow - time.Millisecond)
	assert.True(t, p.Locked("127.0.0.1"), "until the window has passed since the last failure")
	now = last.Add(DefaultWindow)
	assert.False(t, p.Locked("127.0.0.1"))
	assert.Equal(t, 2*time.Second, p.Fail("127.0.0.1"), "forgotten: a fresh start")

	var none *Penalty
	assert.False(t, none.Locked("x"))
	assert.Zero(t, none.Fail("x"))
	never := &Penalty{LockAfter: -1}
	for range 20 {
		assert.Zero(t, never.Fail("x"), "no delay configured")
	}
	assert.False(t, never.Locked("x"))
}

func TestPenaltyForgetsOldAddresses(t *testing.T) {
	now := time.Unix(1000, 0)
	p := &Penalty{Now: func() time.Time { return now }}
	for i := range maxTracked + 10 {
		p.Fail(net.IPv4(10, byte(i>>16), byte(i>>8), byte(i)).String())
		now = now.Add(time.Millisecond)
	}
	assert.LessOrEqual(t, len(p.addrs), maxTracked)
}

// A refusal on an implicit-TLS connection: a client that never starts its
// handshake is closed within the grace; one that does reads the line.
func TestRefuseTLS(t *testing.T) {
	cfg := selfSigned(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	tl := tls.NewListener(l, cfg)
	go func() {
		for {
			c, err := tl.Accept()
			if err != nil {
				return
			}
			go Refuse(c, "* BYE [UNAVAILABLE] Too many connections from your address\r\n")
		}
	}()

	silent, err := net.Dial("tcp", l.Addr().String())
	require.NoError(t, err)
	defer silent.Close()
	silent.SetReadDeadline(time.Now().Add(2 * time.Second)) // a bound on correctness, not on speed
	_, err = silent.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "closed without a handshake")

	c, err := tls.Dial("tcp", l.Addr().String(), &tls.Config{InsecureSkipVerify: true})
	require.NoError(t, err)
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "* BYE [UNAVAILABLE] Too many connections from your address\r\n", line)
}

func TestHost(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	assert.Equal(t, "pipe", Host(a))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	c, err := net.Dial("tcp", l.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	assert.Equal(t, "127.0.0.1", Host(c))
}

func selfSigned(t *testing.T) *tls.Config {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}
