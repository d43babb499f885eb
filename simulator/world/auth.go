package world

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"sync"

	"maillab/simulator/dns"
	"maillab/simulator/worldspec"
)

// DKIMSelector names the key every MSA signs with unless the world's
// spec names another: the public half is at mail._domainkey.<domain>
// (RFC 6376 §3.1).
const DKIMSelector = worldspec.DefaultDKIMSelector

// newDKIMKey makes a fresh signing key. Ed25519 (RFC 8463) is the world's
// default: a short key in DNS and a signature that costs microseconds,
// where RSA-2048 costs about a millisecond of CPU per message, a third of
// the whole mail path. RSA-2048 is what most providers sign with (RFC 8301
// §3.2 asks for at least 1024 bits, 2048 is usual); a world file chooses it
// with algorithm: rsa.
func newDKIMKey(algorithm string) (crypto.Signer, error) {
	if algorithm == worldspec.DKIMRSA {
		return rsa.GenerateKey(rand.Reader, 2048)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	return key, err
}

// DKIMKeys hands out one signing key per domain and algorithm, made on first use and
// then kept. The app gives the same DKIMKeys to every run, as it does the
// CA: a reset or a new scenario then costs no RSA key generation (tens of
// milliseconds natively, hundreds in the web edition's WebAssembly).
type DKIMKeys struct {
	mu   sync.Mutex
	keys map[string]crypto.Signer
}

// NewDKIMKeys returns an empty key set.
func NewDKIMKeys() *DKIMKeys { return &DKIMKeys{keys: map[string]crypto.Signer{}} }

// For returns domain's key for algorithm (worldspec.DKIMEd25519 or
// DKIMRSA), making it the first time.
func (k *DKIMKeys) For(domain, algorithm string) (crypto.Signer, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	id := domain + " " + algorithm
	if key, ok := k.keys[id]; ok {
		return key, nil
	}
	key, err := newDKIMKey(algorithm)
	if err != nil {
		return nil, err
	}
	k.keys[id] = key
	return key, nil
}

// dkimRecord is the key record of RFC 6376 §3.6.1; the DNS server splits it
// into 255-octet strings. An Ed25519 key is its 32 bytes in base64 (RFC
// 8463 §4.2), an RSA key its SubjectPublicKeyInfo.
func dkimRecord(pub crypto.PublicKey) (string, error) {
	if ek, ok := pub.(ed25519.PublicKey); ok {
		return "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(ek), nil
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der), nil
}

// spfRecord allows only the provider's outgoing server (RFC 7208 §5.6,
// §5.2 "-all"). Without addresses of their own every host is 127.0.0.1,
// so SPF could not tell smtp.example.org from an impostor; the record
// then allows nobody and only DKIM can vouch for genuine mail (DMARC
// passes on an aligned DKIM signature alone, RFC 7489 §4.2).
func (w *World) spfRecord(domain string) string {
	if len(w.byIP) == 0 {
		return "v=spf1 -all"
	}
	n, _ := w.Node("smtp." + domain)
	return "v=spf1 ip4:" + n.IP + " -all"
}

// SetAuthChecks switches SPF, DKIM and DMARC checking at domain's MX on or
// off while the world runs (the spoofing lesson does it as a step).
func (w *World) SetAuthChecks(domain string, on bool) {
	w.changeMu.Lock()
	defer w.changeMu.Unlock()
	if p := w.providers[domain]; p != nil {
		p.MX.SetAuthChecks(on)
	}
}

func (w *World) txtResolver(host string) *dns.Resolver { return w.resolver(host) }
