package forecast

import (
	"fmt"
	"time"

	"parley/app/model"
)

// Reasons a day's budget is what it is.
const (
	reasonNone   = iota // not a working day for the account
	reasonDaily         // the campaign's or the account's daily limit
	reasonWarmup        // the warm-up limit of that date
	reasonWeekly        // the weekly invite limit
	numReasons
)

// sender is an active account as the simulation sees it.
type sender struct {
	name      string
	loc       *time.Location
	today     time.Time // local today as a civil date (midnight UTC)
	openToday bool      // local time is before the end of working hours
	endHour   int       // end of working hours, for Done times
	endMin    int
	workdays  [7]bool
	anyDay    bool
	limit     [numActs]int // min(campaign share, account limit) per day
	weekly    int          // invites a week; 0: no weekly limit
	warmStart time.Time
	used      [numActs]int // already done today
	weekUsed  float64      // invites this local week

	// Today's budgets, spent as steps are served, and why they are what
	// they are.
	budget [numActs]float64
	why    [numActs]int
}

// newSenders returns the active accounts and notes about problems found
// in their settings.
func newSenders(in Input) ([]sender, []string) {
	var out []sender
	var notes []string
	for _, a := range in.Accounts {
		if a.Archived() {
			continue
		}
		s := sender{name: a.Name, warmStart: a.WarmupStart, weekly: max(a.Limits.InvitesPerWeek, 0)}
		loc, err := time.LoadLocation(a.TimeZone)
		if err != nil || a.TimeZone == "" {
			loc = time.UTC
			notes = append(notes, fmt.Sprintf("%s has no valid time zone (%q); UTC is used.", a.Name, a.TimeZone))
		}
		s.loc = loc
		local := in.Now.In(loc)
		s.today = time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
		end := minutes(a.WorkEnd, 24*60)
		s.endHour, s.endMin = end/60, end%60
		s.openToday = local.Hour()*60+local.Minute() < end
		for _, d := range a.WorkDays {
			if d >= time.Sunday && d <= time.Saturday {
				s.workdays[d], s.anyDay = true, true
			}
		}
		s.limit[actVisit] = max(min(in.Limits.VisitsPerDay, a.Limits.VisitsPerDay), 0)
		s.limit[actInvite] = max(min(in.Limits.InvitesPerDay, a.Limits.InvitesPerDay), 0)
		s.limit[actMessage] = max(min(in.Limits.MessagesPerDay, a.Limits.MessagesPerDay), 0)
		u := in.UsedToday[a.ID]
		s.used = [numActs]int{actVisit: u.VisitsPerDay, actInvite: u.InvitesPerDay, actMessage: u.MessagesPerDay}
		s.weekUsed = float64(max(u.InvitesPerDay, 0))
		out = append(out, s)
	}
	return out, notes
}

// minutes parses "HH:MM" into minutes after midnight, or returns def.
func minutes(hhmm string, def int) int {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return def
	}
	return t.Hour()*60 + t.Minute()
}

// date is the civil date of day d for the sender.
func (s *sender) date(d int) time.Time { return s.today.AddDate(0, 0, d) }

// startDay sets the sender's budgets for day d.
func (s *sender) startDay(d int, w model.Warmup) {
	date := s.date(d)
	if d > 0 && date.Weekday() == time.Monday {
		s.weekUsed = 0
	}
	s.budget, s.why = [numActs]float64{}, [numActs]int{}
	if !s.workdays[date.Weekday()] || (d == 0 && !s.openToday) {
		return
	}
	for act := actVisit; act < numActs; act++ {
		n, why := s.limit[act], reasonDaily
		if act != actVisit {
			if c := w.Cap(s.warmStart, date, n); c < n {
				n, why = c, reasonWarmup
			}
		}
		if d == 0 {
			n -= s.used[act]
		}
		b := float64(max(n, 0))
		if act == actInvite && s.weekly > 0 {
			if left := max(float64(s.weekly)-s.weekUsed, 0); left < b {
				b, why = left, reasonWeekly
			}
		}
		s.budget[act], s.why[act] = b, why
	}
}

// warmFull is the first date the warm-up no longer holds back act, and
// whether that ever happens.
func (s *sender) warmFull(w model.Warmup, act int) (time.Time, bool) {
	n := s.limit[act]
	if s.warmStart.IsZero() || w.StartPerDay >= n {
		return s.warmStart, true
	}
	if w.StepPerDay <= 0 {
		return time.Time{}, false
	}
	days := (n - w.StartPerDay + w.StepPerDay - 1) / w.StepPerDay
	start := time.Date(s.warmStart.Year(), s.warmStart.Month(), s.warmStart.Day(), 0, 0, 0, 0, time.UTC)
	return start.AddDate(0, 0, days), true
}
