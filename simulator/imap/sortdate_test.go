package imap

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestParseSentDate: forms TestSortDatesAsDovecot does not show.
func TestParseSentDate(t *testing.T) {
	utc := func(d, h, m int) time.Time { return time.Date(2025, 3, d, h, m, 0, 0, time.UTC) }
	cases := []struct {
		in   string
		want time.Time // zero: no date
	}{
		{"Mon, 03 Mar 2025\r\n 10:00:00 +0000", utc(3, 10, 0)}, // folded
		{"Mon, 03 Mar 2025 10:00:00 +0000 (a (nested) comment)", utc(3, 10, 0)},
		{"3 march 2025 10:00 cdt", utc(3, 15, 0)},
		{"Sat, 29 Feb 2025 10:00:00 +0000", time.Time{}}, // no 29 February in 2025
		{"Mon, 03 Mar 2025 10:60:00 +0000", time.Time{}},
		{"Mon, 03 Foo 2025 10:00:00 +0000", time.Time{}},
		{"", time.Time{}},
	}
	for _, tc := range cases {
		got, ok := parseSentDate(tc.in)
		assert.Equal(t, !tc.want.IsZero(), ok, "parseSentDate(%q) ok", tc.in)
		if ok {
			assert.True(t, tc.want.Equal(got), "parseSentDate(%q) = %v", tc.in, got)
		}
	}
}
