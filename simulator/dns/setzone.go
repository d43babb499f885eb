package dns

// SetZone replaces every record the server answers with z's (a student
// edited a zone); queries already answered keep their answers.
func (s *Server) SetZone(z Zone) {
	r := index(z)
	s.zmu.Lock()
	defer s.zmu.Unlock()
	s.zone = r
}

// Forget drops every cached answer, as if each TTL had run out: the world
// does this when a zone changes, so the next query sees the new records.
func (r *Resolver) Forget() {
	r.cache.mu.Lock()
	defer r.cache.mu.Unlock()
	clear(r.cache.answers)
}
