package capture

import (
	"bytes"
	"strings"

	"maillab/simulator/event"
)

// maskCredentials returns chunks with every plaintext credential line
// masked in place: the command stays (PASS, tag LOGIN, AUTH PLAIN) and so
// does the line end, the rest becomes '*'. The length stays, so sequence
// numbers and the bytes around stay right. A line may have reached the tap
// in several chunks: the mask covers the whole line around the chunk that
// ended it. A plaintext line still unfinished when the run was saved is
// masked too: it may be a password being typed. Chunks that change are
// copied; the input is not touched.
func maskCredentials(chunks []event.Chunk, protos map[uint64]string) []event.Chunk {
	streams := map[uint64][]int{} // conn -> indices of its client chunks
	for i, ch := range chunks {
		if ch.Dir == event.ClientToServer {
			streams[ch.Conn] = append(streams[ch.Conn], i)
		}
	}
	var out []event.Chunk
	for conn, idx := range streams {
		if masked := maskStream(chunks, idx, protos[conn]); masked != nil {
			if out == nil {
				out = append([]event.Chunk(nil), chunks...)
			}
			for k, i := range idx {
				out[i].Bytes = masked[k]
			}
		}
	}
	if out == nil {
		return chunks
	}
	return out
}

// maskStream masks the credential lines of one client stream, given as
// the indices of its chunks. It returns the chunks' new bytes, or nil when
// nothing needed masking.
func maskStream(chunks []event.Chunk, idx []int, proto string) [][]byte {
	var buf []byte
	ends := make([]int, len(idx))
	for k, i := range idx {
		buf = append(buf, chunks[i].Bytes...)
		ends[k] = len(buf)
	}
	masked := false
	for k, i := range idx {
		if chunks[i].Credential && ends[k] > 0 {
			maskLine(buf, ends[k]-1, proto)
			masked = true
		}
	}
	if n := len(buf); n > 0 && buf[n-1] != '\n' && tlsStart(buf) == n {
		maskLine(buf, n-1, proto)
		masked = true
	}
	if !masked {
		return nil
	}
	out := make([][]byte, len(idx))
	start := 0
	for k := range idx {
		out[k] = buf[start:ends[k]]
		start = ends[k]
	}
	return out
}

// maskLine masks the line of buf that holds byte at.
func maskLine(buf []byte, at int, proto string) {
	start := bytes.LastIndexByte(buf[:at], '\n') + 1
	end := len(buf)
	if n := bytes.IndexByte(buf[at:], '\n'); n >= 0 {
		end = at + n
	}
	if end > start && buf[end-1] == '\r' && end < len(buf) {
		end--
	}
	line := buf[start:end]
	for i := keep(string(line), proto); i < len(line); i++ {
		line[i] = '*'
	}
}

// keep is how much of a credential line may stay: the tag, the command
// and, for SASL, the mechanism with the space after them. A SASL response
// or a literal on a line of its own has no command: all of it goes.
func keep(line, proto string) int {
	words := 0
	if proto == "imap" {
		words = 1
	}
	verb := strings.ToUpper(field(line, words))
	switch verb {
	case "PASS", "APOP", "LOGIN":
		words++
	case "AUTH", "AUTHENTICATE":
		words += 2
	default:
		return 0
	}
	return prefixOfWords(line, words)
}

// field returns the n-th space-separated word of line.
func field(line string, n int) string {
	f := strings.Split(line, " ")
	if n < len(f) {
		return f[n]
	}
	return ""
}

// prefixOfWords is the length of the first n words and the space after
// each of them.
func prefixOfWords(line string, n int) int {
	i := 0
	for ; n > 0; n-- {
		sp := strings.IndexByte(line[i:], ' ')
		if sp < 0 {
			return len(line)
		}
		i += sp + 1
	}
	return i
}
