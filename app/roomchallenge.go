package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"maillab/lessons/challenge"
	"maillab/lessons/i18n"
	"maillab/simulator/classroom"
)

// Room-wide challenges (#19): the host hands out a shipped challenge or a
// teacher's challenge file (simulator/classroom passes it on as it is);
// each student's Maillab starts it as the sandbox does — its broken world
// in the live run, with the room provider still running beside it — and,
// once its own check meets the goal, reports "solved" to the host, whose
// room screen shows it per student.

// ChallengesChanged is EventOpen's payload when the room withdrew its
// challenge: a Challenges dialog that is open asks again (one that is
// closed stays closed).
const ChallengesChanged = "challenges-changed"

// solvedTimeout bounds the report of a solved challenge in a check.
const solvedTimeout = 3 * time.Second

// RoomChallenge is the room's challenge on the host's screen.
type RoomChallenge struct {
	Round  int    `json:"round"`
	ID     string `json:"id,omitempty"` // a shipped challenge's id; "" for a challenge file
	Own    bool   `json:"own,omitempty"`
	Title  string `json:"title"`
	Solved int    `json:"solved"` // students in the room who solved it
	Of     int    `json:"of"`     // students in the room
	// SolvedLine says "N of M solved" in the language asked for.
	SolvedLine string `json:"solvedLine"`
}

// loadRoomChallenge is the challenge the room handed out.
func loadRoomChallenge(c classroom.Challenge) (challenge.Challenge, error) {
	return challenge.Resolve(c.ID, c.File)
}

// HandOutChallenge hands a shipped challenge out to the room this app
// hosts: every student's Maillab starts it.
func (a *App) HandOutChallenge(id, lang string) (RoomScreen, error) {
	lang = exportLang(lang)
	c, ok := challenge.ByID(id)
	if !ok {
		return RoomScreen{}, clientErrorKey(lang, "ui.challenge.err.unknown", map[string]string{"id": id})
	}
	return a.handOut(c.ID, "", c.Title(lang), lang)
}

// HandOutChallengeText hands out the challenge a teacher's challenge
// file holds. A file that cannot be played is refused, naming each wrong
// field, and nothing is handed out.
func (a *App) HandOutChallengeText(text, lang string) (RoomScreen, error) {
	lang = exportLang(lang)
	f, err := challenge.LoadFile(strings.NewReader(text))
	if err != nil {
		return RoomScreen{}, err
	}
	c, err := f.Challenge()
	if err != nil {
		return RoomScreen{}, err
	}
	return a.handOut("", text, c.Title(lang), lang)
}

// HandOutChallengeFile asks which challenge file to hand out and hands it
// out (HandOutChallengeText); nil when the user cancelled. Only the
// desktop window has the dialog; a browser reads the file itself.
func (a *App) HandOutChallengeFile(lang string) (*RoomScreen, error) {
	lang = exportLang(lang)
	data, err := a.openDialogFile("challenge", lang)
	if err != nil || data == nil {
		return nil, err
	}
	s, err := a.HandOutChallengeText(string(data), lang)
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func (a *App) handOut(id, file, title, lang string) (RoomScreen, error) {
	r := &a.room
	r.mu.Lock()
	h := r.host
	r.mu.Unlock()
	if h == nil {
		return RoomScreen{}, clientErrorKey(lang, "ui.room.error.not-open", nil)
	}
	if _, err := h.HandOut(id, file, title); err != nil {
		return RoomScreen{}, clientErrorKey(lang, "ui.room.error.handout", map[string]string{"err": err.Error()})
	}
	return a.RoomScreen(lang, 0)
}

// WithdrawChallenge takes the room's challenge back: the students'
// Maillabs stop it (their worlds keep running as they are).
func (a *App) WithdrawChallenge() error {
	r := &a.room
	r.mu.Lock()
	h := r.host
	r.mu.Unlock()
	if h != nil {
		h.Withdraw()
	}
	return nil
}

// roomChallengeLocked is the room's challenge with its count; r.mu is held.
func (r *roomState) roomChallengeLocked(lang string) *RoomChallenge {
	c := r.challenge
	if c.None() {
		return nil
	}
	rc := &RoomChallenge{Round: c.Round, ID: c.ID, Own: c.ID == "", Title: c.Title}
	for _, n := range r.nodes {
		if n.Online {
			rc.Of++
			if n.Solved {
				rc.Solved++
			}
		}
	}
	rc.SolvedLine = i18n.T(lang, "ui.room.solved-count", map[string]string{"n": strconv.Itoa(rc.Solved), "m": strconv.Itoa(rc.Of)})
	return rc
}

// watchChallengeLocked takes a change of the room's challenge; r.mu is
// held. It reports whether the change is one for the log.
func (r *roomState) watchChallengeLocked(c classroom.Change, e *RoomEntry) bool {
	switch c.Kind {
	case classroom.HandedOut, classroom.Withdrawn:
		r.challenge = *c.Challenge
		for _, n := range r.nodes {
			n.Solved = false
		}
		e.Title = c.Challenge.Title
		if c.Kind == classroom.Withdrawn {
			e.Title = r.lastTitle
		}
		r.lastTitle = c.Challenge.Title
		return true
	case classroom.Solved:
		if c.Challenge.Round != r.challenge.Round {
			return false
		}
		e.Domain, e.Title = c.Provider.Domain, c.Challenge.Title
		if n := r.nodes[c.Provider.Domain]; n != nil {
			n.Solved = true
		}
		return true
	}
	return false
}

// The student's side: the room's challenge in this Maillab.

// onRoomChallenge is the student's OnChallenge: it must not block (the
// poller calls it), so the challenge starts in a goroutine of its own,
// one change at a time, and only if it is still the room's newest.
func (a *App) onRoomChallenge(s *classroom.Student) func(classroom.Challenge) {
	return func(classroom.Challenge) {
		go func() {
			a.roomChalMu.Lock()
			defer a.roomChalMu.Unlock()
			a.applyRoomChallenge(s, s.Challenge())
		}()
	}
}

// applyRoomChallenge starts the room's challenge c in this Maillab, or
// stops the one the room had handed out when c is none. A challenge the
// student started on her own is left alone by a withdrawal.
func (a *App) applyRoomChallenge(s *classroom.Student, c classroom.Challenge) {
	a.mu.Lock()
	joined := a.joined == s
	a.mu.Unlock()
	if !joined {
		return
	}
	st := a.chal()
	if c.None() {
		st.mu.Lock()
		dropped := st.roomRound != 0
		if dropped {
			st.cur, st.roomRound, st.reported, st.hints, st.solved, st.last, st.testErr = nil, 0, false, 0, false, nil, ""
		}
		st.mu.Unlock()
		if dropped {
			a.opts.Hub.Publish(EventOpen, ChallengesChanged) // an open dialog shows it is gone
		}
		return
	}
	st.mu.Lock()
	same := st.roomRound == c.Round
	st.mu.Unlock()
	if same {
		return
	}
	ch, err := loadRoomChallenge(c)
	if err != nil {
		return // a Maillab older than the host's: it lacks the challenge
	}
	if _, err := a.startChallengeRound(ch, c.Round, "en"); err != nil {
		return
	}
	a.opts.Hub.Publish(EventOpen, "challenges")
}

// reportRoomSolved tells the room's host the student solved its
// challenge, once; a report that does not get through goes again with
// the next poll.
func (a *App) reportRoomSolved(round int) {
	a.mu.Lock()
	s := a.joined
	a.mu.Unlock()
	if s == nil || round == 0 || s.Challenge().Round != round {
		return
	}
	// Briefly: the check waits for it. A report that does not get through
	// goes again with the poller's next question.
	ctx, cancel := context.WithTimeout(context.Background(), solvedTimeout)
	defer cancel()
	if s.ReportSolved(ctx, round) == nil {
		st := a.chal()
		st.mu.Lock()
		if st.roomRound == round {
			st.reported = true
		}
		st.mu.Unlock()
	}
}
