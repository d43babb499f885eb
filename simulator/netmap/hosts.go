// Package netmap is the address plan of the mail world: which nodes exist,
// their roles and loopback addresses, and where each service really listens.
package netmap

import (
	"net"
	"slices"
	"sync"
)

// Role of a node, as the lessons name it.
type Role string

const (
	RoleMUA      Role = "MUA"
	RoleMSA      Role = "MSA"
	RoleMX       Role = "MTA"
	RoleMDA      Role = "MDA"
	RoleMailbox  Role = "POP3/IMAP"
	RoleDNS      Role = "DNS"
	RoleExternal Role = "external"
)

// Node is one host of the world.
type Node struct {
	ID     string `json:"id"`     // also the host name for servers
	Label  string `json:"label"`  // i18n key of the display name
	Role   Role   `json:"role"`   // MUA, MSA, ...
	Domain string `json:"domain"` // example.org, example.net or example.com
	IP     string `json:"ip"`     // its own loopback address, or 127.0.0.1
}

// External is the node id given to clients the world did not start.
const External = "external"

// ThirdDomain is the provider a world may add on demand: its hosts are in
// the plan (127.77.3.x) but in a world's topology only when it runs.
const ThirdDomain = "example.com"

// Nodes returns the fixed topology of product.md. Each host has an address
// of its own in 127.77.0.0/16 so servers can tell hosts apart (SPF); where
// the system cannot bind those, every host shares 127.0.0.1.
func Nodes(ownAddresses bool) []Node { return NodesWith(ownAddresses, false) }

// thirdNodes are example.com's servers and Erin's laptop.
var thirdNodes = []Node{
	{ID: "smtp.example.com", Label: "node.msa", Role: RoleMSA, Domain: ThirdDomain, IP: "127.77.3.20"},
	{ID: "mx.example.com", Label: "node.mx", Role: RoleMX, Domain: ThirdDomain, IP: "127.77.3.25"},
	{ID: "mda.example.com", Label: "node.mda", Role: RoleMDA, Domain: ThirdDomain, IP: "127.77.3.24"},
	{ID: "mail.example.com", Label: "node.mail", Role: RoleMailbox, Domain: ThirdDomain, IP: "127.77.3.30"},
	{ID: "erin-laptop", Label: "node.erin-laptop", Role: RoleMUA, Domain: ThirdDomain, IP: "127.77.3.10"},
}

// NodesWith is Nodes with example.com's hosts (third: the world runs the
// third provider) before the outside clients.
func NodesWith(ownAddresses, third bool) []Node {
	nodes := []Node{
		{ID: "alice-laptop", Label: "node.alice-laptop", Role: RoleMUA, Domain: "example.org", IP: "127.77.1.10"},
		{ID: "smtp.example.org", Label: "node.msa", Role: RoleMSA, Domain: "example.org", IP: "127.77.1.20"},
		{ID: "mx.example.org", Label: "node.mx", Role: RoleMX, Domain: "example.org", IP: "127.77.1.25"},
		{ID: "mda.example.org", Label: "node.mda", Role: RoleMDA, Domain: "example.org", IP: "127.77.1.24"},
		{ID: "mail.example.org", Label: "node.mail", Role: RoleMailbox, Domain: "example.org", IP: "127.77.1.30"},
		{ID: "dns", Label: "node.dns", Role: RoleDNS, IP: "127.77.0.53"},
		{ID: "smtp.example.net", Label: "node.msa", Role: RoleMSA, Domain: "example.net", IP: "127.77.2.20"},
		{ID: "mx.example.net", Label: "node.mx", Role: RoleMX, Domain: "example.net", IP: "127.77.2.25"},
		{ID: "mda.example.net", Label: "node.mda", Role: RoleMDA, Domain: "example.net", IP: "127.77.2.24"},
		{ID: "mail.example.net", Label: "node.mail", Role: RoleMailbox, Domain: "example.net", IP: "127.77.2.30"},
		{ID: "bob-laptop", Label: "node.bob-laptop", Role: RoleMUA, Domain: "example.net", IP: "127.77.2.10"},
		{ID: "bob-phone", Label: "node.bob-phone", Role: RoleMUA, Domain: "example.net", IP: "127.77.2.11"},
		// Carol and Dave only get mail in the Bcc lesson.
		{ID: "carol-laptop", Label: "node.carol-laptop", Role: RoleMUA, Domain: "example.net", IP: "127.77.2.12"},
		{ID: "dave-laptop", Label: "node.dave-laptop", Role: RoleMUA, Domain: "example.net", IP: "127.77.2.13"},
		// A stranger on the Internet: tries to relay, lies about SIZE.
		{ID: "impostor", Label: "node.impostor", Role: RoleExternal, IP: "127.77.9.66"},
		{ID: External, Label: "node.external", Role: RoleExternal, IP: "127.0.0.1"},
	}
	if third {
		nodes = slices.Insert(nodes, len(nodes)-2, thirdNodes...)
	}
	if !ownAddresses {
		for i := range nodes {
			nodes[i].IP = "127.0.0.1"
		}
	}
	return nodes
}

var (
	ownOnce sync.Once
	ownOK   bool
)

// OwnAddressesWork reports whether this system lets us bind 127.77.x.y (all
// of 127.0.0.0/8 is loopback on Linux, not on macOS or Windows).
func OwnAddressesWork() bool {
	ownOnce.Do(func() {
		l, err := net.Listen("tcp", "127.77.0.1:0")
		if err == nil {
			ownOK = true
			l.Close()
		}
	})
	return ownOK
}

// Room nodes: in a classroom, the student's own provider (any domain under
// the room's zone) joins the world beside example.org and example.net.
// Its servers listen on the LAN address, its MDA and devices on loopback
// (127.77.4.x in the plan); the room's DNS server and the classmates'
// providers are two more nodes, each standing for a machine elsewhere.
const (
	RoomDNS   = "room-dns" // the room's DNS server on the teacher's machine
	Classmate = "room"     // any classmate's provider, reached over the LAN
)

// RoomNodes are the nodes of a student's provider domain, with name's
// laptop and phone, and the room's two remote nodes; ownAddresses as in
// NodesWith. dnsIP is the room DNS server's address.
func RoomNodes(ownAddresses bool, domain, name, dnsIP string) []Node {
	nodes := []Node{
		{ID: name + "-laptop", Label: "node.room-laptop", Role: RoleMUA, Domain: domain, IP: "127.77.4.10"},
		{ID: name + "-phone", Label: "node.room-phone", Role: RoleMUA, Domain: domain, IP: "127.77.4.11"},
		{ID: "smtp." + domain, Label: "node.msa", Role: RoleMSA, Domain: domain, IP: "127.77.4.20"},
		{ID: "mx." + domain, Label: "node.mx", Role: RoleMX, Domain: domain, IP: "127.77.4.25"},
		{ID: "mda." + domain, Label: "node.mda", Role: RoleMDA, Domain: domain, IP: "127.77.4.24"},
		{ID: "mail." + domain, Label: "node.mail", Role: RoleMailbox, Domain: domain, IP: "127.77.4.30"},
	}
	if !ownAddresses {
		for i := range nodes {
			nodes[i].IP = "127.0.0.1"
		}
	}
	return append(nodes,
		Node{ID: RoomDNS, Label: "node.room-dns", Role: RoleDNS, IP: dnsIP},
		Node{ID: Classmate, Label: "node.room", Role: RoleMX, IP: ""})
}
