package runtime

import (
	"fmt"
	"time"

	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/storage"
)

// Health periods.
const (
	PeriodHour = "hour"
	PeriodDay  = "day"
)

// Health retention: hourly snapshots for two weeks, daily ones for a
// little over a year.
const (
	keepHourly = 14 * 24 * time.Hour
	keepDaily  = 400 * 24 * time.Hour
)

// Stat counter names (per account, per hour and per UTC day).
const (
	statDead      = "dead"
	statChallenge = "challenge"
)

func outcomeStat(kind string) string { return "out:" + kind }

func hourStat(t time.Time, name string) string {
	return "stat:" + t.UTC().Format("2006-01-02T15") + ":" + name
}

func dayStat(t time.Time, name string) string {
	return "statd:" + t.UTC().Format("2006-01-02") + ":" + name
}

// bump counts one occurrence in the account's hourly and daily stats.
func bump(tx *storage.Tx, accountID uint64, name string) error {
	now := tx.Now()
	if err := tx.AddAccountUsage(accountID, hourStat(now, name), 1); err != nil {
		return err
	}
	return tx.AddAccountUsage(accountID, dayStat(now, name), 1)
}

// jobKinds are the kinds whose attempts a snapshot counts.
var jobKinds = []string{model.JobVisit, model.JobInvite, model.JobCheckAccept, model.JobMessage,
	model.JobWithdraw, model.JobCheckInbox, model.JobCanary}

// Health returns up to n of an account's newest health snapshots of a
// period (PeriodHour or PeriodDay), oldest first.
func (r *Runtime) Health(accountID uint64, period string, n int) ([]model.HealthSnapshot, error) {
	if period != PeriodHour && period != PeriodDay {
		return nil, model.Errorf(model.CodeInvalid, "period must be %q or %q", PeriodHour, PeriodDay)
	}
	n = min(max(n, 1), 24*31)
	var out []model.HealthSnapshot
	err := r.store.View(func(tx *storage.Tx) error {
		if _, err := tx.Account(accountID); err != nil {
			return err
		}
		var err error
		out, err = tx.HealthSnapshots(accountID, period, n)
		return err
	})
	return out, err
}

// SnapshotHealth brings every active account's snapshots up to date: each
// hour and local day since the last pass (at most two days back, so a
// Parley that was off catches up), the current ones included. It
// announces level changes. The scheduler calls it every few minutes.
func (r *Runtime) SnapshotHealth() error {
	return r.store.Update(func(tx *storage.Tx) error {
		now := tx.Now()
		st, err := ReadSettings(tx)
		if err != nil {
			return err
		}
		accounts, err := tx.Accounts(false)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if err := r.snapshotAccount(tx, a, st, now); err != nil {
				return err
			}
		}
		return nil
	})
}

const markHealth = "health"

func (r *Runtime) snapshotAccount(tx *storage.Tx, a model.Account, st Settings, now time.Time) error {
	last := tx.AccountMark(markHealth, a.ID)
	from := now.Add(-48 * time.Hour)
	if last.After(from) {
		from = last
	}
	hour := now.UTC().Truncate(time.Hour)
	for t := from.UTC().Truncate(time.Hour); !t.After(hour); t = t.Add(time.Hour) {
		if err := tx.PutHealth(snapshot(tx, a, st, PeriodHour, t, t.Add(time.Hour))); err != nil {
			return err
		}
	}
	midnight := func(t time.Time) time.Time {
		l := t.In(zone(a))
		return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, l.Location())
	}
	today := midnight(now)
	for d := midnight(from); !d.After(today); d = d.AddDate(0, 0, 1) {
		h := snapshot(tx, a, st, PeriodDay, d, d.AddDate(0, 0, 1))
		if err := tx.PutHealth(h); err != nil {
			return err
		}
		if d.Equal(today) {
			if err := announceLevel(tx, a, h); err != nil {
				return err
			}
		}
	}
	if err := tx.SetAccountMark(markHealth, a.ID, now); err != nil {
		return err
	}
	if _, err := tx.DeleteHealthBefore(a.ID, PeriodHour, now.Add(-keepHourly)); err != nil {
		return err
	}
	_, err := tx.DeleteHealthBefore(a.ID, PeriodDay, now.Add(-keepDaily))
	return err
}

// announceLevel writes an event when an account's level for today differs
// from the last one announced.
func announceLevel(tx *storage.Tx, a model.Account, h model.HealthSnapshot) error {
	was := tx.AccountNote(markHealth, a.ID)
	if was == h.Level {
		return nil
	}
	if err := tx.SetAccountNote(markHealth, a.ID, h.Level); err != nil {
		return err
	}
	if was == "" && h.Level == model.HealthGreen {
		return nil // the first snapshot of a healthy account is no news
	}
	e := event("account.health_changed", schedulerOrigin, map[string]any{
		"account": a.ID, "name": a.Name, "from": was, "to": h.Level, "rule": h.Rule})
	e.Subject = fmt.Sprintf("account:%d", a.ID)
	_, err := tx.AppendEvent(e)
	return err
}

// snapshot sums an account's stats over [start, end) and grades them.
// Rates that need more than one period of history (acceptance, pending,
// replies) are over the 30 days before end.
func snapshot(tx *storage.Tx, a model.Account, st Settings, period string, start, end time.Time) model.HealthSnapshot {
	h := model.HealthSnapshot{AccountID: a.ID, Period: period, Start: start,
		Attempted: map[string]int{}, Succeeded: map[string]int{}, Failed: map[string]int{}}
	var tried, failed int
	for t := start.UTC().Truncate(time.Hour); t.Before(end); t = t.Add(time.Hour) {
		if t.Before(start) {
			continue
		}
		for _, k := range jobKinds {
			ok, bad := tx.AccountUsage(a.ID, hourStat(t, k+":ok")), tx.AccountUsage(a.ID, hourStat(t, k+":fail"))
			if ok+bad > 0 {
				h.Attempted[k] += ok + bad
				h.Succeeded[k] += ok
				h.Failed[k] += bad
				tried, failed = tried+ok+bad, failed+bad
			}
		}
		h.Challenges += tx.AccountUsage(a.ID, hourStat(t, statChallenge))
		h.DeadLetters += tx.AccountUsage(a.ID, hourStat(t, statDead))
	}
	if tried > 0 {
		h.ErrorRate = float64(failed) / float64(tried)
	}
	var invited, accepted, withdrawn, messaged, replied int
	for d := end.UTC().AddDate(0, 0, -30); d.Before(end); d = d.AddDate(0, 0, 1) {
		invited += tx.AccountUsage(a.ID, dayStat(d, outcomeStat(sequence.Invited)))
		accepted += tx.AccountUsage(a.ID, dayStat(d, outcomeStat(sequence.Accepted)))
		withdrawn += tx.AccountUsage(a.ID, dayStat(d, outcomeStat(sequence.Withdrawn)))
		messaged += tx.AccountUsage(a.ID, dayStat(d, outcomeStat(sequence.Messaged)))
		replied += tx.AccountUsage(a.ID, dayStat(d, outcomeStat(sequence.Replied)))
	}
	if invited > 0 {
		h.AcceptanceRate = min(float64(accepted)/float64(invited), 1)
		h.PendingRatio = float64(max(invited-accepted-withdrawn, 0)) / float64(invited)
	}
	if messaged > 0 {
		h.ReplyRate = min(float64(replied)/float64(messaged), 1)
	}
	// Limit use is of the local day the period starts in.
	act, local := budgeted[model.JobInvite], start.In(zone(a))
	if limit, _ := dailyLimit(a, act, st, local); limit > 0 {
		h.LimitUse = float64(tx.AccountUsage(a.ID, dayCounter(act, local))) / float64(limit)
	}
	h.Level, h.Rule = grade(h, tried, failed, invited)
	return h
}

// Thresholds of the health rules.
const (
	redErrorRate      = 0.5
	yellowErrorRate   = 0.2
	lowAcceptance     = 0.15
	highPendingRatio  = 0.7
	minInvitesToJudge = 20
)

// grade applies the health rules in order; the first that matches sets
// the level and is named.
func grade(h model.HealthSnapshot, tried, failed, invited int) (level, rule string) {
	pct := func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }
	switch {
	case h.Challenges > 0:
		return model.HealthRed, fmt.Sprintf("LinkedIn challenged the account (%d checkpoint(s))", h.Challenges)
	case tried >= 3 && failed == tried:
		return model.HealthRed, fmt.Sprintf("all %d attempts failed", tried)
	case tried >= 4 && h.ErrorRate >= redErrorRate:
		return model.HealthRed, fmt.Sprintf("%s of %d attempts failed (RED from %s)", pct(h.ErrorRate), tried, pct(redErrorRate))
	case h.DeadLetters >= deadLetterBurstSize:
		return model.HealthRed, fmt.Sprintf("%d jobs failed for good", h.DeadLetters)
	case tried > 0 && failed == tried:
		return model.HealthYellow, fmt.Sprintf("the only %d attempt(s) failed", tried)
	case tried >= 5 && h.ErrorRate >= yellowErrorRate:
		return model.HealthYellow, fmt.Sprintf("%s of %d attempts failed (YELLOW from %s)", pct(h.ErrorRate), tried, pct(yellowErrorRate))
	case h.DeadLetters > 0:
		return model.HealthYellow, fmt.Sprintf("%d job(s) failed for good", h.DeadLetters)
	case invited >= minInvitesToJudge && h.AcceptanceRate < lowAcceptance:
		return model.HealthYellow, fmt.Sprintf("only %s of %d invites in 30 days were accepted (YELLOW under %s): LinkedIn restricts accounts whose invites go unanswered",
			pct(h.AcceptanceRate), invited, pct(lowAcceptance))
	case invited >= minInvitesToJudge && h.PendingRatio > highPendingRatio:
		return model.HealthYellow, fmt.Sprintf("%s of the invites of the last 30 days are still pending (YELLOW over %s): withdraw old ones",
			pct(h.PendingRatio), pct(highPendingRatio))
	case tried == 0:
		return model.HealthGreen, "no activity in this period"
	}
	return model.HealthGreen, fmt.Sprintf("%d of %d attempts succeeded", tried-failed, tried)
}
