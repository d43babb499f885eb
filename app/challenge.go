package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"maillab/lessons/challenge"
	"maillab/lessons/i18n"
	sim "maillab/simulator/challenge"
	"maillab/simulator/scenario"
)

// Troubleshooting challenges (#18): startChallenge opens a challenge's
// broken world in the live run; the learner fixes it (World file dialog,
// settings, setDNS); checkChallenge sends the challenge's test mail as the
// world's devices are set up and checks the goal; nextHint reveals the
// hints one at a time; the explanation comes with "solved".

// challengeTestTimeout bounds one test run (send, queue, fetch).
const challengeTestTimeout = 30 * time.Second

// challengeState is the challenge of this app, if any.
type challengeState struct {
	mu      sync.Mutex
	cur     *challenge.Challenge // nil when none runs
	hints   int                  // hints shown
	solved  bool                 // the goal was met once
	last    *sim.Result          // the last check
	testErr string               // why the last test stopped early
	// roomRound is the round of the room's challenge when cur is the one
	// the classroom's host handed out (0: the student's own choice);
	// reported: the host took its "solved" (roomchallenge.go).
	roomRound int
	reported  bool
}

func (a *App) chal() *challengeState { return &a.chall }

// clientErrorKey is the catalogue text of key in lang as an error.
func clientErrorKey(lang, key string, params map[string]string) error {
	return errors.New(i18n.T(lang, key, params))
}

// ChallengeInfo is one challenge in the list.
type ChallengeInfo struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Task  string `json:"task"`
	Hints int    `json:"hints"`
}

// ChallengeFact is one part of the goal as the dialog shows it.
type ChallengeFact struct {
	Key  string `json:"key"`
	Text string `json:"text"`
	Met  bool   `json:"met"`
	Got  string `json:"got,omitempty"`
}

// ChallengeStatus is where the running challenge stands.
type ChallengeStatus struct {
	ID          string          `json:"id"`            // "" when none runs; "file" for a teacher's challenge file
	Own         bool            `json:"own,omitempty"` // a teacher's challenge file, not a shipped one
	Title       string          `json:"title,omitempty"`
	Task        string          `json:"task,omitempty"`
	Goal        []ChallengeFact `json:"goal"`    // the facts, met or not as last checked
	Checked     bool            `json:"checked"` // a test ran in this challenge
	Met         bool            `json:"met"`     // the last check met the goal
	Solved      bool            `json:"solved"`  // met at least once
	TestError   string          `json:"testError,omitempty"`
	Hints       []string        `json:"hints"` // the hints shown so far
	HintsTotal  int             `json:"hintsTotal"`
	Explanation string          `json:"explanation,omitempty"` // once solved
	// Room: the classroom's host handed this challenge out; Reported: the
	// host's room map knows it is solved.
	Room     bool `json:"room,omitempty"`
	Reported bool `json:"reported,omitempty"`
}

// Challenges lists the troubleshooting challenges in lang.
func (a *App) Challenges(lang string) ([]ChallengeInfo, error) {
	lang = exportLang(lang)
	out := []ChallengeInfo{}
	for _, c := range challenge.All() {
		out = append(out, ChallengeInfo{ID: c.ID, Title: i18n.T(lang, c.TitleKey(), nil),
			Task: i18n.T(lang, c.TaskKey(), nil), Hints: c.Hints})
	}
	return out, nil
}

// StartChallenge opens the challenge's broken world in the live run (every
// later run uses it too, as with openWorld) and starts the challenge
// afresh: no hints shown, not solved.
func (a *App) StartChallenge(id, lang string) (ChallengeStatus, error) {
	lang = exportLang(lang)
	c, ok := challenge.ByID(id)
	if !ok {
		return ChallengeStatus{}, clientErrorKey(lang, "ui.challenge.err.unknown", map[string]string{"id": id})
	}
	return a.startChallenge(c, lang)
}

// startChallenge opens c's world in the live run and starts c afresh.
func (a *App) startChallenge(c challenge.Challenge, lang string) (ChallengeStatus, error) {
	return a.startChallengeRound(c, 0, lang)
}

// startChallengeRound starts c, the room's challenge of round (0: not
// the room's). In a classroom the room provider keeps running beside c's
// world: the live run starts again with both.
func (a *App) startChallengeRound(c challenge.Challenge, round int, lang string) (ChallengeStatus, error) {
	a.mu.Lock()
	a.scenario = scenario.LiveID
	a.mu.Unlock()
	if _, err := a.OpenWorld(c.World); err != nil {
		return ChallengeStatus{}, err
	}
	s := a.chal()
	s.mu.Lock()
	s.cur, s.hints, s.solved, s.last, s.testErr = &c, 0, false, nil, ""
	s.roomRound, s.reported = round, false
	s.mu.Unlock()
	return a.ChallengeStatus(lang)
}

// CheckChallenge runs the challenge's test in the current world — the
// test mail from the device the challenge names, sent as the world file
// sets that device up, then the devices that check mail — and checks the
// goal. A scripted lesson's stepped run is replaced by the live world
// first, so the test never waits for Step.
func (a *App) CheckChallenge(lang string) (ChallengeStatus, error) {
	lang = exportLang(lang)
	s := a.chal()
	s.mu.Lock()
	c := s.cur
	s.mu.Unlock()
	if c == nil {
		return ChallengeStatus{}, clientErrorKey(lang, "ui.challenge.err.none", nil)
	}
	if a.stepped() || a.currentRun() == nil {
		if _, err := a.Start(scenario.LiveID); err != nil {
			return ChallengeStatus{}, err
		}
	}
	run := a.currentRun()
	if run == nil {
		return ChallengeStatus{}, ErrNoRun
	}
	ctx, cancel := context.WithTimeout(context.Background(), challengeTestTimeout)
	defer cancel()
	testErr := sim.Run(ctx, run.World, c.Test)
	res := sim.Check(run.World, c.Goal)
	a.opts.Hub.Publish(EventSnapshot, run.World.Snapshot())
	s.mu.Lock()
	s.last, s.testErr = &res, ""
	if testErr != nil {
		s.testErr = testErr.Error()
		var se *sim.StepError
		if errors.As(testErr, &se) {
			s.testErr = i18n.T(lang, "challenge.step."+se.Step, map[string]string{"device": se.Device, "error": se.Err.Error()})
		}
	}
	s.solved = s.solved || res.Met
	round := 0
	if s.solved && s.cur == c {
		round = s.roomRound
	}
	s.mu.Unlock()
	if round != 0 {
		a.reportRoomSolved(round)
	}
	return a.ChallengeStatus(lang)
}

// ChallengeStatus says where the running challenge stands, without
// running anything (viewers may ask).
func (a *App) ChallengeStatus(lang string) (ChallengeStatus, error) {
	lang = exportLang(lang)
	s := a.chal()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cur
	if c == nil {
		return ChallengeStatus{Goal: []ChallengeFact{}, Hints: []string{}}, nil
	}
	st := ChallengeStatus{ID: c.ID, Title: c.Title(lang), Task: c.Task(lang), Own: c.Own != nil,
		HintsTotal: c.Hints, Solved: s.solved, TestError: s.testErr, Hints: []string{}, Room: s.roomRound != 0, Reported: s.reported}
	res := s.last
	if res == nil {
		// not checked yet: the goal's facts, none met
		r := sim.Check(nil, c.Goal)
		res = &r
	} else {
		st.Checked, st.Met = true, res.Met
	}
	for _, f := range res.Facts {
		st.Goal = append(st.Goal, ChallengeFact{Key: f.Key, Text: factText(lang, f), Met: f.Met && s.last != nil, Got: f.Got})
	}
	for n := 1; n <= s.hints; n++ {
		st.Hints = append(st.Hints, c.Hint(lang, n))
	}
	if s.solved {
		st.Explanation = c.Explanation(lang)
	}
	return st, nil
}

// NextHint shows one more hint of the running challenge.
func (a *App) NextHint(lang string) (ChallengeStatus, error) {
	lang = exportLang(lang)
	s := a.chal()
	s.mu.Lock()
	c := s.cur
	if c != nil && s.hints < c.Hints {
		s.hints++
	}
	s.mu.Unlock()
	if c == nil {
		return ChallengeStatus{}, clientErrorKey(lang, "ui.challenge.err.none", nil)
	}
	return a.ChallengeStatus(lang)
}

// factText is a goal fact in words.
func factText(lang string, f sim.Fact) string { return challenge.FactText(lang, f) }

func (a *App) currentRun() *scenario.Run {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.run
}
