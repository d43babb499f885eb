package capture_test

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"
)

// block is one pcapng block as read back.
type block struct {
	typ  uint32
	body []byte
}

// readBlocks splits a pcapng file into blocks, checking that the leading
// and trailing lengths agree and that every block is 32-bit aligned.
func readBlocks(t *testing.T, file []byte) []block {
	t.Helper()
	var out []block
	for len(file) > 0 {
		require.GreaterOrEqual(t, len(file), 12, "block header")
		typ := binary.LittleEndian.Uint32(file)
		n := int(binary.LittleEndian.Uint32(file[4:]))
		require.Zero(t, n%4, "block length %d is aligned", n)
		require.LessOrEqual(t, n, len(file), "block fits")
		require.Equal(t, uint32(n), binary.LittleEndian.Uint32(file[n-4:]), "trailing length of block %#x", typ)
		out = append(out, block{typ: typ, body: file[8 : n-4]})
		file = file[n:]
	}
	return out
}

// packet is a decoded Enhanced Packet Block.
type packet struct {
	micros   uint64
	src, dst netip.AddrPort
	proto    byte
	seq, ack uint32
	flags    byte
	payload  []byte
	comment  string
	ipOK     bool // IPv4 header checksum verifies
	l4OK     bool // TCP/UDP checksum verifies
}

func decodePacket(t *testing.T, body []byte) packet {
	t.Helper()
	require.GreaterOrEqual(t, len(body), 20)
	var p packet
	p.micros = uint64(binary.LittleEndian.Uint32(body[4:]))<<32 | uint64(binary.LittleEndian.Uint32(body[8:]))
	caplen := int(binary.LittleEndian.Uint32(body[12:]))
	require.Equal(t, caplen, int(binary.LittleEndian.Uint32(body[16:])), "captured = original length")
	frame := body[20 : 20+caplen]
	p.comment = epbComment(body[20+(caplen+3)/4*4:])
	require.Equal(t, uint16(0x0800), binary.BigEndian.Uint16(frame[12:]), "IPv4 over Ethernet")
	ip := frame[14:]
	require.Equal(t, byte(0x45), ip[0])
	require.Equal(t, len(ip), int(binary.BigEndian.Uint16(ip[2:])), "IPv4 total length")
	p.ipOK = checksum(0, ip[:20]) == 0xffff
	src, dst := netip.AddrFrom4([4]byte(ip[12:16])), netip.AddrFrom4([4]byte(ip[16:20]))
	p.proto = ip[9]
	l4 := ip[20:]
	pseudo := checksum(0, ip[12:20]) + uint32(p.proto) + uint32(len(l4))
	p.l4OK = fold(checksum(pseudo, l4)) == 0xffff
	p.src = netip.AddrPortFrom(src, binary.BigEndian.Uint16(l4))
	p.dst = netip.AddrPortFrom(dst, binary.BigEndian.Uint16(l4[2:]))
	if p.proto == 6 {
		p.seq, p.ack = binary.BigEndian.Uint32(l4[4:]), binary.BigEndian.Uint32(l4[8:])
		p.flags = l4[13]
		p.payload = l4[int(l4[12]>>4)*4:]
	} else {
		p.payload = l4[8:]
	}
	return p
}

func epbComment(opts []byte) string {
	for len(opts) >= 4 {
		code, n := binary.LittleEndian.Uint16(opts), int(binary.LittleEndian.Uint16(opts[2:]))
		if code == 1 {
			return string(opts[4 : 4+n])
		}
		if code == 0 {
			break
		}
		opts = opts[4+(n+3)/4*4:]
	}
	return ""
}

func checksum(s uint32, p []byte) uint32 {
	for len(p) >= 2 {
		s += uint32(p[0])<<8 | uint32(p[1])
		p = p[2:]
	}
	if len(p) == 1 {
		s += uint32(p[0]) << 8
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return s
}

func fold(s uint32) uint32 { return checksum(s, nil) }
