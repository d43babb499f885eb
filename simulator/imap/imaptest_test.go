package imap_test

// Regression tests for what Dovecot's imaptest (its scripted groups, one per
// file in src/tests) found wrong, each as the raw exchange Dovecot 2.3.19
// answers.

import (
	"strconv"
	"testing"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/imap"
	"maillab/simulator/store"
)

// TestBinaryPartialOrigin: a partial BINARY answer names its origin octet
// (BINARY[2]<1>), as RFC 3516 §4.2 describes it and Dovecot sends it
// (go-imap patch 50; imaptest groups fetch-binary-mime-base64 and -qp).
// go-imap's client reads it back (patch 51).
func TestBinaryPartialOrigin(t *testing.T) {
	e := start(t, imap.Options{}, nil)
	msg, data := binaryMail()
	_, err := e.st.Deliver(bob, store.Inbox, msg, nil, time.Time{})
	require.NoError(t, err)
	n := strconv.Itoa
	cases := []struct {
		name, send string
		want       []string
	}{
		{"offset and length", "a FETCH 1 (BINARY.PEEK[2]<1.3>)",
			[]string{"* 1 FETCH (BINARY[2]<1> ~{3}", string(data[1:4]) + ")", "a OK FETCH completed"}},
		{"offset 0", "a FETCH 1 (BINARY.PEEK[1]<0.100>)",
			[]string{"* 1 FETCH (BINARY[1]<0> ~{2}", "hi)", "a OK FETCH completed"}},
		{"past the end", "a FETCH 1 (BINARY.PEEK[2]<100.5>)",
			[]string{"* 1 FETCH (BINARY[2]<100> ~{0}", ")", "a OK FETCH completed"}},
		{"whole part: no origin", "a FETCH 1 (BINARY.PEEK[2])",
			[]string{"* 1 FETCH (BINARY[2] ~{" + n(len(data)) + "}", string(data) + ")", "a OK FETCH completed"}},
	}
	r := e.rawSelected(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r.t = t
			r.send(tc.send)
			got := r.until("a ")
			assert.Equal(t, tc.want, got)
		})
	}

	c := e.loginSelect(t, nil)
	want := &goimap.FetchItemBinarySection{Part: []int{2}, Partial: &goimap.SectionPartial{Offset: 1, Size: 3}}
	msgs, err := c.Fetch(goimap.SeqSetNum(1), &goimap.FetchOptions{
		BinarySection: []*goimap.FetchItemBinarySection{want}}).Collect()
	require.NoError(t, err, "Fetch() reads BINARY[2]<1>")
	require.Len(t, msgs, 1)
	require.Len(t, msgs[0].BinarySection, 1)
	assert.Equal(t, data[1:4], msgs[0].BinarySection[0].Bytes)
	assert.Equal(t, int64(1), msgs[0].BinarySection[0].Section.Partial.Offset)
}
