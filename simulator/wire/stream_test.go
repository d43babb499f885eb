package wire

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLineSplitting(t *testing.T) {
	long := strings.Repeat("x", MaxLineDisplay+1000)
	tests := []struct {
		name   string
		chunks []string
		texts  []string
		raws   []string // checked when set
	}{
		{name: "DATA body in one write",
			chunks: []string{"Subject: hi\r\n\r\nline one\r\nline two\r\n.\r\n"},
			texts:  []string{"Subject: hi", "", "line one", "line two", "."},
			raws:   []string{"Subject: hi\r\n", "\r\n", "line one\r\n", "line two\r\n", ".\r\n"}},
		{name: "pipelined commands in one read",
			chunks: []string{"MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n"},
			texts:  []string{"MAIL FROM:<a@example.org>", "RCPT TO:<b@example.net>", "DATA"}},
		{name: "bare LF",
			chunks: []string{"+OK a\nb\r\n\n"},
			texts:  []string{"+OK a", "b", ""},
			raws:   []string{"+OK a\n", "b\r\n", "\n"}},
		{name: "line split across feeds",
			chunks: []string{"MA", "IL FR", "OM:<a>\r", "\n", "QUIT\r\n"},
			texts:  []string{"MAIL FROM:<a>", "QUIT"},
			raws:   []string{"MAIL FROM:<a>\r\n", "QUIT\r\n"}},
		{name: "CR alone is not a line end",
			chunks: []string{"a\rb\r\n"},
			texts:  []string{"a\rb"}},
		{name: "0x16 inside a line stays text",
			chunks: []string{"a\x16b\r\n"},
			texts:  []string{"a\x16b"}},
		{name: "unfinished line makes no frame",
			chunks: []string{"NOOP\r\nHEL"},
			texts:  []string{"NOOP"}},
		{name: "over-long line in one read",
			chunks: []string{long + "\r\nNOOP\r\n"},
			texts:  []string{long[:lineHead], "NOOP"}},
		{name: "over-long line across reads",
			chunks: []string{long[:5000], long[5000:], "\r\n", "NOOP\r\n"},
			texts:  []string{long[:lineHead], "NOOP"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var chunks [][]byte
			for _, c := range tc.chunks {
				chunks = append(chunks, []byte(c))
			}
			frames, passed := feedChunks(chunks...)
			assert.Equal(t, strings.Join(tc.chunks, ""), string(passed), "bytes pass unchanged")
			assert.Equal(t, tc.texts, lineTexts(frames))
			for i, f := range frames {
				assert.True(t, f.line, "frame %d is a line", i)
				assert.False(t, f.encrypted)
				assert.Nil(t, f.wire, "plaintext lines have no separate wire bytes")
				if i < len(tc.raws) {
					assert.Equal(t, tc.raws[i], string(f.raw), "raw %d", i)
				}
			}
		})
	}
}

func TestOverlongLineIsTruncatedOnce(t *testing.T) {
	long := make([]byte, 3*MaxLineDisplay)
	for i := range long {
		long[i] = byte('a' + i%26)
	}
	input := append(append([]byte("EHLO a\r\n"), long...), "\r\nNOOP\r\n"...)
	for _, chunks := range [][][]byte{{input}, {input[:100], input[100:9000], input[9000:]}, splitEvery(input, 1000)} {
		frames, passed := feedChunks(chunks...)
		require.Equal(t, input, passed)
		require.Len(t, frames, 3)
		assert.Equal(t, "EHLO a", frames[0].text)
		f := frames[1]
		assert.True(t, f.truncated)
		assert.Equal(t, string(long[:lineHead]), f.text, "the line's first part")
		assert.Equal(t, string(long[len(long)-lineTail+2:]), f.tail, "its last part, without CRLF")
		assert.Equal(t, int64(len(long)+2-MaxLineDisplay), f.omitted, "the bytes between them")
		assert.Equal(t, string(long[:lineHead])+string(long[len(long)-lineTail+2:])+"\r\n", string(f.raw),
			"raw keeps both parts: len(raw)+omitted is the line's length")
		assert.Equal(t, "NOOP", frames[2].text, "normal lines again after the long one")
		assert.False(t, frames[2].truncated)
	}
}

// The capture keeps what the event keeps of a long line: its first part,
// a gap of the omitted bytes, its last part. Summed up, every byte is
// either kept or counted, whatever the chunking.
func TestOverlongLineCaptureKeepsBothEnds(t *testing.T) {
	r := newRand(3)
	for _, n := range []int{MaxLineDisplay - 2, MaxLineDisplay - 1, MaxLineDisplay + 1, MaxLineDisplay + 500, 5 * MaxLineDisplay} {
		line := bytes.Repeat([]byte("z"), n)
		input := append(append([]byte("A\r\n"), line...), "\r\nB\r\n"...)
		for _, chunks := range [][][]byte{{input}, randomChunks(r, input), splitEvery(input, 7)} {
			s := newStream(&tlsSession{}, nil, true)
			var kept []byte
			var omitted int64
			for _, c := range chunks {
				for _, seg := range s.feed(c) {
					if !seg.cut {
						kept = append(kept, seg.bytes...)
						continue
					}
					kept = append(kept, seg.bytes[:seg.head]...)
					omitted += seg.omitted
					kept = append(kept, seg.keep...)
				}
			}
			assert.Equal(t, int64(len(input)), int64(len(kept))+omitted, "n=%d: every byte kept or counted", n)
			if n+2 <= MaxLineDisplay {
				assert.Equal(t, input, kept, "a line that fits is kept whole")
				continue
			}
			assert.True(t, bytes.HasPrefix(kept, input[:3+lineHead]), "n=%d: the first part", n)
			assert.True(t, bytes.HasSuffix(kept, append(bytes.Repeat([]byte("z"), lineTail-2), "\r\nB\r\n"...)), "n=%d: the last part", n)
			assert.LessOrEqual(t, len(kept), 3+MaxLineDisplay+3+lineHead, "n=%d: bounded", n)
		}
	}
}

// The line's bytes pass together with its frame, so they are held with it.
func TestLineBytesTravelWithTheirFrame(t *testing.T) {
	s := newStream(&tlsSession{}, nil, true)
	segs := s.feed([]byte("RCPT TO:<b>\r\nDA"))
	require.Len(t, segs, 2)
	assert.Equal(t, "RCPT TO:<b>\r\n", string(segs[0].bytes))
	require.NotNil(t, segs[0].f)
	assert.Equal(t, "DA", string(segs[1].bytes), "half a line passes at once")
	assert.Nil(t, segs[1].f)
	segs = s.feed([]byte("TA\r\n"))
	require.Len(t, segs, 1)
	require.NotNil(t, segs[0].f)
	assert.Equal(t, "DATA", segs[0].f.text)
	assert.Equal(t, "TA\r\n", string(segs[0].bytes))
}

func TestHandshakeByteSwitchesToTLS(t *testing.T) {
	hello := tlsRecord(recHandshake, append([]byte{1, 0, 0, 38, 3, 3}, bytes.Repeat([]byte{7}, 32)...))
	tests := []struct {
		name   string
		chunks [][]byte
		texts  []string
	}{
		{name: "implicit TLS", chunks: [][]byte{hello}, texts: []string{"TLS ClientHello"}},
		{name: "after STARTTLS", chunks: [][]byte{[]byte("STARTTLS\r\n"), hello},
			texts: []string{"STARTTLS", "TLS ClientHello"}},
		{name: "same read as STARTTLS", chunks: [][]byte{append([]byte("STARTTLS\r\n"), hello...)},
			texts: []string{"STARTTLS", "TLS ClientHello"}},
		{name: "record split byte by byte", chunks: splitEvery(hello, 1),
			texts: []string{"TLS ClientHello"}},
		{name: "no secrets: application data stays opaque",
			chunks: [][]byte{hello, tlsRecord(recApplicationData, []byte("sealed"))},
			texts:  []string{"TLS ClientHello", "TLS encrypted record (11 bytes)"}},
		{name: "change cipher spec and alert",
			chunks: [][]byte{hello, tlsRecord(recChangeCipherSpec, []byte{1}), tlsRecord(recAlert, []byte{1, 0})},
			texts:  []string{"TLS ClientHello", "TLS ChangeCipherSpec", "TLS alert"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			frames, passed := feedChunks(tc.chunks...)
			assert.Equal(t, bytes.Join(tc.chunks, nil), passed)
			assert.Equal(t, tc.texts, lineTexts(frames))
			last := frames[len(frames)-1]
			assert.False(t, last.line, "TLS records are not lines")
			assert.NotEmpty(t, last.wire)
		})
	}
}

func TestClientHelloNotesRandom(t *testing.T) {
	random := bytes.Repeat([]byte{9}, 32)
	session := &tlsSession{}
	s := newStream(session, nil, true)
	feedStream(s, tlsRecord(recHandshake, append([]byte{1, 0, 0, 38, 3, 3}, random...)))
	got, _ := session.get()
	assert.Equal(t, random, got)

	out := newStream(session, nil, false)
	sh := append([]byte{2, 0, 0, 42, 3, 3}, bytes.Repeat([]byte{1}, 32)...)
	sh = append(sh, 2, 0xaa, 0xbb, 0x13, 0x02) // session id of 2 bytes, then the suite
	frames, _ := feedStream(out, tlsRecord(recHandshake, sh))
	assert.Equal(t, []string{"TLS ServerHello"}, lineTexts(frames))
	_, suite := session.get()
	assert.Equal(t, uint16(0x1302), suite)
}

// Property: whatever the chunking, the bytes pass unchanged and the frames
// are the same as for one big read.
func TestChunkingDoesNotMatter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		input := randomTraffic(r)
		want, passed := feedChunks(input)
		require.Equal(t, input, passed, "case %d: one read", i)
		chunks := randomChunks(r, input)
		got, passed := feedChunks(chunks...)
		require.Equal(t, input, passed, "case %d: bytes conserved", i)
		require.Equal(t, want, got, "case %d: frames independent of chunking", i)
	}
}

// randomTraffic makes protocol-like input: lines of all lengths with CRLF
// or LF, sometimes followed by TLS records.
func randomTraffic(r *rand.Rand) []byte {
	var b bytes.Buffer
	for range r.IntN(20) {
		n := r.IntN(80)
		if r.IntN(15) == 0 {
			n = MaxLineDisplay - 3 + r.IntN(6+MaxLineDisplay*(r.IntN(2)))
		}
		for range n {
			b.WriteByte(byte(' ' + r.IntN(95)))
		}
		if r.IntN(2) == 0 {
			b.WriteByte('\r')
		}
		b.WriteByte('\n')
	}
	if r.IntN(3) == 0 {
		for range 1 + r.IntN(4) {
			body := make([]byte, r.IntN(100))
			for i := range body {
				body[i] = byte(r.IntN(256))
			}
			b.Write(tlsRecord(byte(20+r.IntN(4)), body))
		}
	}
	return b.Bytes()
}

func splitEvery(p []byte, n int) [][]byte {
	var out [][]byte
	for len(p) > n {
		out = append(out, p[:n])
		p = p[n:]
	}
	return append(out, p)
}
