package classroom_test

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"maillab/simulator/classroom"
	"maillab/simulator/pki"
)

// post sends body to the join service from address .n of the room's
// net, with token when set, and returns the status and the refusal.
func (r *room) post(t *testing.T, n int, path, token string, body any) (int, classroom.ErrorReply) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(r.addr(n))}, Timeout: wait}
	c := &http.Client{Timeout: wait, Transport: &http.Transport{DialContext: d.DialContext}}
	req, err := http.NewRequest(http.MethodPost, "http://"+r.host.JoinAddress()+path, bytes.NewReader(b))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var er classroom.ErrorReply
	if resp.StatusCode >= 400 {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&er))
		assert.NotEmpty(t, er.Message)
	}
	return resp.StatusCode, er
}

func TestJoinChecksTheRequest(t *testing.T) {
	r := newRoom(t, 7)
	csr, _, err := pki.NewCSR("x")
	require.NoError(t, err)
	tests := []struct {
		name   string
		req    classroom.JoinRequest
		status int
		reason string
	}{
		{"no CSR", classroom.JoinRequest{Name: "anna", Address: r.addr(2), DKIMKey: rsaKey(t)}, http.StatusBadRequest, "bad-csr"},
		{"no DKIM key", classroom.JoinRequest{Name: "anna", Address: r.addr(2), CSR: string(csr), DKIMKey: "bm9wZQ=="}, http.StatusBadRequest, "bad-dkim-key"},
		{"an IPv6 address", classroom.JoinRequest{Name: "anna", Address: "::1", CSR: string(csr), DKIMKey: rsaKey(t)}, http.StatusBadRequest, "bad-address"},
		{"a name too long", classroom.JoinRequest{Name: strings.Repeat("a", 33), Address: r.addr(2)}, http.StatusBadRequest, "bad-name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.Code = r.host.Code()
			status, er := r.post(t, 2, "/join", "", tc.req)
			assert.Equal(t, tc.status, status)
			assert.Equal(t, tc.reason, er.Reason, er.Message)
		})
	}
	assert.Empty(t, r.host.Map().Providers)
}

func rsaKey(t *testing.T) string {
	t.Helper()
	// A real student's key, made the way Join makes it.
	s, err := classroom.NewDKIMPublicKey()
	require.NoError(t, err)
	return s
}

func TestEventsAreChecked(t *testing.T) {
	r := newRoom(t, 8)
	anna := r.join("anna", 2)
	ev := func(from, to, outcome string) classroom.Event {
		return classroom.Event{From: from, To: to, Outcome: outcome, Status: "2.0.0", Time: time.Now()}
	}
	type batch struct {
		Events []classroom.Event `json:"events"`
	}
	status, er := r.post(t, 2, "/events", "", batch{[]classroom.Event{ev(anna.Domain, "ben.room42.test", classroom.Delivered)}})
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "not-joined", er.Reason)

	status, er = r.post(t, 2, "/events", anna.Token, batch{[]classroom.Event{ev("ben.room42.test", "anna.room42.test", classroom.Delivered)}})
	assert.Equal(t, http.StatusForbidden, status, "a provider reports only its own deliveries")
	assert.Equal(t, "not-your-event", er.Reason)

	status, er = r.post(t, 2, "/events", anna.Token, batch{[]classroom.Event{ev(anna.Domain, "ben.room42.test", "read")}})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "bad-event", er.Reason)

	many := make([]classroom.Event, 101)
	for i := range many {
		many[i] = ev(anna.Domain, "ben.room42.test", classroom.Delivered)
	}
	status, er = r.post(t, 2, "/events", anna.Token, batch{many})
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	assert.Equal(t, "too-many-events", er.Reason)
	assert.Empty(t, r.host.Map().Events, "nothing of a refused report is kept")

	// A full bucket (100 events at once), then more at once: too fast.
	status, _ = r.post(t, 2, "/events", anna.Token, batch{many[:100]})
	require.Equal(t, http.StatusNoContent, status)
	status, er = r.post(t, 2, "/events", anna.Token, batch{many[:10]})
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "too-fast", er.Reason)
	assert.Len(t, r.host.Map().Events, 100)

	// After leaving, the token is worth nothing.
	require.NoError(t, anna.Leave(t.Context()))
	status, _ = r.post(t, 2, "/events", anna.Token, batch{many[:1]})
	assert.Equal(t, http.StatusUnauthorized, status)
}
