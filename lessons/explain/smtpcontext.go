package explain

import (
	"strconv"
	"strings"

	"maillab/simulator/event"
)

// sizeCount compares the size a client declared with MAIL FROM … SIZE=
// with the message it then sent. RFC 1870 §5 defines the message size:
// every octet after the 354 reply, CR LF included, but not the final dot
// and not the dots doubled by dot-stuffing.
type sizeCount struct {
	declared string // the SIZE= value, "" when none was given
	sent     int
	unknown  bool // a line was cut for display: its length is not known
}

func (c *sizeCount) count(ev event.Event) {
	if ev.Text == "." {
		return
	}
	if ev.Truncated && ev.Omitted == 0 {
		c.unknown = true // cut without saying by how much
	}
	n := rawLen(ev)
	if strings.HasPrefix(ev.Text, ".") {
		n-- // the stuffed dot (RFC 5321 §4.5.2)
	}
	c.sent += n
}

// check adds to the end of the data how the octets sent compare with the
// declared size. A server may refuse a message larger than declared; a
// smaller one is allowed, since a client may estimate (RFC 1870 §6, §6.3).
func (c *sizeCount) check(x Explanation) Explanation {
	declared, err := strconv.Atoi(c.declared)
	if c.declared == "" || err != nil || c.unknown {
		return x
	}
	x = x.param("size", c.declared).param("sent", strconv.Itoa(c.sent))
	switch {
	case c.sent > declared:
		return x.with("smtp.size.over")
	case c.sent < declared:
		return x.with("smtp.size.under")
	}
	return x.with("smtp.size.exact")
}

// helloCheck adds what a receiving MTA can do with the name a client gives
// in EHLO: compare it with the address the connection comes from. RFC 5321
// §4.1.4 lets it check but forbids refusing mail only because the check
// fails; many receivers use the result (forward-confirmed reverse DNS) in
// their spam score instead.
func helloCheck(x Explanation, name string) Explanation {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return x
	case strings.HasPrefix(name, "["):
		return x.param("helo", name).with("smtp.ehlo.check.literal")
	}
	return x.param("helo", name).with("smtp.ehlo.check.name")
}
