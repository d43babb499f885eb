package capture

import (
	"encoding/binary"
	"io"
)

// pcapng block types and codes (draft-ietf-opsawg-pcapng).
const (
	blockSHB     = 0x0A0D0D0A
	blockIDB     = 0x00000001
	blockNRB     = 0x00000004
	blockEPB     = 0x00000006
	blockDSB     = 0x0000000A
	byteOrder    = 0x1A2B3C4D
	secretsTLS   = 0x544c534b // "TLSK": an NSS key log
	linkEthernet = 1
	snapLen      = 262144
	optEnd       = 0
	optComment   = 1
	optUserAppl  = 4 // shb_userappl
	optIfName    = 2 // if_name
)

// blockWriter writes little-endian pcapng blocks and keeps the first error.
type blockWriter struct {
	w   io.Writer
	err error
	buf []byte
}

// block writes one block: type, length, body padded to 32 bits, length.
func (b *blockWriter) block(typ uint32, body []byte) {
	if b.err != nil {
		return
	}
	body = pad(body)
	total := uint32(12 + len(body))
	b.buf = b.buf[:0]
	b.buf = binary.LittleEndian.AppendUint32(b.buf, typ)
	b.buf = binary.LittleEndian.AppendUint32(b.buf, total)
	b.buf = append(b.buf, body...)
	b.buf = binary.LittleEndian.AppendUint32(b.buf, total)
	_, b.err = b.w.Write(b.buf)
}

func (b *blockWriter) header(comment string) {
	var body []byte
	body = binary.LittleEndian.AppendUint32(body, byteOrder)
	body = binary.LittleEndian.AppendUint16(body, 1) // version 1.0
	body = binary.LittleEndian.AppendUint16(body, 0)
	body = binary.LittleEndian.AppendUint64(body, ^uint64(0)) // section length unknown
	if comment != "" {
		body = option(body, optComment, []byte(comment))
	}
	body = option(body, optUserAppl, []byte("Maillab"))
	body = option(body, optEnd, nil)
	b.block(blockSHB, body)
}

func (b *blockWriter) iface() {
	var body []byte
	body = binary.LittleEndian.AppendUint16(body, linkEthernet)
	body = binary.LittleEndian.AppendUint16(body, 0)
	body = binary.LittleEndian.AppendUint32(body, snapLen)
	body = option(body, optIfName, []byte("maillab"))
	body = option(body, optEnd, nil)
	b.block(blockIDB, body)
}

// secrets writes a Decryption Secrets Block: Wireshark reads the TLS keys
// from the file itself, no key log file setting needed.
func (b *blockWriter) secrets(keyLog []byte) {
	var body []byte
	body = binary.LittleEndian.AppendUint32(body, secretsTLS)
	body = binary.LittleEndian.AppendUint32(body, uint32(len(keyLog)))
	body = append(body, keyLog...)
	b.block(blockDSB, body)
}

// names writes a Name Resolution Block with IPv4 and IPv6 records.
func (b *blockWriter) names(records []nameRecord) {
	var body []byte
	for _, r := range records {
		typ := uint16(1)
		addr := r.ip.AsSlice()
		if r.ip.Is6() {
			typ = 2
		}
		value := append(append(addr, r.name...), 0)
		body = binary.LittleEndian.AppendUint16(body, typ)
		body = binary.LittleEndian.AppendUint16(body, uint16(len(value)))
		body = append(body, pad(value)...)
	}
	body = binary.LittleEndian.AppendUint32(body, 0) // nrb_record_end
	b.block(blockNRB, body)
}

// packet writes an Enhanced Packet Block; micros is the time in
// microseconds since 1970 (the default if_tsresol).
func (b *blockWriter) packet(micros uint64, frame []byte, comment string) {
	var body []byte
	body = binary.LittleEndian.AppendUint32(body, 0) // interface 0
	body = binary.LittleEndian.AppendUint32(body, uint32(micros>>32))
	body = binary.LittleEndian.AppendUint32(body, uint32(micros))
	body = binary.LittleEndian.AppendUint32(body, uint32(len(frame)))
	body = binary.LittleEndian.AppendUint32(body, uint32(len(frame)))
	body = append(body, pad(frame)...)
	if comment != "" {
		body = option(body, optComment, []byte(comment))
		body = option(body, optEnd, nil)
	}
	b.block(blockEPB, body)
}

func option(body []byte, code uint16, value []byte) []byte {
	body = binary.LittleEndian.AppendUint16(body, code)
	body = binary.LittleEndian.AppendUint16(body, uint16(len(value)))
	return append(body, pad(value)...)
}

func pad(p []byte) []byte {
	for len(p)%4 != 0 {
		p = append(p, 0)
	}
	return p
}
