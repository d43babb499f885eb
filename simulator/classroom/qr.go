package classroom

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	qr "github.com/piglig/go-qr"
)

// JoinLink is what the room's QR code carries: the join service's URL
// with the room code, http://10.0.0.5:7625/?code=K7Q-M4P. A student's
// join dialog takes it whole (ParseJoinLink); a phone that opens it gets
// the join service's page saying how to join from a computer.
func JoinLink(joinAddress, code string) string {
	return "http://" + joinAddress + "/?" + url.Values{"code": {code}}.Encode()
}

// JoinLink is this room's link (see the function JoinLink).
func (h *Host) JoinLink() string { return JoinLink(h.JoinAddress(), h.code) }

// ParseJoinLink splits a join link into the join address and the room
// code.
func ParseJoinLink(link string) (addr, code string, err error) {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return "", "", fmt.Errorf("classroom: %q is no room link (http://ADDRESS/?code=CODE)", link)
	}
	base, err := JoinURL(u.Host)
	if err != nil {
		return "", "", err
	}
	return strings.TrimPrefix(base, "http://"), u.Query().Get("code"), nil
}

// QR is a QR code's matrix: QR[y][x] is true for a dark module. It has
// no quiet zone: whoever draws it leaves four light modules around it
// (ISO/IEC 18004 §6.3.8).
type QR [][]bool

// NewQR encodes text as a QR code with error correction level M (15%:
// a projector's glare or a smudge on the screen is forgiven; the
// library raises the level where the size allows).
func NewQR(text string) (QR, error) {
	if text == "" {
		return nil, errors.New("classroom: nothing to put in a QR code")
	}
	c, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return nil, fmt.Errorf("classroom: QR code: %w", err)
	}
	n := c.Size()
	m := make(QR, n)
	for y := range n {
		m[y] = make([]bool, n)
		for x := range n {
			m[y][x] = c.Module(x, y)
		}
	}
	return m, nil
}

// QR is the room's QR code: its join link.
func (h *Host) QR() (QR, error) { return NewQR(h.JoinLink()) }

// handleHome answers a phone that opened the QR code's link: a page of
// plain text saying how a computer joins. It never repeats the code it
// was given (the teacher's screen shows it).
func (h *Host) handleHome(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "Maillab classroom %s\n\nThis is the room's join service. Join from your computer:\n"+
		"in Maillab, choose \"Join a classroom\" and paste this link, or run\n\n"+
		"  maillab classroom join %s --code CODE --name YOUR-NAME\n\nwith the room code your teacher shows.\n",
		h.zone, h.JoinAddress())
}
