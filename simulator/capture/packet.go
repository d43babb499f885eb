package capture

import (
	"encoding/binary"
	"net/netip"
)

// TCP flags.
const (
	flagFIN = 0x01
	flagSYN = 0x02
	flagPSH = 0x08
	flagACK = 0x10
)

const (
	protoTCP = 6
	protoUDP = 17
)

// endpoint pair of one packet.
type addrs struct {
	src, dst netip.AddrPort
}

func (a addrs) reverse() addrs { return addrs{src: a.dst, dst: a.src} }

// tcpSegment is an Ethernet frame with one TCP segment.
func tcpSegment(a addrs, seq, ack uint32, flags byte, payload []byte, ipID uint16) []byte {
	tcp := make([]byte, 20, 20+len(payload))
	binary.BigEndian.PutUint16(tcp[0:], a.src.Port())
	binary.BigEndian.PutUint16(tcp[2:], a.dst.Port())
	binary.BigEndian.PutUint32(tcp[4:], seq)
	binary.BigEndian.PutUint32(tcp[8:], ack)
	tcp[12] = 5 << 4 // data offset: 20 bytes, no options
	tcp[13] = flags
	binary.BigEndian.PutUint16(tcp[14:], 65535) // window
	tcp = append(tcp, payload...)
	binary.BigEndian.PutUint16(tcp[16:], transportChecksum(a, protoTCP, tcp))
	return ipPacket(a, protoTCP, tcp, ipID)
}

// udpDatagram is an Ethernet frame with one UDP datagram.
func udpDatagram(a addrs, payload []byte, ipID uint16) []byte {
	udp := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint16(udp[0:], a.src.Port())
	binary.BigEndian.PutUint16(udp[2:], a.dst.Port())
	binary.BigEndian.PutUint16(udp[4:], uint16(8+len(payload)))
	udp = append(udp, payload...)
	sum := transportChecksum(a, protoUDP, udp)
	if sum == 0 {
		sum = 0xffff // zero means "no checksum" in UDP
	}
	binary.BigEndian.PutUint16(udp[6:], sum)
	return ipPacket(a, protoUDP, udp, ipID)
}

// ipPacket wraps a transport payload in IPv4 or IPv6 and in an Ethernet
// header with zero MACs, as a capture on Linux's loopback shows it.
func ipPacket(a addrs, proto byte, body []byte, ipID uint16) []byte {
	frame := make([]byte, 14, 14+40+len(body))
	if a.src.Addr().Is4() {
		binary.BigEndian.PutUint16(frame[12:], 0x0800)
		ip := make([]byte, 20)
		ip[0] = 0x45 // version 4, 20-byte header
		binary.BigEndian.PutUint16(ip[2:], uint16(20+len(body)))
		binary.BigEndian.PutUint16(ip[4:], ipID)
		binary.BigEndian.PutUint16(ip[6:], 0x4000) // don't fragment
		ip[8] = 64                                 // TTL
		ip[9] = proto
		src, dst := a.src.Addr().As4(), a.dst.Addr().As4()
		copy(ip[12:], src[:])
		copy(ip[16:], dst[:])
		binary.BigEndian.PutUint16(ip[10:], fold(sum16(0, ip)))
		frame = append(frame, ip...)
	} else {
		binary.BigEndian.PutUint16(frame[12:], 0x86DD)
		ip := make([]byte, 40)
		ip[0] = 0x60
		binary.BigEndian.PutUint16(ip[4:], uint16(len(body)))
		ip[6] = proto
		ip[7] = 64 // hop limit
		src, dst := a.src.Addr().As16(), a.dst.Addr().As16()
		copy(ip[8:], src[:])
		copy(ip[24:], dst[:])
		frame = append(frame, ip...)
	}
	return append(frame, body...)
}

// transportChecksum is the TCP/UDP checksum over the pseudo header
// (RFC 793 §3.1, RFC 8200 §8.1) and the segment.
func transportChecksum(a addrs, proto byte, seg []byte) uint16 {
	var s uint32
	if a.src.Addr().Is4() {
		src, dst := a.src.Addr().As4(), a.dst.Addr().As4()
		s = sum16(s, src[:])
		s = sum16(s, dst[:])
	} else {
		src, dst := a.src.Addr().As16(), a.dst.Addr().As16()
		s = sum16(s, src[:])
		s = sum16(s, dst[:])
	}
	s += uint32(proto) + uint32(len(seg))
	return fold(sum16(s, seg))
}

// sum16 adds p as big-endian 16-bit words (odd length padded with zero).
func sum16(s uint32, p []byte) uint32 {
	for len(p) >= 2 {
		s += uint32(p[0])<<8 | uint32(p[1])
		p = p[2:]
	}
	if len(p) == 1 {
		s += uint32(p[0]) << 8
	}
	return s
}

// fold turns a sum into the one's complement checksum.
func fold(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}
