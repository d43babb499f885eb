package mx

import (
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/dmarc"
	"github.com/stretchr/testify/assert"
)

// Relaxed alignment compares organizational domains: one label below the
// public suffix, which a classroom's zone is for its students' domains.
func TestOrgDomainAndAlignment(t *testing.T) {
	room := []string{"room42.test"}
	for _, tc := range []struct {
		d        string
		suffixes []string
		want     string
	}{
		{"example.org", nil, "example.org"},
		{"mail.example.org", nil, "example.org"},
		{"anna.room42.test", nil, "room42.test"},
		{"anna.room42.test", room, "anna.room42.test"},
		{"mx.anna.room42.test", room, "anna.room42.test"},
		{"MX.Anna.Room42.Test.", room, "anna.room42.test"},
		{"example.org", room, "example.org"},
	} {
		assert.Equal(t, tc.want, orgDomain(strings.ToLower(tc.d), tc.suffixes), "%s %v", tc.d, tc.suffixes)
	}
	srv := &Server{opts: Options{PublicSuffixes: room}}
	assert.False(t, srv.aligned("anna.room42.test", "ben.room42.test", dmarc.AlignmentRelaxed),
		"two students are two organisations")
	assert.True(t, srv.aligned("mx.ben.room42.test", "ben.room42.test", dmarc.AlignmentRelaxed))
	assert.True(t, (&Server{}).aligned("smtp.example.org", "example.org", dmarc.AlignmentRelaxed))
}
