package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"maillab/lessons/i18n"
	"maillab/simulator/classroom"
	"maillab/simulator/netmap"
	"maillab/simulator/scenario"
	"maillab/simulator/world"
	"maillab/simulator/worldspec"
)

// RoomStatus is what the Classroom dialog shows: whether this Maillab is
// a provider of a room, and as whom.
type RoomStatus struct {
	Joined   bool   `json:"joined"`
	Host     string `json:"host,omitempty"`     // the join address typed
	Zone     string `json:"zone,omitempty"`     // room42.test
	Domain   string `json:"domain,omitempty"`   // anna.room42.test
	Account  string `json:"account,omitempty"`  // anna@anna.room42.test
	Password string `json:"password,omitempty"` // the account's password, for a mail client of one's own
	Address  string `json:"address,omitempty"`  // the LAN address the servers listen on
	// Ports are the room's ports of the provider's services.
	Ports   classroom.Ports `json:"ports"`
	Devices []string        `json:"devices,omitempty"` // the student's laptop and phone
	// Summary says in the asked language who the student is in the room.
	Summary string `json:"summary,omitempty"`
}

// roomTimeout bounds each call to the room's host.
const roomTimeout = 15 * time.Second

// JoinRoom joins the room whose host shows address and code as the
// provider name.<room>.test, and starts the live world again with that
// provider in it: its servers listen on this machine's LAN address from
// now until LeaveRoom, Reset, another scenario or Close. A refusal of the
// host is said in lang.
func (a *App) JoinRoom(address, code, name, lang string) (RoomStatus, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if err := classroom.CheckName("student", name); err != nil {
		return RoomStatus{}, errors.New(i18n.T(lang, "ui.classroom.bad-name", nil))
	}
	a.mu.Lock()
	joined := a.joined != nil
	a.mu.Unlock()
	if joined {
		return RoomStatus{}, errors.New(i18n.T(lang, "ui.classroom.already", nil))
	}
	ctx, cancel := context.WithTimeout(context.Background(), roomTimeout)
	defer cancel()
	// The room's challenge: the join brings it, the poller the later ones.
	var student *classroom.Student
	s, err := classroom.Enrol(ctx, classroom.JoinOptions{Host: strings.TrimSpace(address), Code: code, Name: name, Timeout: roomTimeout,
		ChallengePoll: a.opts.RoomPoll, OnChallenge: func(c classroom.Challenge) { a.onRoomChallenge(student)(c) }})
	if err != nil {
		return RoomStatus{}, errors.New(roomRefusal(err, lang))
	}
	student = s
	a.mu.Lock()
	a.joined, a.joinedHost = s, strings.TrimSpace(address)
	a.opts.World.Room = s.Room()
	a.mu.Unlock()
	if _, err := a.Start(scenario.LiveID); err != nil {
		a.LeaveRoom()
		return RoomStatus{}, errors.New(i18n.T(lang, "ui.classroom.join-failed", map[string]string{"err": err.Error()}))
	}
	if c := s.Challenge(); !c.None() {
		a.roomChalMu.Lock()
		a.applyRoomChallenge(s, c)
		a.roomChalMu.Unlock()
	}
	return a.RoomStatus(lang)
}

// attachRoomLocked tells the room's host the provider of the run just
// started listens, and reports its deliveries to the room map.
func (a *App) attachRoomLocked() error {
	if a.joined == nil || a.run == nil {
		return nil
	}
	q := a.run.World.RoomQueue()
	if q == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), roomTimeout)
	defer cancel()
	return a.joined.Ready(ctx, q)
}

// LeaveRoom leaves the room: the host forgets the provider's records,
// and the live world starts again without it, so nothing listens beyond
// loopback any more. Leaving when not in a room does nothing.
func (a *App) LeaveRoom() (RoomStatus, error) {
	a.mu.Lock()
	left := a.leaveRoomLocked()
	id := a.scenario
	a.mu.Unlock()
	if left && id == scenario.LiveID {
		if _, err := a.Start(scenario.LiveID); err != nil {
			return RoomStatus{}, err
		}
	}
	return RoomStatus{}, nil
}

// leaveRoomLocked leaves the room, if in one: the next world has no room
// provider. It reports whether there was a room to leave.
func (a *App) leaveRoomLocked() bool {
	s := a.joined
	if s == nil {
		return false
	}
	a.joined, a.joinedHost, a.opts.World.Room = nil, "", nil
	st := a.chal()
	st.mu.Lock()
	st.roomRound = 0 // a challenge of the room stays, as the student's own
	st.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.Leave(ctx) // a host that is gone already forgot us
	return true
}

// RoomStatus says whether this Maillab is in a room, and as whom.
func (a *App) RoomStatus(lang string) (RoomStatus, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.joined
	if s == nil {
		return RoomStatus{}, nil
	}
	st := RoomStatus{Joined: true, Host: a.joinedHost, Zone: s.Zone, Domain: s.Domain, Account: s.Account,
		Password: s.Password, Address: s.Bind, Ports: s.Ports,
		Summary: i18n.T(lang, "ui.classroom.you-are", map[string]string{"domain": s.Domain, "zone": s.Zone})}
	if a.run != nil {
		st.Devices = a.run.World.RoomDevices()
	}
	return st, nil
}

// roomRefusal says why joining failed, in lang where the host's reason
// is one the student can act on.
func roomRefusal(err error, lang string) string {
	var je *classroom.JoinError
	if errors.As(err, &je) {
		switch je.Reason {
		case "wrong-code", "name-taken", "address-taken", "locked", "address-mismatch", "room-full":
			return i18n.T(lang, "ui.classroom.refused."+je.Reason, nil)
		}
		return i18n.T(lang, "ui.classroom.join-failed", map[string]string{"err": je.Message})
	}
	return i18n.T(lang, "ui.classroom.join-failed", map[string]string{"err": err.Error()})
}

// roomSettingsLocked is the room provider as the World settings show it:
// its account, its servers and the records the room DNS has for it
// (false when this Maillab is in no room).
func (a *App) roomSettingsLocked() (ProviderWorld, bool) {
	s := a.joined
	if s == nil || a.run == nil || a.run.World.RoomDomain() != s.Domain {
		return ProviderWorld{}, false
	}
	w := a.run.World
	d := s.Domain
	ps := ProviderWorld{Domain: d, Policy: policySettings(w.RoomPolicy()), DNS: roomZone(s), Room: true}
	acct := AccountSettings{Address: s.Account, Password: s.Password, Devices: w.RoomDevices()}
	if q := w.RoomAccountQuota(); q != 0 {
		acct.Quota = q.String()
	}
	ps.Accounts = []AccountSettings{acct}
	hosts := worldspec.StandardHosts(d)
	for _, srv := range worldspec.Servers {
		ps.Servers = append(ps.Servers, ServerState{Server: srv, Host: serverHostOf(hosts, srv), Up: w.ServerUp(d, srv)})
	}
	return ps, true
}

// roomZone is what the room DNS has for the student: the host's MX and
// A records, the student's SPF, DKIM and DMARC.
func roomZone(s *classroom.Student) worldspec.DNS {
	d := s.Domain
	rec := s.Records()
	z := worldspec.DNS{MX: []worldspec.MXRecord{{Preference: 10, Host: "mx." + d}}, SPF: rec.SPF, DMARC: rec.DMARC}
	for _, n := range []string{d, "mx." + d, "smtp." + d, "mail." + d} {
		z.A = append(z.A, worldspec.ARecord{Name: n, Address: s.Bind})
	}
	if rec.DKIM != "" {
		z.DKIM = &worldspec.DKIM{Selector: s.Selector, Key: rec.DKIM}
	}
	return z
}

// setRoomDNS publishes the SPF, DKIM and DMARC records of zone in the
// room DNS (the host checks them); the MX and A records stay the host's,
// which say where the student's servers listen. ok is false when domain
// is not the room provider's.
func (a *App) setRoomDNS(domain string, zone worldspec.DNS) (_ worldspec.DNS, ok bool, err error) {
	a.mu.Lock()
	s := a.joined
	a.mu.Unlock()
	if s == nil || !strings.EqualFold(domain, s.Domain) {
		return worldspec.DNS{}, false, nil
	}
	rec := classroom.Records{SPF: zone.SPF, DMARC: zone.DMARC}
	if zone.DKIM != nil {
		rec.DKIM = zone.DKIM.Key
	}
	ctx, cancel := context.WithTimeout(context.Background(), roomTimeout)
	defer cancel()
	if _, err := s.PublishRecords(ctx, rec); err != nil {
		return worldspec.DNS{}, true, err
	}
	a.mu.Lock()
	r := a.run
	a.mu.Unlock()
	if r != nil {
		r.World.Note(ctx, netmap.RoomDNS, "state.room-dns-changed", map[string]string{"domain": s.Domain})
	}
	return roomZone(s), true, nil
}

// setRoomServerUp takes a server of the room provider down or brings it
// back, in the running world only: the room provider is no part of the
// world file. ok is false when domain is not the room provider's.
func (a *App) setRoomServerUp(domain, server string, up bool) (ok bool, err error) {
	a.mu.Lock()
	s, r := a.joined, a.run
	a.mu.Unlock()
	if s == nil || r == nil || !strings.EqualFold(domain, s.Domain) {
		return false, nil
	}
	return true, r.World.SetServerUp(s.Domain, server, up)
}

// setRoomPolicy changes the room provider's server policy in the running
// world (world.SetPolicy) and keeps it for the runs after it while this
// Maillab stays in the room: the room provider is no part of the world
// file. ok is false when domain is not the room provider's.
func (a *App) setRoomPolicy(domain string, in PolicySettings) (ok bool, err error) {
	a.mu.Lock()
	s, r := a.joined, a.run
	a.mu.Unlock()
	if s == nil || r == nil || !strings.EqualFold(domain, s.Domain) {
		return false, nil
	}
	if len(in.RelayNetworks) > 0 {
		return true, problem("ui.settings.error.room-relay", map[string]string{"domain": s.Domain})
	}
	pol, err := applyPolicy(r.World.RoomPolicy(), in)
	if err != nil {
		return true, err
	}
	if err := r.World.SetPolicy(s.Domain, pol); err != nil {
		return true, err
	}
	pol.Down = nil // the servers of a new run start up
	a.keepRoom(s, func(room *world.RoomProvider) { room.Policy = pol })
	return true, nil
}

// setRoomAccountQuota gives the room account its own quota in the
// running world and the runs after it while in the room. ok is false
// when address is not at the room provider.
func (a *App) setRoomAccountQuota(address string, quota worldspec.Size) (ok bool, err error) {
	a.mu.Lock()
	s, r := a.joined, a.run
	a.mu.Unlock()
	if s == nil || r == nil || !strings.EqualFold(domainOf(address), s.Domain) {
		return false, nil
	}
	if err := r.World.SetAccountQuota(address, quota); err != nil {
		return true, err
	}
	a.keepRoom(s, func(room *world.RoomProvider) { room.Quota = quota })
	return true, nil
}

// keepRoom changes the room provider the next runs start with, while s
// is still the room this Maillab is in (a copy: a running world reads the
// one it started with).
func (a *App) keepRoom(s *classroom.Student, change func(*world.RoomProvider)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.joined == s && a.opts.World.Room != nil {
		room := *a.opts.World.Room
		change(&room)
		a.opts.World.Room = &room
	}
}
