package wire

import (
	"bytes"
	"math/rand/v2"
)

// feedChunks feeds chunks to a fresh stream (no TLS secrets) and returns
// its frames and the concatenation of the bytes it let pass.
func feedChunks(chunks ...[]byte) ([]frame, []byte) {
	s := newStream(&tlsSession{}, nil, true)
	return feedStream(s, chunks...)
}

func feedStream(s *stream, chunks ...[]byte) ([]frame, []byte) {
	var frames []frame
	var passed bytes.Buffer
	for _, c := range chunks {
		for _, seg := range s.feed(c) {
			if seg.f != nil {
				frames = append(frames, *seg.f)
			}
			passed.Write(seg.bytes)
		}
	}
	return frames, passed.Bytes()
}

// randomChunks cuts p at random places (some empty chunks included).
func randomChunks(r *rand.Rand, p []byte) [][]byte {
	var out [][]byte
	for len(p) > 0 {
		n := r.IntN(len(p) + 1)
		if r.IntN(4) == 0 {
			n = r.IntN(min(len(p), 8) + 1) // many tiny chunks
		}
		out = append(out, p[:n])
		p = p[n:]
	}
	return out
}

func lineTexts(frames []frame) []string {
	var out []string
	for _, f := range frames {
		out = append(out, f.text)
	}
	return out
}

// tlsRecord builds a TLS record header and body.
func tlsRecord(typ byte, body []byte) []byte {
	return append([]byte{typ, 3, 3, byte(len(body) >> 8), byte(len(body))}, body...)
}

func newRand(seed uint16) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 7)) }
