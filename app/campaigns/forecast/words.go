package forecast

import (
	"fmt"
	"strings"
	"time"

	"parley/app/model"
)

// bottleneck says what set the pace of stage i.
func (s *sim) bottleneck(i int, blocked [numActs]string) string {
	st := &s.stages[i]
	switch {
	case st.total <= eps:
		return "nothing to do"
	case st.wait:
		return s.waitWords(st)
	case st.act == actNone:
		return "not a known step kind; counted as done at once"
	case blocked[st.act] != "":
		return blocked[st.act]
	case st.bound[reasonWeekly] && st.bound[reasonWarmup]:
		return s.weeklyWords(st) + "; " + s.warmupWords(st)
	case st.bound[reasonWeekly]:
		return s.weeklyWords(st)
	case st.bound[reasonWarmup]:
		return s.warmupWords(st)
	case st.bound[reasonDaily]:
		return s.dailyWords(st.act)
	case i == 0 || s.stages[i-1].total <= eps:
		return "no limit reached"
	}
	return "no limit reached; paced by the steps before it"
}

func (s *sim) waitWords(st *stage) string {
	a := s.in.Assume
	switch {
	case a.AcceptRate <= 0:
		return fmt.Sprintf("waiting %d days; nobody is assumed to accept", st.timeoutDays)
	case st.accept <= 0:
		return fmt.Sprintf("waiting %d days, less than the %d days acceptance is assumed to take", st.timeoutDays, st.acceptDays)
	case st.timeoutDays == st.acceptDays:
		return fmt.Sprintf("waiting for acceptance: %s accept after %d days", percent(st.accept), st.acceptDays)
	}
	return fmt.Sprintf("waiting for acceptance: %s accept after %d days, the rest leave after %d days",
		percent(st.accept), st.acceptDays, st.timeoutDays)
}

func (s *sim) weeklyWords(st *stage) string {
	sd := &s.senders[st.weeklyWho]
	same := true
	for i := range s.senders {
		same = same && s.senders[i].weekly == sd.weekly
	}
	switch {
	case same && len(s.senders) == 1:
		return fmt.Sprintf("weekly cap: %d invites a week", sd.weekly)
	case same:
		return fmt.Sprintf("weekly cap: %d invites a week per account", sd.weekly)
	}
	return fmt.Sprintf("weekly cap of %s: %d invites a week", sd.name, sd.weekly)
}

func (s *sim) warmupWords(st *stage) string {
	sd := &s.senders[st.warmWho]
	n := nouns(st.act)
	who := ""
	if len(s.senders) > 1 {
		who = " of " + sd.name
	}
	full, ok := sd.warmFull(s.in.Warmup, st.act)
	if !ok {
		return fmt.Sprintf("warm-up%s: %.0f %s a day", who, st.warmCap, n.many)
	}
	return fmt.Sprintf("warm-up%s: %.0f %s a day, rising to %d by %s", who, st.warmCap, n.many, sd.limit[st.act], s.day(full))
}

// dailyWords describes the daily budgets of the senders able to act.
func (s *sim) dailyWords(act int) string {
	var total, count, first int
	same := true
	for i := range s.senders {
		sd := &s.senders[i]
		if !sd.anyDay || sd.limit[act] <= 0 {
			continue
		}
		if count == 0 {
			first = sd.limit[act]
		}
		same = same && sd.limit[act] == first
		total += sd.limit[act]
		count++
	}
	n := nouns(act)
	switch {
	case count == 1:
		return fmt.Sprintf("%d %s a day", total, n.many)
	case same:
		return fmt.Sprintf("%d %s a day per account × %d accounts", first, n.many, count)
	}
	return fmt.Sprintf("%d %s a day across %d accounts", total, n.many, count)
}

// allNotes lists the facts worth showing under the summary.
func (s *sim) allNotes() []string {
	notes := append([]string(nil), s.notes...)
	if z := s.zoneNote(); z != "" {
		notes = append(notes, z)
	}
	notes = append(notes, s.warmupNotes()...)
	for i := range s.stages {
		if st := &s.stages[i]; st.bound[reasonWeekly] {
			sd := &s.senders[st.weeklyWho]
			notes = append(notes, fmt.Sprintf("%s's weekly cap of %d invites holds invites back. Only this campaign's invites are counted, so other campaigns on the account would make it slower.", sd.name, sd.weekly))
		}
	}
	return append(notes, s.assumptionNotes()...)
}

// zoneNote says which zone dates are in when the senders' zones differ.
func (s *sim) zoneNote() string {
	for i := 1; i < len(s.senders); i++ {
		if s.senders[i].loc.String() != s.senders[0].loc.String() {
			return fmt.Sprintf("Dates are in the time zone of %s (%s).", s.senders[0].name, s.senders[0].loc)
		}
	}
	return ""
}

func (s *sim) warmupNotes() []string {
	var notes []string
	needed := s.needed()
	w := s.in.Warmup
	for i := range s.senders {
		sd := &s.senders[i]
		var caps []string
		var last time.Time
		never := false
		for _, act := range []int{actInvite, actMessage} {
			c := w.Cap(sd.warmStart, sd.today, sd.limit[act])
			if !needed[act] || c >= sd.limit[act] {
				continue
			}
			caps = append(caps, fmt.Sprintf("%d %s", max(c, 0), nouns(act).many))
			full, ok := sd.warmFull(w, act)
			never = never || !ok
			if full.After(last) {
				last = full
			}
		}
		if len(caps) == 0 {
			continue
		}
		until := ", full limits from " + s.day(last)
		if never {
			until = "; the warm-up never reaches the full limits"
		}
		notes = append(notes, fmt.Sprintf("%s is warming up: at most %s a day for now%s.", sd.name, strings.Join(caps, " and "), until))
	}
	return notes
}

// assumptionNotes states the rates and simplifications that shaped the
// dates, when they matter to this campaign.
func (s *sim) assumptionNotes() []string {
	var notes []string
	var accepts, replies bool
	var wait *model.Step
	for i := range s.stages {
		st := &s.stages[i]
		if st.total <= eps {
			continue
		}
		step := &s.in.Steps[i]
		last := i+1 == len(s.stages)
		accepts = accepts || st.wait || (st.act == actInvite && !last && isMessage(s.in.Steps[i+1].Kind))
		replies = replies || (isMessage(st.kind) && !last)
		if st.wait && wait == nil && step.WaitDays > 0 {
			wait = step
		}
	}
	a := s.in.Assume
	if accepts {
		notes = append(notes, fmt.Sprintf("Assumed: %s of invites are accepted, %d days after the invite.", percent(a.AcceptRate), a.AcceptAfterDays))
	}
	if replies {
		notes = append(notes, fmt.Sprintf("Assumed: %s of leads reply to each message, before the next follow-up.", percent(a.ReplyRate)))
	}
	if wait != nil {
		what := "leave the campaign"
		if wait.OnTimeout == model.TimeoutWithdraw {
			what = "are withdrawn; withdrawals are not counted against any budget"
		}
		notes = append(notes, fmt.Sprintf("Invites not accepted within %d days %s.", wait.WaitDays, what))
	}
	for _, n := range s.in.Waiting {
		if n > 0 {
			return append(notes, "Enrolled leads still waiting on a delay are counted as ready now.")
		}
	}
	return notes
}

func percent(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }
