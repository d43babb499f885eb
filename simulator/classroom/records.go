package classroom

import (
	"context"
	"fmt"
	"net/http"

	"maillab/simulator/dnsrecord"
)

// Records are the TXT records a student publishes for its domain in the
// room DNS: SPF at the domain, the DKIM key at room._domainkey, DMARC at
// _dmarc. An empty record is not published. The MX, A and SRV records
// are the host's: they say where the student's servers listen.
type Records struct {
	SPF   string `json:"spf"`
	DKIM  string `json:"dkim"`
	DMARC string `json:"dmarc"`
}

// DefaultRecords are a student's records on joining: only its own address
// sends for it, its DKIM key, and DMARC asking to reject what fails.
func DefaultRecords(address, dkim string) Records {
	return Records{SPF: "v=spf1 ip4:" + address + " -all", DKIM: dkim, DMARC: "v=DMARC1; p=reject"}
}

// maxRecord bounds one record's text: room for an RSA-4096 key record.
const maxRecord = 1024

// Check checks each record as the World settings do (dnsrecord); the
// error names the record and what is wrong with it.
func (r Records) Check() error {
	for _, c := range []struct {
		kind, text string
		check      func(string) error
	}{{"spf", r.SPF, dnsrecord.CheckSPF}, {"dkim", r.DKIM, dnsrecord.CheckDKIM}, {"dmarc", r.DMARC, dnsrecord.CheckDMARC}} {
		if c.text == "" {
			continue
		}
		if len(c.text) > maxRecord {
			return fmt.Errorf("the %s record is longer than %d characters", c.kind, maxRecord)
		}
		if err := c.check(c.text); err != nil {
			return fmt.Errorf("the %s record: %w", c.kind, err)
		}
	}
	return nil
}

// handleRecords replaces the SPF, DKIM and DMARC records of the student
// who asks, and of nobody else, and answers the records now published.
func (h *Host) handleRecords(w http.ResponseWriter, r *http.Request) {
	s := h.authorised(w, r, false)
	if s == nil {
		return
	}
	var in Records
	if !decode(w, r, &in) {
		return
	}
	if err := in.Check(); err != nil {
		refuse(w, http.StatusBadRequest, "bad-record", "%v", err)
		return
	}
	h.mu.Lock()
	if h.students[s.Name] != s {
		h.mu.Unlock()
		refuse(w, http.StatusUnauthorized, "not-joined", "this provider is not in the room: join first")
		return
	}
	s.records = in
	h.dnsSrv.SetZone(h.zoneData())
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, in)
}

// PublishRecords asks the host to publish these records for the
// student's domain in the room DNS, in place of the ones before; the
// host checks them first. Classmates' MXes see them with their next
// query.
func (s *Student) PublishRecords(ctx context.Context, r Records) (Records, error) {
	var out Records
	if err := s.call(ctx, "/records", r, &out); err != nil {
		return Records{}, err
	}
	s.mu.Lock()
	s.records = out
	s.mu.Unlock()
	return out, nil
}

// Records are the records the student's domain has in the room DNS.
func (s *Student) Records() Records {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.records
}
