package imap

import (
	"testing"
)

// FuzzParseAddressList: any header text parses without panic or endless
// loop, and every address is either a group marker or has both a mailbox
// and a host. `go test` runs the seeds; `go test -fuzz` explores.
func FuzzParseAddressList(f *testing.F) {
	for _, s := range []string{
		"group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;", "group:;, group2: (foo) ;",
		"<@route:user@domain>", "<@a,@b:user@domain>", `"Quoted, Name" <a.b@c.d>`, "user@domain (Real Name)",
		"<user (c)@ (c) domain.org>", "undisclosed-recipients:;", "<>", "a@", "@b", "(((", `"unterminated`,
		"x: y: z;", "<a@b", "a@[127.0.0.1]", "=?utf-8?q?J=C3=B6rg?= <j@e.de>", ";;,,<>@:.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		depth := 0
		for _, a := range parseAddressList(s) {
			switch {
			case a.Host == "" && a.Mailbox == "":
				depth--
			case a.Host == "":
				depth++
			}
			if depth < 0 || depth > 1 {
				t.Fatalf("unbalanced group markers for %q", s)
			}
		}
		if depth != 0 {
			t.Fatalf("group not closed for %q", s)
		}
	})
}
