// Package capture writes a run as a pcapng file for Wireshark and tshark:
// every TCP connection with its handshake, the exact bytes that crossed
// the sockets (TLS records where TLS was on) and its close, and every DNS
// datagram over UDP. Optionally the TLS secrets go in too, so Wireshark
// decrypts STARTTLS and implicit-TLS sessions.
package capture

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"

	"maillab/simulator/event"
)

// Options choose what goes into the file.
type Options struct {
	// KeyLog is the run's NSS key log (pki.KeyLog.Lines()). Non-nil writes
	// a Decryption Secrets Block with the secrets of the TLS sessions in
	// this capture. It implies Secrets: with the keys, Wireshark shows the
	// passwords sent inside TLS anyway.
	KeyLog []string
	// Secrets keeps passwords and SASL responses sent in plaintext; without
	// it they are masked with '*' (same length).
	Secrets bool
	// RealPorts writes the ports the servers really listened on instead of
	// the well-known ones (25, 587, 465, 110, 995, 143, 993, 24, 53) that
	// make Wireshark pick the SMTP, POP, IMAP and DNS dissectors.
	RealPorts bool
	// Dropped is the number of the run's oldest events that were no longer
	// kept (conductor.Dropped): the file says it starts later.
	Dropped uint64
}

// Write writes the events' connections and datagrams and the recorded
// bytes (conductor.Log() and conductor.Chunks() of the same run) as pcapng.
func Write(w io.Writer, log []event.Event, chunks []event.Chunk, opts Options) error {
	bw := bufio.NewWriter(w)
	out := &blockWriter{w: bw}
	if !opts.Secrets && opts.KeyLog == nil {
		chunks = maskCredentials(chunks, protocols(log))
	}
	out.header(headerComment(opts.Dropped))
	out.iface()
	if names := hostNames(log); len(names) > 0 {
		out.names(names)
	}
	if opts.KeyLog != nil {
		if keys := keyLogFor(opts.KeyLog, clientRandoms(chunks)); len(keys) > 0 {
			out.secrets(keys)
		}
	}
	p := newPacketizer(out, chunks, opts.RealPorts)
	p.run(log)
	if out.err != nil {
		return out.err
	}
	return bw.Flush()
}

func protocols(log []event.Event) map[uint64]string {
	out := map[uint64]string{}
	for _, ev := range log {
		if ev.Kind == event.KindOpen {
			out[ev.Conn] = ev.Proto
		}
	}
	return out
}

type nameRecord struct {
	ip   netip.Addr
	name string
}

// hostNames names each address by its node ("smtp.example.org",
// "alice-laptop") where the address belongs to one node only; in a
// port-map world all share 127.0.0.1 and get no name.
func hostNames(log []event.Event) []nameRecord {
	names := map[netip.Addr]string{}
	var order []netip.Addr
	add := func(addr, name string) {
		ap, err := netip.ParseAddrPort(addr)
		if err != nil || name == "" || name == "external" {
			return
		}
		ip := ap.Addr().Unmap()
		old, seen := names[ip]
		if !seen {
			order = append(order, ip)
			names[ip] = name
		} else if old != name {
			names[ip] = ""
		}
	}
	for _, ev := range log {
		if ev.Kind == event.KindOpen || ev.Kind == event.KindPacket {
			add(ev.Addr, ev.Server)
			add(ev.ClientAddr, ev.Client)
		}
	}
	var out []nameRecord
	for _, ip := range order {
		if names[ip] != "" {
			out = append(out, nameRecord{ip: ip, name: names[ip]})
		}
	}
	return out
}

// headerComment says in the file's section header what it does not hold.
func headerComment(dropped uint64) string {
	if dropped == 0 {
		return ""
	}
	return fmt.Sprintf("Maillab kept the newest part of this run: its first %d events and the bytes recorded with them "+
		"are not in this file (recording limit)", dropped)
}
