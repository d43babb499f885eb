package classroom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
)

// Room-wide challenges: the host hands out a troubleshooting challenge,
// a shipped one by its id or a teacher's challenge file's text, and
// withdraws it. The room passes it on as it is (this package knows no
// challenge format): each student's Maillab learns of it at join and by
// asking the host (POST /challenge) every few seconds, starts it, checks
// its goal itself and reports "solved" (POST /solved) once per round.

// Challenge is the room's challenge. Round counts hand-outs and
// withdrawals: a student learns of a change by the round, and a report
// names the round it solved. A Challenge with neither ID nor File is
// none (never handed out, or withdrawn).
type Challenge struct {
	Round int    `json:"round"`
	ID    string `json:"id,omitempty"`    // a shipped challenge: mx-nowhere, …
	File  string `json:"file,omitempty"`  // a teacher's challenge file (maillab-challenge: 1)
	Title string `json:"title,omitempty"` // for the room map and the host's screen
}

// None reports whether no challenge is handed out.
func (c Challenge) None() bool { return c.ID == "" && c.File == "" }

// Limits of a handed-out challenge: a file's text (the world in it has
// accounts and DNS records, no mail), an id and a title.
const (
	MaxChallengeBytes = 512 << 10
	maxChallengeID    = 64
	maxChallengeTitle = 200
)

// DefaultChallengePoll is how often a student asks the host for the
// room's challenge.
const DefaultChallengePoll = 5 * time.Second

// Kinds of Change for the room's challenge.
const (
	HandedOut = "challenge" // Change.Challenge is the new one
	Withdrawn = "withdrawn" // Change.Challenge is none, its new round
	Solved    = "solved"    // Change.Provider solved Change.Challenge's round
)

// HandOut hands a challenge out to the room: a shipped one by its id, or
// a challenge file's text (exactly one of them), with a title the room
// map shows. Every student learns of it within a poll; the solved marks
// of the round before are gone.
func (h *Host) HandOut(id, file, title string) (Challenge, error) {
	id, title = strings.TrimSpace(id), strings.TrimSpace(title)
	switch {
	case (id == "") == (file == ""):
		return Challenge{}, errors.New("classroom: hand out a challenge's id or a challenge file, one of them")
	case len(id) > maxChallengeID || strings.ContainsFunc(id, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') }):
		return Challenge{}, fmt.Errorf("classroom: %q is no challenge id", id)
	case len(file) > MaxChallengeBytes:
		return Challenge{}, fmt.Errorf("classroom: a challenge file handed out to the room may have at most %d KiB", MaxChallengeBytes>>10)
	case len(title) > maxChallengeTitle || strings.ContainsFunc(title, unicode.IsControl):
		return Challenge{}, fmt.Errorf("classroom: a challenge's title is one line of at most %d characters", maxChallengeTitle)
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return Challenge{}, errors.New("classroom: the room is closed")
	}
	h.round++
	h.challenge = Challenge{Round: h.round, ID: id, File: file, Title: title}
	h.solved = map[string]bool{}
	c := h.challenge
	h.mu.Unlock()
	h.notify(Change{Kind: HandedOut, Challenge: &c})
	return c, nil
}

// Withdraw takes the room's challenge back: students' Maillabs stop it.
// Withdrawing when none is handed out does nothing.
func (h *Host) Withdraw() {
	h.mu.Lock()
	if h.challenge.None() {
		h.mu.Unlock()
		return
	}
	h.round++
	h.challenge = Challenge{Round: h.round}
	h.solved = map[string]bool{}
	c := h.challenge
	h.mu.Unlock()
	h.notify(Change{Kind: Withdrawn, Challenge: &c})
}

// Challenge is the room's challenge now.
func (h *Host) Challenge() Challenge {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.challenge
}

// SolvedBy lists who solved the room's challenge in its round, by name.
func (h *Host) SolvedBy() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for name := range h.solved {
		out = append(out, name)
	}
	return out
}

// roundRequest names the round a student knows (/challenge) or solved
// (/solved).
type roundRequest struct {
	Round int `json:"round"`
}

// handleChallenge answers a student's question for the room's challenge:
// 204 when the round it knows is the room's, else the challenge (none
// when withdrawn).
func (h *Host) handleChallenge(w http.ResponseWriter, r *http.Request) {
	s := h.authorised(w, r, true)
	if s == nil {
		return
	}
	var in roundRequest
	if !decode(w, r, &in) {
		return
	}
	h.mu.Lock()
	c := h.challenge
	h.mu.Unlock()
	if in.Round == c.Round {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// handleSolved records that the student solved the round's challenge:
// once (a second report changes nothing), and only for the challenge the
// room has now.
func (h *Host) handleSolved(w http.ResponseWriter, r *http.Request) {
	s := h.authorised(w, r, false)
	if s == nil {
		return
	}
	var in roundRequest
	if !decode(w, r, &in) {
		return
	}
	h.mu.Lock()
	c := h.challenge
	if c.None() || in.Round != c.Round {
		h.mu.Unlock()
		refuse(w, http.StatusConflict, "stale-challenge", "round %d is not the room's challenge (round %d)", in.Round, c.Round)
		return
	}
	first := !h.solved[s.Name]
	h.solved[s.Name] = true
	p := s.Provider
	h.mu.Unlock()
	if first {
		h.notify(Change{Kind: Solved, Provider: &p, Challenge: &Challenge{Round: c.Round, ID: c.ID, Title: c.Title}})
	}
	w.WriteHeader(http.StatusNoContent)
}

// Challenge is the room's challenge as this student knows it: from the
// join, then from the host's answers.
func (s *Student) Challenge() Challenge {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.JoinReply.Challenge
}

// ReportSolved tells the host the student solved the challenge of round:
// once per round (a second call sends nothing). A report that does not
// reach the host is sent again with the next poll.
func (s *Student) ReportSolved(ctx context.Context, round int) error {
	s.mu.Lock()
	if s.solvedSent == round && round != 0 {
		s.mu.Unlock()
		return nil
	}
	s.solvedWant = round
	s.mu.Unlock()
	return s.sendSolved(ctx)
}

func (s *Student) sendSolved(ctx context.Context) error {
	s.mu.Lock()
	round := s.solvedWant
	s.mu.Unlock()
	if round == 0 {
		return nil
	}
	err := s.call(ctx, "/solved", roundRequest{Round: round}, nil)
	var je *JoinError
	if err != nil && !(errors.As(err, &je) && je.Reason == "stale-challenge") {
		return err // sent again with the next poll
	}
	s.mu.Lock()
	if s.solvedWant == round {
		s.solvedWant = 0
		if err == nil {
			s.solvedSent = round
		}
	}
	s.mu.Unlock()
	return err
}

// pollChallenge asks the host for the room's challenge until Stop, and
// sends a solved report that did not get through.
func (s *Student) pollChallenge() {
	defer close(s.pollDone)
	every := s.opts.ChallengePoll
	if every <= 0 {
		every = DefaultChallengePoll
	}
	t := time.NewTicker(every)
	defer t.Stop()
	// Stop ends a question under way: a host that does not answer does
	// not hold up leaving.
	stop, cancelStop := context.WithCancel(context.Background())
	defer cancelStop()
	go func() {
		select {
		case <-s.stopRep:
			cancelStop()
		case <-stop.Done():
		}
	}()
	for {
		select {
		case <-stop.Done():
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(stop, s.opts.Timeout)
		s.sendSolved(ctx)
		s.PollChallenge(ctx)
		cancel()
	}
}

// PollChallenge asks the host for the room's challenge now and tells
// OnChallenge of a change. The poller calls it every few seconds.
func (s *Student) PollChallenge(ctx context.Context) (Challenge, error) {
	s.mu.Lock()
	known := s.JoinReply.Challenge
	s.mu.Unlock()
	var c Challenge
	if err := s.call(ctx, "/challenge", roundRequest{Round: known.Round}, &c); err != nil {
		return known, err
	}
	if c.Round == 0 && c.None() {
		return known, nil // 204: unchanged
	}
	s.mu.Lock()
	changed := c.Round != s.JoinReply.Challenge.Round
	if changed {
		s.JoinReply.Challenge = c
	}
	s.mu.Unlock()
	if changed && s.opts.OnChallenge != nil {
		s.opts.OnChallenge(c)
	}
	return c, nil
}
