package world

import (
	"context"
	"fmt"
	"strings"

	"maillab/simulator/worldspec"
)

// SetDevice changes how the device named name reads mail while the world
// runs, after checking it as a world file would be: its protocol (pop3 or
// imap), its connection security (starttls, implicit or plain) and, for
// POP3, whether it leaves a copy on the server. The account a device
// reads stays (d.Account "" keeps it; another one is refused): the
// device's mail belongs to it. The next "Check mail" uses the new
// settings; a session already open keeps its own. Logged as
// state.device-changed.
func (w *World) SetDevice(name string, d worldspec.Device) error {
	if w.devices[name] == nil {
		return fmt.Errorf("world: no device %q", name)
	}
	if d.LeaveOnServer != nil {
		v := *d.LeaveOnServer
		d.LeaveOnServer = &v
	}
	var params map[string]string
	err := w.changeSpec(func(s *Spec) error {
		cur := s.Device(name)
		if cur == nil {
			return fmt.Errorf("world: no device %q", name)
		}
		if d.Account == "" {
			d.Account = cur.Account
		}
		if !strings.EqualFold(d.Account, cur.Account) {
			return fmt.Errorf("world: device %s reads %s; its account cannot change while the world runs", name, cur.Account)
		}
		d.Name = name
		*cur = d
		params = map[string]string{"device": name, "protocol": strings.ToUpper(d.Protocol),
			"security": d.Security, "port": fmt.Sprint(worldspec.FetchPort(d.Protocol, d.Security))}
		return nil
	}, func(Spec) error { return nil })
	if err != nil {
		return err
	}
	return w.Note(context.Background(), name, "state.device-changed", params)
}
