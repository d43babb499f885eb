package imap

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestBaseSubject: the steps of RFC 5256 §2.1 one by one. The result is
// case-mapped (i;unicode-casemap, RFC 5051), so "hello" becomes "HELLO".
func TestBaseSubject(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"hello", "HELLO"},
		{"  hello \t  world  ", "HELLO WORLD"},              // step 1: spaces collapsed
		{"hello\r\n world", "HELLO WORLD"},                  // step 1: folded line
		{"=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=", "GRU\u0308\u00dfE"}, // step 1: RFC 2047; titlecase, NFKD
		{"hello (fwd)", "HELLO"},                            // step 2
		{"hello (fwd) (FWD)  ", "HELLO"},                    // step 2 repeated
		{"Re: hello", "HELLO"},                              // step 3
		{"RE:hello", "HELLO"},                               // step 3, no space
		{"re : hello", "HELLO"},                             // *WSP before ":"
		{"Fw: hello", "HELLO"},                              // "fw"
		{"Fwd: Re: fwd: hello", "HELLO"},                    // step 3 repeated
		{"Re[2]: hello", "HELLO"},                           // re [subj-blob] ":"
		{"Re [list]: hello", "HELLO"},                       // re *WSP [subj-blob] ":"
		{"[list] Re: hello", "HELLO"},                       // *subj-blob subj-refwd
		{"[a][b] Re: hello", "HELLO"},                       // two blobs
		{"[list] hello", "HELLO"},                           // step 4
		{"[list] [PATCH] Re: hello", "HELLO"},               // steps 4 and 3 repeated (step 5)
		{"[list]", "[LIST]"},                                // step 4: nothing would remain
		{"Re: [list]", "[LIST]"},                            // same after step 3
		{"[fwd: hello]", "HELLO"},                           // step 6
		{"Re: [Fwd: Re: hello (fwd)]", "HELLO"},             // step 6 then again from step 2
		{"[fwd: [list] hello]", "HELLO"},                    // step 6, then step 4
		{"Report: hello", "REPORT: HELLO"},                  // "re" must be followed by ":"
		{"Fwded: hello", "FWDED: HELLO"},                    // same for "fwd"
		{"Re:", ""},                                         // only a leader
		{"[a[b] hello", "[A[B] HELLO"},                      // "[" is no BLOBCHAR
		{"hello [fwd: x]", "HELLO [FWD: X]"},                // step 6 only at the start
		{"Ré: hello", "RE\u0301: HELLO"},                    // not a leader
		{"straße", "STRA\u00dfE"},                           // ß has no one-rune titlecase
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, baseSubject(tc.in), "baseSubject(%q)", tc.in)
	}
}
