package wire

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// labelSecrets is a key log for one session: label -> secret.
type labelSecrets map[string][]byte

func (s labelSecrets) Secret(_ []byte, label string) []byte { return s[label] }

// RFC 8448 §3 (TLS_AES_128_GCM_SHA256) and RFC 9001 §A.5 (SHA-256, 32-byte
// key as for ChaCha20).
func TestExpandLabelVectors(t *testing.T) {
	tests := []struct{ name, secret, label, want string }{
		{"RFC 8448 server handshake key", "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38", "key", "3fce516009c21727d0f2e4e86ee403bc"},
		{"RFC 8448 server handshake iv", "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38", "iv", "5d313eb2671276ee13000b30"},
		{"RFC 8448 client handshake key", "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21", "key", "dbfaa693d1762c5b666af5d950258d01"},
		{"RFC 8448 client handshake iv", "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21", "iv", "5bd3c71b836e0b76bb73265f"},
		{"RFC 8448 client application key", "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5", "key", "17422dda596ed5d9acd890e3c63f5051"},
		{"RFC 8448 client application iv", "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5", "iv", "5b78923dee08579033e523d9"},
		{"RFC 9001 quic key (32 bytes)", "9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b", "quic key", "c6d98ff3441c3fe1b2182094f69caa2ed4b716b65488960a7a984979fb23e1c8"},
		{"RFC 9001 quic iv", "9ac312a7f877468ebe69422748ad00a15443f18203a07d6060f688f30f21632b", "quic iv", "e0459b3474bdd0e44a41c144"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := unhex(t, tc.want)
			got, err := expandLabel(sha256.New, unhex(t, tc.secret), tc.label, len(want))
			require.NoError(t, err)
			assert.Equal(t, tc.want, hex.EncodeToString(got))
		})
	}
}

// The client records of RFC 8448 §3: Finished under the handshake keys,
// then application data and close_notify under the application keys.
func TestDecryptRFC8448ClientRecords(t *testing.T) {
	session := &tlsSession{}
	session.set(bytes.Repeat([]byte{1}, 32), 0x1301)
	k := &recordKeys{session: session, client: true, secrets: labelSecrets{
		"CLIENT_HANDSHAKE_TRAFFIC_SECRET": unhex(t, "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"),
		"CLIENT_TRAFFIC_SECRET_0":         unhex(t, "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5"),
	}}
	finished := tlsRecord(recApplicationData, unhex(t, "75ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f80338ac98fc46deb384bd1caeacab6867d726c40546"))
	inner, plain, err := k.decrypt(finished)
	require.NoError(t, err, "decrypt(client Finished)")
	assert.Equal(t, byte(recHandshake), inner)
	require.Len(t, plain, 36)
	assert.Equal(t, []byte{20, 0, 0, 32}, plain[:4], "a Finished message")
	assert.True(t, k.app, "Finished switches to the application keys")

	data := unhex(t, "1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e2b62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4")
	inner, plain, err = k.decrypt(data)
	require.NoError(t, err, "decrypt(application data)")
	assert.Equal(t, byte(recApplicationData), inner)
	want := make([]byte, 50)
	for i := range want {
		want[i] = byte(i)
	}
	assert.Equal(t, want, plain)

	inner, plain, err = k.decrypt(unhex(t, "1703030013c9872760655666b74d7ff1153efd6db6d0b0e3"))
	require.NoError(t, err, "decrypt(close_notify), sequence number 1")
	assert.Equal(t, byte(recAlert), inner)
	assert.Equal(t, []byte{1, 0}, plain)
}

// sealer encrypts records the way a TLS 1.3 peer does (RFC 8446 §5.2).
type sealer struct {
	t      *testing.T
	suite  uint16
	secret []byte
	seq    uint64
}

func (s *sealer) seal(inner byte, content []byte, pad int) []byte {
	aead, iv, err := trafficAEAD(s.suite, s.secret)
	require.NoError(s.t, err)
	nonce := append([]byte(nil), iv...)
	for i := range 8 {
		nonce[4+i] ^= byte(s.seq >> (56 - 8*i))
	}
	s.seq++
	plain := append(append(append([]byte(nil), content...), inner), make([]byte, pad)...)
	header := []byte{recApplicationData, 3, 3, 0, 0}
	binary.BigEndian.PutUint16(header[3:], uint16(len(plain)+aead.Overhead()))
	return aead.Seal(header, nonce, plain, header)
}

func handshakeMsg(typ byte, body []byte) []byte {
	return append([]byte{typ, 0, 0, byte(len(body))}, body...)
}

// A synthetic server flight for each TLS 1.3 suite: the stream must switch
// keys after Finished and turn application data into encrypted lines.
func TestServerFlightEverySuite(t *testing.T) {
	for _, suite := range []uint16{0x1301, 0x1302, 0x1303} {
		t.Run(fmt.Sprintf("%#04x", suite), func(t *testing.T) {
			secretLen := 32
			if suite == 0x1302 {
				secretLen = 48
			}
			hs := &sealer{t: t, suite: suite, secret: bytes.Repeat([]byte{0xa1}, secretLen)}
			app := &sealer{t: t, suite: suite, secret: bytes.Repeat([]byte{0xb2}, secretLen)}
			session := &tlsSession{}
			session.set(bytes.Repeat([]byte{5}, 32), 0)
			out := newStream(session, labelSecrets{
				"SERVER_HANDSHAKE_TRAFFIC_SECRET": hs.secret, "SERVER_TRAFFIC_SECRET_0": app.secret}, false)

			serverHello := append([]byte{2, 0, 0, 40, 3, 3}, make([]byte, 32)...)
			serverHello = append(serverHello, 0, byte(suite>>8), byte(suite))
			flight := [][]byte{
				tlsRecord(recHandshake, serverHello),
				tlsRecord(recChangeCipherSpec, []byte{1}),
				hs.seal(recHandshake, append(handshakeMsg(8, []byte{0, 0}), handshakeMsg(20, make([]byte, 32))...), 3),
				app.seal(recHandshake, handshakeMsg(4, make([]byte, 9)), 0),
				app.seal(recApplicationData, []byte("220 ready\r\n250 ok\r\n25"), 7),
				app.seal(recApplicationData, []byte("0 split\r\n"), 0),
				app.seal(recAlert, []byte{1, 0}, 0),
			}
			input := bytes.Join(flight, nil)
			frames, passed := feedStream(out, randomChunks(newRand(suite), input)...)
			assert.Equal(t, input, passed, "bytes pass unchanged")
			assert.Equal(t, []string{"TLS ServerHello", "TLS ChangeCipherSpec", "TLS EncryptedExtensions, Finished",
				"TLS NewSessionTicket", "220 ready", "250 ok", "250 split", "TLS alert"}, lineTexts(frames))
			for _, i := range []int{4, 5, 6} {
				f := frames[i]
				assert.True(t, f.line && f.encrypted, "frame %d is an encrypted line", i)
				assert.Equal(t, f.text+"\r\n", string(f.raw))
				assert.NotEmpty(t, f.wire)
				assert.NotEqual(t, f.raw, f.wire)
			}
			assert.Equal(t, flight[4], frames[4].wire, "the record that carried the line")
			assert.Equal(t, flight[5], frames[6].wire, "a line split over records names the last one")
		})
	}
}

// Without the key log entry the records stay opaque but still pass.
func TestNoSecretsKeepsWireView(t *testing.T) {
	hs := &sealer{t: t, suite: 0x1301, secret: bytes.Repeat([]byte{1}, 32)}
	session := &tlsSession{}
	session.set(bytes.Repeat([]byte{5}, 32), 0x1301)
	s := newStream(session, labelSecrets{}, false)
	hello := tlsRecord(recHandshake, []byte{2, 0, 0, 0})
	rec := hs.seal(recHandshake, handshakeMsg(20, make([]byte, 32)), 0)
	frames, passed := feedStream(s, hello, rec)
	assert.Equal(t, append(hello, rec...), passed)
	require.Len(t, frames, 2)
	assert.Equal(t, fmt.Sprintf("TLS encrypted record (%d bytes)", len(rec)), frames[1].text)
	assert.True(t, frames[1].encrypted)
}
