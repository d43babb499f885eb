package capture

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"strings"

	"maillab/simulator/event"
)

// keyLogFor keeps the key log lines of the TLS sessions in this capture,
// each once: the key log may span several runs, and client and server
// both log every secret.
func keyLogFor(lines []string, randoms map[string]bool) []byte {
	var out bytes.Buffer
	seen := map[string]bool{}
	for _, line := range lines {
		line = strings.TrimSpace(line)
		f := strings.Fields(line)
		if len(f) != 3 || !randoms[strings.ToLower(f[1])] || seen[line] {
			continue
		}
		seen[line] = true
		out.WriteString(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// clientRandoms finds the ClientHello of every client stream: after the
// plaintext lines (none on an implicit-TLS port), the stream is TLS
// records, and a ClientHello's random is bytes 11 to 43 of its record.
func clientRandoms(chunks []event.Chunk) map[string]bool {
	streams := map[uint64][]byte{}
	for _, ch := range chunks {
		if ch.Dir == event.ClientToServer {
			streams[ch.Conn] = append(streams[ch.Conn], ch.Bytes...)
		}
	}
	out := map[string]bool{}
	for _, s := range streams {
		for _, r := range helloRandoms(s[tlsStart(s):]) {
			out[hex.EncodeToString(r)] = true
		}
	}
	return out
}

// tlsStart is where the records begin: the first line start with a
// handshake record byte (0x16), as the tap decides it too.
func tlsStart(s []byte) int {
	for i := 0; i < len(s); {
		if s[i] == 0x16 {
			return i
		}
		n := bytes.IndexByte(s[i:], '\n')
		if n < 0 {
			return len(s)
		}
		i += n + 1
	}
	return len(s)
}

func helloRandoms(recs []byte) [][]byte {
	var out [][]byte
	for len(recs) >= 5 {
		n := 5 + int(binary.BigEndian.Uint16(recs[3:5]))
		if n > len(recs) {
			n = len(recs)
		}
		rec := recs[:n]
		if rec[0] == 0x16 && len(rec) >= 43 && rec[5] == 1 { // handshake, ClientHello
			out = append(out, rec[11:43])
		}
		recs = recs[n:]
	}
	return out
}
