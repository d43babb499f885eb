package scenario

import (
	"fmt"
	"sort"

	"github.com/emersion/go-imap/v2"

	"maillab/simulator/mua"
)

// imapUIDs lists the UIDs a device knows over IMAP, lowest first.
func imapUIDs(d *mua.Device) []imap.UID {
	var out []imap.UID
	for _, m := range d.Messages() {
		var uid uint32
		if _, err := fmt.Sscanf(m.Key, "imap:%d", &uid); err == nil {
			out = append(out, imap.UID(uid))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
