package wire

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// FuzzStream checks that the splitter never panics, passes every byte
// unchanged and yields the same frames however the input is chunked.
func FuzzStream(f *testing.F) {
	f.Add([]byte("EHLO a\r\nMAIL FROM:<a>\r\n"), uint64(1))
	f.Add([]byte("a\nb\r\n\r\n.\r\n"), uint64(2))
	f.Add([]byte("STARTTLS\r\n\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00"), uint64(3))
	f.Add([]byte("\x16\x03\x03\xff\xff"), uint64(4))
	f.Add([]byte("\x17\x03\x03\x00\x00\x15\x03\x03\x00\x02\x01\x00"), uint64(5))
	f.Add(append(bytes.Repeat([]byte("z"), MaxLineDisplay+1), "\r\n\x16\x03\x03\x00\x00"...), uint64(6))
	f.Add([]byte("\x16\x03\x03\x00\x04\x02\x00\x00\x00\x16\x03\x03\x00\x04\x01\x00\x00\x00"), uint64(7))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		want, passed := feedChunks(data)
		if !bytes.Equal(passed, data) {
			t.Fatalf("one read: bytes changed")
		}
		chunks := randomChunks(rand.New(rand.NewPCG(seed, seed)), data)
		got, passed := feedChunks(chunks...)
		if !bytes.Equal(passed, data) {
			t.Fatalf("chunked: bytes changed")
		}
		if len(got) != len(want) {
			t.Fatalf("chunked: %d frames, one read: %d", len(got), len(want))
		}
		for i := range got {
			if got[i].text != want[i].text || !bytes.Equal(got[i].raw, want[i].raw) || got[i].truncated != want[i].truncated {
				t.Fatalf("frame %d differs: %q vs %q", i, got[i].text, want[i].text)
			}
		}
	})
}
