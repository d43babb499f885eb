package app

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"maillab/lessons/i18n"
	"maillab/simulator/classroom"
)

// Hosting a classroom from the app (#19): hostRoom opens a room
// (simulator/classroom's host: the room DNS and the join service on the
// LAN address), roomScreen is what the projector shows, closeRoom, a
// reset and closing the app close it. The host's changes come in through
// its Watch feed, are kept here with a sequence number and announced to
// the UI (EventRoom), which asks roomScreen for what is new.

// RoomOptions are the teacher's choices for a room.
type RoomOptions struct {
	Room string `json:"room"` // the room's name: its zone is <room>.test ("": "room")
	// Bind is the address students reach this machine at ("": the
	// machine's LAN address, classroom.LANAddress).
	Bind string `json:"bind"`
	Code string `json:"code"` // "": a new one
	// PortOffset moves the students' services (0: classroom's default);
	// WellKnownPorts keeps 25, 587, … where every student may bind them.
	PortOffset     int  `json:"portOffset"`
	WellKnownPorts bool `json:"wellKnownPorts"`
	// JoinPort and DNSPort as in classroom.HostOptions (0: the defaults;
	// negative: any free port, for tests).
	JoinPort int `json:"joinPort,omitempty"`
	DNSPort  int `json:"dnsPort,omitempty"`
}

// RoomNode is one student's provider on the room screen.
type RoomNode struct {
	Name     string    `json:"name"`
	Domain   string    `json:"domain"`
	Address  string    `json:"address"`
	Online   bool      `json:"online"` // in the room (false: it left)
	Joined   time.Time `json:"joined"`
	Sent     int       `json:"sent"`     // deliveries it reported, every outcome
	Received int       `json:"received"` // deliveries to it that arrived
	// Waiting: the last delivery to it was deferred (its machine may be
	// off: the senders' queues keep the mail and retry).
	Waiting bool `json:"waiting"`
	// Silent: not answering. Its Maillab has said nothing for a few
	// heartbeats (killed, the laptop closed) without leaving the room.
	Silent bool `json:"silent"`
	// Solved: it reported the room's challenge solved (roomchallenge.go).
	Solved bool `json:"solved"`
}

// Kinds of RoomEntry besides the outcomes of a delivery.
const (
	RoomJoined = "joined"
	RoomLeft   = "left"
	// RoomSilent: a provider stopped answering; RoomBack: it answers again.
	RoomSilent = "silent"
	RoomBack   = "back"
	// RoomRefused is a bounce whose status is of the security or policy
	// class X.7.X (RFC 3463 §3.8): SPF, DKIM, DMARC or relaying said no.
	RoomRefused = "refused"
)

// RoomEntry is one thing that happened in the room: a provider joined or
// left (Domain), or a delivery from From to To had Outcome (delivered,
// deferred, bounced or refused) with Status.
type RoomEntry struct {
	Seq     uint64    `json:"seq"`
	Kind    string    `json:"kind"` // joined, left, silent, back, delivery
	Time    time.Time `json:"time"`
	Domain  string    `json:"domain,omitempty"`
	From    string    `json:"from,omitempty"`
	To      string    `json:"to,omitempty"`
	Outcome string    `json:"outcome,omitempty"`
	Status  string    `json:"status,omitempty"`
	// Title is the challenge's, for challenge, withdrawn and solved (Domain).
	Title string `json:"title,omitempty"`
}

// RoomCounts counts the deliveries since the room opened.
type RoomCounts struct {
	Deliveries int `json:"deliveries"` // every reported attempt
	Delivered  int `json:"delivered"`
	Deferred   int `json:"deferred"`
	Bounced    int `json:"bounced"`
	Refused    int `json:"refused"`
	Online     int `json:"online"` // providers in the room now and answering
	Silent     int `json:"silent"` // providers in the room not answering
}

// RoomScreen is the room as the projector shows it.
type RoomScreen struct {
	Open bool `json:"open"`
	// LAN is the address a new room would listen on by default ("" when
	// this machine has none).
	LAN         string          `json:"lan"`
	Room        string          `json:"room,omitempty"`
	Zone        string          `json:"zone,omitempty"`
	Code        string          `json:"code,omitempty"`
	JoinAddress string          `json:"joinAddress,omitempty"`
	JoinLink    string          `json:"joinLink,omitempty"`    // what the QR code carries
	JoinCommand string          `json:"joinCommand,omitempty"` // the command line a student types
	DNS         string          `json:"dns,omitempty"`
	Ports       classroom.Ports `json:"ports"`
	PortsLine   string          `json:"portsLine,omitempty"`
	// QR is the QR code of JoinLink: rows of modules, true for dark,
	// without the quiet zone.
	QR     [][]bool   `json:"qr"`
	Nodes  []RoomNode `json:"nodes"`
	Counts RoomCounts `json:"counts"`
	// Challenge is the challenge handed out to the room (nil: none).
	Challenge *RoomChallenge `json:"challenge,omitempty"`
	// Entries are what happened after the since asked for (the newest
	// RoomRecent when since is 0), oldest first, at most RoomPage.
	Entries []RoomEntry `json:"entries"`
	Last    uint64      `json:"last"` // the newest entry's seq
	More    bool        `json:"more"` // entries after this page: ask again since its last
}

// Sizes of the room's log and pages.
const (
	RoomRecent     = 50   // entries a first roomScreen brings
	RoomPage       = 200  // entries at most in one roomScreen
	maxRoomEntries = 2000 // entries kept
	maxRoomNodes   = 500  // providers kept, online or not
)

// roomState is the room this app hosts, if any.
type roomState struct {
	mu      sync.Mutex
	host    *classroom.Host
	qr      classroom.QR
	nodes   map[string]*RoomNode // by domain
	entries []RoomEntry
	seq     uint64
	counts  RoomCounts
	notify  *debouncer
	// challenge is the room's challenge (none: not handed out), lastTitle
	// the title of the last one handed out (roomchallenge.go).
	challenge classroom.Challenge
	lastTitle string
}

// HostRoom opens a room on this machine: its DNS server and join
// service listen on opts.Bind (the LAN address by default) until
// CloseRoom, a reset or the app's end.
func (a *App) HostRoom(opts RoomOptions, lang string) (RoomScreen, error) {
	lang = exportLang(lang)
	r := &a.room
	r.mu.Lock()
	if r.host != nil {
		r.mu.Unlock()
		return RoomScreen{}, clientErrorKey(lang, "ui.room.error.open", nil)
	}
	if opts.Bind == "" {
		lan, err := classroom.LANAddress()
		if err != nil {
			r.mu.Unlock()
			return RoomScreen{}, clientErrorKey(lang, "cli.classroom.no-lan", nil)
		}
		opts.Bind = lan
	}
	if !opts.WellKnownPorts && opts.PortOffset != 0 && (opts.PortOffset < 1024 || opts.PortOffset > 64000) {
		r.mu.Unlock()
		return RoomScreen{}, clientErrorKey(lang, "ui.room.error.offset", map[string]string{"value": strconv.Itoa(opts.PortOffset)})
	}
	// A new room starts a new log: the UI's cursor goes back to 0 then.
	r.nodes, r.entries, r.seq, r.counts = map[string]*RoomNode{}, nil, 0, RoomCounts{}
	r.challenge, r.lastTitle = classroom.Challenge{}, ""
	r.notify = newDebouncer(a.opts.BatchEvery, func() { a.opts.Hub.Publish(EventRoom, a.roomLast()) })
	h, err := classroom.StartHost(classroom.HostOptions{Room: strings.TrimSpace(opts.Room), Bind: strings.TrimSpace(opts.Bind),
		Code: strings.TrimSpace(opts.Code), JoinPort: opts.JoinPort, DNSPort: opts.DNSPort, PortOffset: opts.PortOffset,
		WellKnownPorts: opts.WellKnownPorts, Watch: r.watch})
	if err != nil {
		r.notify.stop()
		r.mu.Unlock()
		return RoomScreen{}, clientErrorKey(lang, "ui.room.error.host", map[string]string{"err": err.Error()})
	}
	r.host = h
	r.qr, _ = h.QR() // a join link always fits a QR code
	r.mu.Unlock()
	a.opts.Hub.Publish(EventRoom, a.roomLast())
	return a.RoomScreen(lang, 0)
}

// RoomScreen is what the room screen shows: the join details, the QR
// code, every provider and what happened after since (see RoomScreen's
// Entries). With no room open it says so (Open false) and which address
// a room would use.
func (a *App) RoomScreen(lang string, since uint64) (RoomScreen, error) {
	lang = exportLang(lang)
	r := &a.room
	r.mu.Lock()
	defer r.mu.Unlock()
	s := RoomScreen{QR: [][]bool{}, Nodes: []RoomNode{}, Entries: []RoomEntry{}, Last: r.seq}
	if r.host == nil {
		s.LAN, _ = classroom.LANAddress()
		return s, nil
	}
	h := r.host
	t := func(k string, p map[string]string) string { return i18n.T(lang, k, p) }
	s.Open, s.Zone, s.Code, s.JoinAddress, s.JoinLink, s.DNS, s.Ports = true, h.Zone(), h.Code(), h.JoinAddress(), h.JoinLink(), h.DNSAddress(), h.Ports()
	s.Room = strings.TrimSuffix(s.Zone, "."+classroom.TLD)
	s.JoinCommand = t("ui.room.join-command", map[string]string{"addr": s.JoinAddress, "code": s.Code})
	p := s.Ports
	s.PortsLine = t("cli.classroom.ports", map[string]string{"offset": strconv.Itoa(p.Offset), "smtp": strconv.Itoa(p.SMTP),
		"submission": strconv.Itoa(p.Submission), "submissions": strconv.Itoa(p.Submissions), "pop3": strconv.Itoa(p.POP3),
		"pop3s": strconv.Itoa(p.POP3S), "imap": strconv.Itoa(p.IMAP), "imaps": strconv.Itoa(p.IMAPS)})
	s.QR = r.qr
	for _, n := range r.nodes {
		s.Nodes = append(s.Nodes, *n)
	}
	slices.SortFunc(s.Nodes, func(x, y RoomNode) int { return strings.Compare(x.Name, y.Name) })
	s.Counts = r.counts
	s.Challenge = r.roomChallengeLocked(lang)
	// The page: the newest RoomRecent at first, then what came after since.
	start := 0
	if since == 0 || since > r.seq {
		start = max(0, len(r.entries)-RoomRecent)
	} else {
		start, _ = slices.BinarySearchFunc(r.entries, since+1, func(e RoomEntry, seq uint64) int {
			return cmpUint(e.Seq, seq)
		})
	}
	end := min(len(r.entries), start+RoomPage)
	s.Entries = append(s.Entries, r.entries[start:end]...)
	s.More = end < len(r.entries)
	return s, nil
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CloseRoom closes the room: every LAN listener of it stops; students'
// providers keep running on their machines but find no room DNS.
func (a *App) CloseRoom() error {
	a.closeRoom()
	return nil
}

// closeRoom closes the room if one is open (reset, Close).
func (a *App) closeRoom() {
	r := &a.room
	r.mu.Lock()
	h, notify := r.host, r.notify
	r.host, r.notify = nil, nil
	r.mu.Unlock()
	if h == nil {
		return
	}
	notify.stop()
	h.Close() // Watch takes r.mu: not held here
	a.opts.Hub.Publish(EventRoom, a.roomLast())
}

// RoomPush is EventRoom's payload: the room is open or not, and the
// newest entry's seq (roomScreen since the last one seen brings the new).
type RoomPush struct {
	Open bool   `json:"open"`
	Last uint64 `json:"last"`
}

func (a *App) roomLast() RoomPush {
	r := &a.room
	r.mu.Lock()
	defer r.mu.Unlock()
	return RoomPush{Open: r.host != nil, Last: r.seq}
}

// watch takes the host's changes, in order.
func (r *roomState) watch(c classroom.Change) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.nodes == nil {
		return
	}
	e := RoomEntry{Kind: c.Kind}
	switch c.Kind {
	case classroom.Joined, classroom.Left:
		p := c.Provider
		e.Time, e.Domain = time.Now(), p.Domain
		n := r.nodes[p.Domain]
		if n == nil {
			if len(r.nodes) >= maxRoomNodes {
				r.forgetOffline()
			}
			n = &RoomNode{}
			r.nodes[p.Domain] = n
		}
		n.Name, n.Domain, n.Address, n.Online, n.Silent = p.Name, p.Domain, p.Address, c.Kind == classroom.Joined, false
		if n.Online {
			n.Joined, e.Time, n.Waiting = p.Joined, p.Joined, false
		}
	case classroom.Silent, classroom.Back:
		n := r.nodes[c.Provider.Domain]
		if n == nil || !n.Online {
			return
		}
		e.Time, e.Domain = time.Now(), n.Domain
		n.Silent = c.Kind == classroom.Silent
	case classroom.Report:
		ev := c.Event
		e.Kind, e.Time, e.From, e.To, e.Outcome, e.Status = "delivery", ev.Time, ev.From, ev.To, ev.Outcome, ev.Status
		if ev.Outcome == classroom.Bounced && strings.HasPrefix(ev.Status, "5.7.") {
			e.Outcome = RoomRefused
		}
		r.counts.Deliveries++
		switch e.Outcome {
		case classroom.Delivered:
			r.counts.Delivered++
			if n := r.nodes[ev.To]; n != nil {
				n.Received++
				n.Waiting = false
			}
		case classroom.Deferred:
			r.counts.Deferred++
			if n := r.nodes[ev.To]; n != nil {
				n.Waiting = true
			}
		case classroom.Bounced:
			r.counts.Bounced++
		case RoomRefused:
			r.counts.Refused++
		}
		if n := r.nodes[ev.From]; n != nil {
			n.Sent++
		}
	default:
		if !r.watchChallengeLocked(c, &e) {
			return
		}
		e.Time = time.Now()
	}
	r.counts.Online, r.counts.Silent = 0, 0
	for _, n := range r.nodes {
		switch {
		case n.Online && n.Silent:
			r.counts.Silent++
		case n.Online:
			r.counts.Online++
		}
	}
	r.seq++
	e.Seq = r.seq
	r.entries = append(r.entries, e)
	if n := len(r.entries) - maxRoomEntries; n > 0 {
		r.entries = slices.Delete(r.entries, 0, n)
	}
	if r.notify != nil {
		r.notify.trigger()
	}
}

// forgetOffline drops the providers that left, to make room.
func (r *roomState) forgetOffline() {
	for d, n := range r.nodes {
		if !n.Online {
			delete(r.nodes, d)
		}
	}
}

// ShowRoom asks the window for the room screen (the desktop menu's "Host
// a classroom…"); a function, so Wails does not bind it.
func ShowRoom(a *App) { a.opts.Hub.Publish(EventShowRoom, nil) }
