package dnsrecord

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type recordCase struct {
	text string
	want string // "" valid; otherwise the exact English message
}

func runCases(t *testing.T, kind string, cases []recordCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			err := Check(kind, c.text)
			if c.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Equal(t, c.want, err.Error())
			var p *Problem
			require.True(t, errors.As(err, &p))
			assert.Contains(t, Messages, p.Code, "every problem has an English template")
		})
	}
}

func TestSPF(t *testing.T) {
	many := "v=spf1" + strings.Repeat(" include:_spf.example.org", 10) + " redirect=example.net"
	runCases(t, KindSPF, []recordCase{
		{"v=spf1 ip4:127.77.1.20 -all", ""},
		{"v=spf1 -all", ""},
		{"V=SPF1 mx a:smtp.example.org ~all", ""},
		{"v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a/24 mx//64 a:example.org/24//64 ?all", ""},
		{"v=spf1 include:_spf.example.net exists:%{i}._spf.%{d} -all", ""},
		{"v=spf1 redirect=_spf.example.org", ""},
		{"v=spf1 ip4:127.77.1.20 foo=bar -all", ""}, // unknown modifiers are ignored
		{"v=spf1   mx    -all  ", ""},
		{"", "the SPF record is empty; it starts with v=spf1"},
		{"spf1 -all", `an SPF record starts with v=spf1, not "spf1" (RFC 7208 §4.5)`},
		{"ip4:127.77.1.20 v=spf1 -all", `an SPF record starts with v=spf1, not "ip4:127.77.1.20" (RFC 7208 §4.5)`},
		{"v=spf2 -all", `an SPF record starts with v=spf1, not "v=spf2" (RFC 7208 §4.5)`},
		{"v=spf1 ip:127.77.1.20 -all", `"ip:127.77.1.20" is not an SPF mechanism (all, include, a, mx, ptr, ip4, ip6, exists) nor a modifier name=value (RFC 7208 §5)`},
		{"v=spf1 ip4:127.77.1.300 -all", `"ip4:127.77.1.300": 127.77.1.300 is not an IPv4 address or network (e.g. ip4:127.77.1.20 or ip4:192.0.2.0/24)`},
		{"v=spf1 ip4:2001:db8::1 -all", `"ip4:2001:db8::1": 2001:db8::1 is not an IPv4 address or network (e.g. ip4:127.77.1.20 or ip4:192.0.2.0/24)`},
		{"v=spf1 ip4:192.0.2.0/33 -all", `"ip4:192.0.2.0/33": the prefix length /33 is out of range (IPv4 0 to 32, IPv6 0 to 128)`},
		{"v=spf1 ip6:127.0.0.1 -all", `"ip6:127.0.0.1": 127.0.0.1 is not an IPv6 address or network (e.g. ip6:2001:db8::/32)`},
		{"v=spf1 a/40 -all", `"a/40": the prefix length /40 is out of range (IPv4 0 to 32, IPv6 0 to 128)`},
		{"v=spf1 include -all", `"include": include needs a domain, as in include:example.org`},
		{"v=spf1 include:localhost -all", `"include:localhost": "localhost" is not a domain name (nor an SPF macro)`},
		{"v=spf1 exists:%{z}.example.org -all", `"exists:%{z}.example.org": the macro in "%{z}.example.org" is malformed (RFC 7208 §7.1)`},
		{"v=spf1 all:example.org", `"all:example.org": all takes nothing after it`},
		{"v=spf1 -all ~all", `"all" appears twice; everything after the first all is never looked at (RFC 7208 §5.1)`},
		{"v=spf1 redirect=a.example.org redirect=b.example.org", `the modifier redirect= appears twice; it may appear once (RFC 7208 §6)`},
		{"v=spf1 exp=a.example.org exp=b.example.org -all", `the modifier exp= appears twice; it may appear once (RFC 7208 §6)`},
		{"v=spf1 -redirect=example.org", `"-redirect=example.org": a modifier has no qualifier (+, -, ~, ?) in front`},
		{"v=spf1 +-all", `"+-all" is not an SPF mechanism (all, include, a, mx, ptr, ip4, ip6, exists) nor a modifier name=value (RFC 7208 §5)`},
		{many, "11 terms need DNS lookups (include, a, mx, ptr, exists, redirect); at most 10 are allowed (RFC 7208 §4.6.4)"},
		{"v=spf1 ip4:127.77.1.20 –all", `the SPF record contains '–': only printable ASCII is allowed`},
	})
}

func TestDKIM(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	p := base64.StdEncoding.EncodeToString(der)
	pkcs1 := base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(&key.PublicKey))
	short, err := x509.MarshalPKIXPublicKey(&rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 511), E: 65537})
	require.NoError(t, err)
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	ed := base64.StdEncoding.EncodeToString(edPub)
	runCases(t, KindDKIM, []recordCase{
		{"v=DKIM1; k=rsa; p=" + p, ""},
		{"v=DKIM1; k=rsa; p=" + p + ";", ""},
		{"k=rsa; p=" + p, ""},
		{"p=" + pkcs1, ""},
		{"v=DKIM1; h=sha256; t=y:s; s=email; n=lab key; p=" + p[:40] + " " + p[40:], ""},
		{"v=DKIM1; k=ed25519; p=" + ed, ""},
		{"v=DKIM1; p=", ""}, // revoked
		{"", "the DKIM key record is empty; write v=DKIM1; k=ed25519 (or k=rsa); p= and the public key"},
		{"k=rsa; v=DKIM1; p=" + p, `v= must be the first tag and say DKIM1, not "DKIM1" (RFC 6376 §3.6.1)`},
		{"v=DKIM2; p=" + p, `v= must be the first tag and say DKIM1, not "DKIM2" (RFC 6376 §3.6.1)`},
		{"v=DKIM1; k=rsa", "the p= tag with the public key is missing (RFC 6376 §3.6.1); an empty p= revokes the key"},
		{"v=DKIM1; k=dsa; p=" + p, "k=dsa: the key type is rsa or ed25519 (RFC 6376 §3.6.1, RFC 8463)"},
		{"v=DKIM1; h=md5; p=" + p, "h=md5: the hash algorithms are sha256 (or sha1), separated by colons"},
		{"v=DKIM1; p=" + p + "; p=" + p, "DKIM: the tag p= appears twice, which makes the whole record invalid"},
		{"v=DKIM1; k=rsa p=" + p, "k=rsa p=" + p + ": the key type is rsa or ed25519 (RFC 6376 §3.6.1, RFC 8463)"},
		{"v=DKIM1;; p=" + p, `DKIM: an empty tag between two ";"`},
		{"v=DKIM1; rsa; p=" + p, `DKIM: "rsa" is not a tag=value pair`},
		{"v=DKIM1; p=not*base64", "p= is not base64 (A–Z, a–z, 0–9, +, / and = at the end): illegal base64 data at input byte 3"},
		{"v=DKIM1; p=" + base64.StdEncoding.EncodeToString([]byte("hello world")), "p= decodes but is not an RSA public key"},
		{"v=DKIM1; k=ed25519; p=" + p, "p= decodes but is not an Ed25519 public key"},
		{"v=DKIM1; p=" + base64.StdEncoding.EncodeToString(short), "p= is an RSA key of 512 bits; verifiers refuse keys under 1024 bits (RFC 8301 §3.2)"},
		{"v=DKIM1; t=x; p=" + p, "t=x: the flags are y (testing) and s (strict), separated by colons"},
	})
	k, err := ParseDKIM("v=DKIM1; p=" + p)
	require.NoError(t, err)
	assert.True(t, key.PublicKey.Equal(k.Public), "the parsed key is the published one")
	k, err = ParseDKIM("v=DKIM1; k=rsa; p=")
	require.NoError(t, err)
	assert.True(t, k.Revoked)
}

func TestDMARC(t *testing.T) {
	runCases(t, KindDMARC, []recordCase{
		{"v=DMARC1; p=reject; adkim=r; aspf=r", ""},
		{"v=DMARC1; p=none; rua=mailto:dmarc@example.org", ""},
		{"v=DMARC1;p=quarantine;pct=50;sp=none;rua=mailto:a@example.org,mailto:b@example.net!10m;ruf=mailto:f@example.org;fo=1:d;ri=86400;rf=afrf", ""},
		{"v=DMARC1; p=reject;", ""},
		{"", "the DMARC record is empty; it starts with v=DMARC1; p="},
		{"p=reject; v=DMARC1", "a DMARC record starts with v=DMARC1 (RFC 7489 §6.3)"},
		{"v=DMARC2; p=reject", "a DMARC record starts with v=DMARC1 (RFC 7489 §6.3)"},
		{"v=DMARC1; rua=mailto:dmarc@example.org", "the policy p= is missing: write p=none, p=quarantine or p=reject (RFC 7489 §6.3)"},
		{"v=DMARC1; p=block", "p=block: the policy is none, quarantine or reject"},
		{"v=DMARC1; p=reject; sp=deny", "sp=deny: the policy is none, quarantine or reject"},
		{"v=DMARC1; p=reject; pct=150", "pct=150: a whole number from 0 to 100"},
		{"v=DMARC1; p=reject; pct=-1", "pct=-1: a whole number from 0 to 100"},
		{"v=DMARC1; p=reject; adkim=relaxed", "adkim=relaxed: alignment is r (relaxed) or s (strict)"},
		{"v=DMARC1; p=reject; aspf=x", "aspf=x: alignment is r (relaxed) or s (strict)"},
		{"v=DMARC1; p=none; rua=dmarc@example.org", `rua: "dmarc@example.org" is not a mailto: address, as in mailto:dmarc@example.org (RFC 7489 §6.2)`},
		{"v=DMARC1; p=none; rua=https://example.org/report", `rua: "https://example.org/report" is not a mailto: address, as in mailto:dmarc@example.org (RFC 7489 §6.2)`},
		{"v=DMARC1; p=none; ruf=mailto:nobody", `ruf: "mailto:nobody" is not a mailto: address, as in mailto:dmarc@example.org (RFC 7489 §6.2)`},
		{"v=DMARC1; p=none; p=reject", "DMARC: the tag p= appears twice, which makes the whole record invalid"},
		{"v=DMARC1; p=none; fo=2", "fo=2: the options are 0, 1, d and s, separated by colons"},
	})
}

func TestMX(t *testing.T) {
	runCases(t, KindMX, []recordCase{
		{"10 mx.example.org", ""},
		{"20 backup-mx.example.org.", ""},
		{"0 .", ""},
		{"mx.example.org", `"mx.example.org": write an MX record as a preference and a host, e.g. 10 mx.example.org`},
		{"ten mx.example.org", "preference ten is not a whole number from 0 to 65535"},
		{"70000 mx.example.org", "preference 70000 is not a whole number from 0 to 65535"},
		{"-1 mx.example.org", "preference -1 is not a whole number from 0 to 65535"},
		{"10 127.77.1.25", "127.77.1.25 is an address; an MX names a host, whose A record has the address (RFC 1035 §3.3.9)"},
		{"10 .", `the null MX "." says the domain takes no mail; its preference must be 0 (RFC 7505 §3)`},
		{"10 mx_1.example.org", `mx_1.example.org: "mx_1" is not a host-name label (letters, digits and hyphens, 1 to 63, no hyphen at either end)`},
		{"10 mx..example.org", "mx..example.org has an empty label (two dots, or a dot at the start)"},
		{"10 -mx.example.org", `-mx.example.org: "-mx" is not a host-name label (letters, digits and hyphens, 1 to 63, no hyphen at either end)`},
		{"10 mx.example.123", "mx.example.123 ends in a number: a host name ends in a name such as org"},
	})
	assert.NoError(t, CheckMXSet([]string{"mx.example.org", "backup.example.org"}))
	assert.EqualError(t, CheckMXSet([]string{".", "mx.example.org"}), `a domain with the null MX "." must have no other MX record (RFC 7505 §3)`)
}

func TestA(t *testing.T) {
	runCases(t, KindA, []recordCase{
		{"127.77.1.25", ""},
		{"192.0.2.1", ""},
		{"127.77.1.256", `"127.77.1.256" is not an IPv4 address (four numbers 0 to 255 with dots, e.g. 127.77.1.25)`},
		{"::1", `"::1" is not an IPv4 address (four numbers 0 to 255 with dots, e.g. 127.77.1.25)`},
		{"mx.example.org", `"mx.example.org" is not an IPv4 address (four numbers 0 to 255 with dots, e.g. 127.77.1.25)`},
	})
}

func TestUnknownKind(t *testing.T) {
	assert.EqualError(t, Check("cname", "x"), "cname is not a kind of record this check knows (mx, a, spf, dkim, dmarc, host)")
}
