package capture

import (
	"net/netip"

	"maillab/simulator/event"
)

// flow is one TCP connection of the file.
type flow struct {
	c2s    addrs     // client to server, ports as written to the file
	next   [2]uint32 // next sequence number: [0] client, [1] server
	closed bool      // FIN written
	gap    [2]int64  // bytes not recorded, to be said on the side's next packet
}

// side is the index into flow.next for a direction.
func side(d event.Dir) int {
	if d == event.ServerToClient {
		return 1
	}
	return 0
}

func (f *flow) addrs(d event.Dir) addrs {
	if d == event.ServerToClient {
		return f.c2s.reverse()
	}
	return f.c2s
}

// endpoints gives the client and server address of a connection or
// datagram event. The server keeps its host's address but shows the
// service's well-known port, so Wireshark picks the right dissector;
// realPorts keeps the port it really listened on.
func endpoints(ev event.Event, realPorts bool) (addrs, bool) {
	server, err := netip.ParseAddrPort(ev.Addr)
	if err != nil {
		return addrs{}, false
	}
	client, err := netip.ParseAddrPort(ev.ClientAddr)
	if err != nil {
		return addrs{}, false
	}
	server = netip.AddrPortFrom(server.Addr().Unmap(), server.Port())
	client = netip.AddrPortFrom(client.Addr().Unmap(), client.Port())
	if server.Addr().Is4() != client.Addr().Is4() {
		return addrs{}, false
	}
	if !realPorts && ev.Port > 0 && ev.Port < 65536 {
		server = netip.AddrPortFrom(server.Addr(), uint16(ev.Port))
	}
	return addrs{src: client, dst: server}, true
}

// isn is a fixed initial sequence number per connection and side, so the
// same run gives the same file.
func isn(conn uint64, s int) uint32 {
	return uint32(conn*2654435761) + uint32(s)*0x40000000 + 1000
}
