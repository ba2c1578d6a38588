package forecast

import (
	"fmt"
	"time"
)

// result turns the simulated days into dates and words.
func (s *sim) result() Result {
	r := Result{}
	why, blockedAct := s.blocked()
	r.Beyond = why != ""
	var last int
	for i := range s.stages {
		st := &s.stages[i]
		f := StepForecast{Step: i, Kind: st.kind, Leads: st.total, Bottleneck: s.bottleneck(i, blockedAct)}
		switch {
		case st.total <= eps:
		case st.doneDay >= 0:
			f.Done = s.when(st.doneDay)
			last = max(last, st.doneDay)
		default:
			r.Beyond = true
		}
		r.Steps = append(r.Steps, f)
	}
	switch {
	case why != "":
		r.Summary = why
	case r.Beyond:
		r.Summary = fmt.Sprintf("At current limits this campaign would take more than %s; raise the daily limits or add a sender account.", s.horizonWords())
	default:
		r.Finish = s.when(last)
		r.Summary = fmt.Sprintf("At current limits this campaign finishes around %s.", s.day(r.Finish))
	}
	r.Notes = s.allNotes()
	return r
}

// when is the end of working hours on day d in the first sender's zone,
// never before Now.
func (s *sim) when(d int) time.Time {
	loc, hour, minute := s.in.Now.Location(), 23, 59
	now := s.in.Now.In(loc)
	date := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, d)
	if len(s.senders) > 0 {
		ref := &s.senders[0]
		loc, date = ref.loc, ref.date(d)
		if ref.endHour < 24 {
			hour, minute = ref.endHour, ref.endMin
		}
		now = s.in.Now.In(loc)
	}
	t := time.Date(date.Year(), date.Month(), date.Day(), hour, minute, 0, 0, loc)
	if t.Before(now) {
		return now
	}
	return t
}

// day formats a date for people: "14 Feb", with the year when it is not
// the current one.
func (s *sim) day(t time.Time) string {
	if t.Year() == s.in.Now.In(t.Location()).Year() {
		return t.Format("2 Jan")
	}
	return t.Format("2 Jan 2006")
}

func (s *sim) horizonWords() string {
	if s.in.Horizon == DefaultHorizon {
		return "a year"
	}
	return fmt.Sprintf("%d days", s.in.Horizon)
}

// blocked explains why the campaign can never finish, whatever the
// horizon, with a short reason for each action that can never happen.
func (s *sim) blocked() (string, [numActs]string) {
	var per [numActs]string
	needed := s.needed()
	if needed == [numActs]bool{} {
		return "", per
	}
	var whole, short string
	switch {
	case len(s.in.Accounts) == 0:
		whole, short = "This campaign has no sender account, so nothing can be sent; add one.", "no sender account"
	case len(s.senders) == 0:
		whole, short = "All sender accounts of this campaign are archived, so nothing can be sent; add an active account.", "all sender accounts are archived"
	case !s.anyWorkday():
		whole, short = "No active sender account has working days, so nothing can be sent; choose the days Parley may act.", "no working days"
	}
	if whole != "" {
		for act := range per {
			if needed[act] {
				per[act] = short
			}
		}
		return whole, per
	}
	for i := range s.stages {
		act := s.stages[i].act
		if !needed[act] || per[act] != "" {
			continue
		}
		if w, sh := s.never(act); w != "" {
			per[act] = sh
			if whole == "" {
				whole = w
			}
		}
	}
	return whole, per
}

// needed reports which budgets steps with leads draw on.
func (s *sim) needed() [numActs]bool {
	var n [numActs]bool
	for i := range s.stages {
		if s.stages[i].total > eps {
			n[s.stages[i].act] = true
		}
	}
	n[actNone] = false
	return n
}

func (s *sim) anyWorkday() bool {
	for i := range s.senders {
		if s.senders[i].anyDay {
			return true
		}
	}
	return false
}

// never explains why act can never be done by any sender, or returns "".
func (s *sim) never(act int) (string, string) {
	n := nouns(act)
	if campaignLimit(s.in, act) <= 0 {
		return fmt.Sprintf("The campaign's daily %s limit is 0, so no %s can be %s; raise it.", n.one, n.many, n.done),
			fmt.Sprintf("the campaign's %s limit is 0", n.one)
	}
	limited, warm := true, true
	for i := range s.senders {
		sd := &s.senders[i]
		if !sd.anyDay || sd.limit[act] <= 0 {
			continue
		}
		limited = false
		w := s.in.Warmup
		if act == actVisit || sd.warmStart.IsZero() || w.StartPerDay > 0 || w.StepPerDay > 0 {
			warm = false
		}
	}
	switch {
	case limited:
		return fmt.Sprintf("Every working sender account's daily %s limit is 0, so no %s can be %s.", n.one, n.many, n.done),
			fmt.Sprintf("every account's %s limit is 0", n.one)
	case warm:
		return fmt.Sprintf("The warm-up allows 0 %s a day and never rises, so no %s can be %s.", n.many, n.many, n.done),
			fmt.Sprintf("the warm-up allows 0 %s", n.many)
	}
	return "", ""
}

func campaignLimit(in Input, act int) int {
	switch act {
	case actVisit:
		return in.Limits.VisitsPerDay
	case actInvite:
		return in.Limits.InvitesPerDay
	case actMessage:
		return in.Limits.MessagesPerDay
	}
	return 0
}

// words name a budget in sentences: one visit, many visits, visits made.
type words struct{ one, many, done string }

func nouns(act int) words {
	switch act {
	case actVisit:
		return words{"visit", "visits", "made"}
	case actInvite:
		return words{"invite", "invites", "sent"}
	}
	return words{"message", "messages", "sent"}
}
