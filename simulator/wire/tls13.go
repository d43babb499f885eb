package wire

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"hash"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"
)

// Secrets looks up TLS secrets by client random (pki.KeyLog implements it).
type Secrets interface {
	Secret(clientRandom []byte, label string) []byte
}

// TLS record content types, RFC 8446 §5.1.
const (
	recChangeCipherSpec = 20
	recAlert            = 21
	recHandshake        = 22
	recApplicationData  = 23
)

// tlsSession is what both directions of one connection learn from the
// plaintext handshake: the client random (ClientHello) and the cipher suite
// (ServerHello). RFC 8446 §4.1.2, §4.1.3.
type tlsSession struct {
	mu           sync.Mutex
	clientRandom []byte
	suite        uint16
}

func (s *tlsSession) set(random []byte, suite uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if random != nil {
		s.clientRandom = append([]byte(nil), random...)
	}
	if suite != 0 {
		s.suite = suite
	}
}

func (s *tlsSession) get() ([]byte, uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clientRandom, s.suite
}

// parseHello notes the client random of a ClientHello or the suite of a
// ServerHello carried in a plaintext handshake record.
func (s *tlsSession) parseHello(record []byte) string {
	body := record[5:]
	if len(body) < 4 {
		return "handshake"
	}
	switch body[0] {
	case 1: // ClientHello: type(1) len(3) version(2) random(32)
		if len(body) >= 38 {
			s.set(body[6:38], 0)
		}
		return "ClientHello"
	case 2: // ServerHello: ... random(32) session_id<0..32> cipher_suite(2)
		if len(body) < 39 {
			return "ServerHello"
		}
		sidLen := int(body[38])
		if len(body) < 39+sidLen+2 {
			return "ServerHello"
		}
		suite := binary.BigEndian.Uint16(body[39+sidLen:])
		name := "ServerHello"
		if bytes.Equal(body[6:38], helloRetryRandom) {
			name = "HelloRetryRequest" // RFC 8446 §4.1.3: asks for another key share
		} else {
			s.set(nil, suite)
		}
		group := keyShareGroup(body[39+sidLen+2:])
		if g, ok := groupNames[group]; ok {
			return name + " (" + g + ", " + tls.CipherSuiteName(suite) + ")"
		}
		return name
	}
	return "handshake"
}

// helloRetryRandom is the Random of a HelloRetryRequest: SHA-256 of
// "HelloRetryRequest" (RFC 8446 §4.1.3).
var helloRetryRandom = []byte{0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
	0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C}

// groupNames are the key exchange groups a line names (RFC 8446 §4.2.7,
// draft-ietf-tls-ecdhe-mlkem).
var groupNames = map[uint16]string{0x0017: "P-256", 0x0018: "P-384", 0x0019: "P-521", 0x001d: "X25519",
	0x001e: "X448", 0x11ec: "X25519MLKEM768", 0x11eb: "SecP256r1MLKEM768"}

// keyShareGroup finds the group of the key_share extension (RFC 8446
// §4.2.8) in a ServerHello's rest after the cipher suite:
// legacy_compression_method(1) extensions<2>. 0 when there is none.
func keyShareGroup(rest []byte) uint16 {
	if len(rest) < 3 {
		return 0
	}
	exts := rest[3:]
	exts = exts[:min(len(exts), int(binary.BigEndian.Uint16(rest[1:3])))]
	for len(exts) >= 4 {
		typ, n := binary.BigEndian.Uint16(exts), int(binary.BigEndian.Uint16(exts[2:]))
		if len(exts) < 4+n {
			return 0
		}
		if typ == 51 && n >= 2 { // key_share: the server's KeyShareEntry, or an HRR's selected_group
			return binary.BigEndian.Uint16(exts[4:])
		}
		exts = exts[4+n:]
	}
	return 0
}

// recordKeys decrypts one direction's TLS 1.3 records: first with the
// handshake traffic secret, after that direction's Finished with the
// application traffic secret (RFC 8446 §7.1, §7.3).
type recordKeys struct {
	session  *tlsSession
	secrets  Secrets
	client   bool // direction client→server
	app      bool // switched to application keys
	seq      uint64
	aead     cipher.AEAD
	iv       []byte
	keyFound bool
}

var errNoKeys = errors.New("wire: no TLS secrets for this session")

func (k *recordKeys) label() string {
	switch {
	case k.client && !k.app:
		return "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
	case k.client:
		return "CLIENT_TRAFFIC_SECRET_0"
	case !k.app:
		return "SERVER_HANDSHAKE_TRAFFIC_SECRET"
	}
	return "SERVER_TRAFFIC_SECRET_0"
}

func (k *recordKeys) load() error {
	if k.keyFound {
		return nil
	}
	random, suite := k.session.get()
	if random == nil || suite == 0 || k.secrets == nil {
		return errNoKeys
	}
	secret := k.secrets.Secret(random, k.label())
	if secret == nil {
		return errNoKeys
	}
	aead, iv, err := trafficAEAD(suite, secret)
	if err != nil {
		return err
	}
	k.aead, k.iv, k.seq, k.keyFound = aead, iv, 0, true
	return nil
}

// decrypt opens an application_data record and returns the inner content
// type and plaintext (RFC 8446 §5.2, §5.3).
func (k *recordKeys) decrypt(record []byte) (byte, []byte, error) {
	if err := k.load(); err != nil {
		return 0, nil, err
	}
	nonce := make([]byte, len(k.iv))
	copy(nonce, k.iv)
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], k.seq)
	for i := 0; i < 8; i++ {
		nonce[len(nonce)-8+i] ^= seq[i]
	}
	plain, err := k.aead.Open(nil, nonce, record[5:], record[:5])
	if err != nil {
		return 0, nil, err
	}
	k.seq++
	i := len(plain) - 1
	for i >= 0 && plain[i] == 0 {
		i--
	}
	if i < 0 {
		return 0, nil, errors.New("wire: TLS record without content type")
	}
	inner, content := plain[i], plain[:i]
	if inner == recHandshake && !k.app && hasFinished(content) {
		k.app, k.keyFound = true, false
	}
	return inner, content, nil
}

// hasFinished reports whether handshake messages include Finished (type 20).
func hasFinished(msgs []byte) bool {
	for len(msgs) >= 4 {
		n := int(msgs[1])<<16 | int(msgs[2])<<8 | int(msgs[3])
		if msgs[0] == 20 {
			return true
		}
		if len(msgs) < 4+n {
			return false
		}
		msgs = msgs[4+n:]
	}
	return false
}

func trafficAEAD(suite uint16, secret []byte) (cipher.AEAD, []byte, error) {
	var h func() hash.Hash
	keyLen := 16
	switch suite {
	case 0x1301:
		h = sha256.New
	case 0x1302:
		h, keyLen = sha512.New384, 32
	case 0x1303:
		h, keyLen = sha256.New, 32
	default:
		return nil, nil, errors.New("wire: TLS suite not supported for decryption")
	}
	key, err := expandLabel(h, secret, "key", keyLen)
	if err != nil {
		return nil, nil, err
	}
	iv, err := expandLabel(h, secret, "iv", 12)
	if err != nil {
		return nil, nil, err
	}
	if suite == 0x1303 {
		a, err := chacha20poly1305.New(key)
		return a, iv, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, nil, err
	}
	a, err := cipher.NewGCM(block)
	return a, iv, err
}

// expandLabel is HKDF-Expand-Label with an empty context (RFC 8446 §7.1).
func expandLabel(h func() hash.Hash, secret []byte, label string, n int) ([]byte, error) {
	full := "tls13 " + label
	info := make([]byte, 0, 4+len(full))
	info = binary.BigEndian.AppendUint16(info, uint16(n))
	info = append(info, byte(len(full)))
	info = append(info, full...)
	info = append(info, 0)
	return hkdf.Expand(h, secret, string(info), n)
}
