package runtime

import (
	"fmt"
	"strings"
	"time"

	"parley/app/model"
	"parley/storage"
)

// action is a budgeted kind of LinkedIn action.
type action struct {
	name   string // counter prefix and plain word: "invites"
	daily  func(model.Limits) int
	weekly func(model.Limits) int
	share  func(model.CampaignLimits) int
}

// budgeted maps job kinds to the action budget they consume.
var budgeted = map[string]action{
	model.JobInvite: {name: "invites", daily: func(l model.Limits) int { return l.InvitesPerDay },
		weekly: func(l model.Limits) int { return l.InvitesPerWeek }, share: func(c model.CampaignLimits) int { return c.InvitesPerDay }},
	model.JobMessage: {name: "messages", daily: func(l model.Limits) int { return l.MessagesPerDay },
		share: func(c model.CampaignLimits) int { return c.MessagesPerDay }},
	model.JobVisit: {name: "profile visits", daily: func(l model.Limits) int { return l.VisitsPerDay },
		share: func(c model.CampaignLimits) int { return c.VisitsPerDay }},
	model.JobWithdraw: {name: "withdrawals", daily: func(l model.Limits) int { return l.WithdrawalsPerDay }},
}

// BudgetKinds are the job kinds with a budget, in display order.
var BudgetKinds = []string{model.JobInvite, model.JobMessage, model.JobVisit, model.JobWithdraw}

func counterName(a action) string { return strings.ReplaceAll(a.name, " ", "_") }

func dayCounter(a action, local time.Time) string {
	return counterName(a) + ":d:" + local.Format("2006-01-02")
}

func weekCounter(a action, local time.Time) string {
	y, w := local.ISOWeek()
	return fmt.Sprintf("%s:w:%d-W%02d", counterName(a), y, w)
}

func campaignCounter(a action, campaignID uint64, local time.Time) string {
	return fmt.Sprintf("c%d:%s", campaignID, dayCounter(a, local))
}

// Usage is one action's use of its budget today.
type Usage struct {
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Used   int    `json:"used"`
	Limit  int    `json:"limit"`
	Weekly *struct {
		Used  int `json:"used"`
		Limit int `json:"limit"`
	} `json:"weekly,omitempty"`
	// Warmup is true when the warm-up ramp, not the account's own
	// setting, decides today's limit.
	Warmup bool `json:"warmup,omitempty"`
}

// Block says why an account may not do something now, and until when.
type Block struct {
	Code   string    `json:"code"`
	Reason string    `json:"reason"`
	Until  time.Time `json:"until,omitzero"`
}

// Block codes, in the order the status checks them.
const (
	BlockGlobalPause = "paused_global"
	BlockPaused      = "paused"
	BlockQuarantined = "quarantined"
	BlockLogin       = "login_needed"
	BlockHours       = "outside_hours"
	BlockDaily       = "daily_limit"
	BlockWeekly      = "weekly_limit"
	BlockWarmup      = "warmup_limit"
	BlockCampaign    = "campaign_limit"
	BlockCampaignOff = "campaign_paused"
	BlockPacing      = "pacing"
	BlockNothingDue  = "nothing_due"
	BlockNoBrowser   = "no_browser"
	BlockDegraded    = "action_degraded"
)

// notSignedIn is why an account without a LinkedIn session waits.
var notSignedIn = &Block{Code: BlockLogin,
	Reason: "login needed: this account is not signed in to LinkedIn in Parley yet; press Log in on the account page and sign in yourself (Parley never types the password)"}

// signedOut says why an account cannot act for want of a session (nil
// when it has one).
func (r *Runtime) signedOut(accountID uint64) *Block {
	if r.opts.SignedIn != nil && !r.opts.SignedIn(accountID) {
		return notSignedIn
	}
	return nil
}

// noBrowser is why nothing runs when no LinkedIn driver is installed.
var noBrowser = &Block{Code: BlockNoBrowser,
	Reason: "waiting for a browser: no LinkedIn browser driver is set up on this computer, so jobs wait in the queue"}

// dailyLimit is an account's limit for an action today: its own setting,
// lowered by the warm-up ramp and by the compliance ceiling while it is
// enforced.
func dailyLimit(a model.Account, act action, st Settings, local time.Time) (limit int, warm bool) {
	limit = act.daily(a.Limits)
	if st.EnforceCeilings {
		limit = min(limit, act.daily(model.CeilingLimits()))
	}
	if w := st.Warmup.Cap(a.WarmupStart, local, limit); w < limit {
		return w, true
	}
	return limit, false
}

// usage reads the account's budget use for every budgeted action.
func usage(tx *storage.Tx, a model.Account, st Settings, now time.Time) []Usage {
	local := now.In(zone(a))
	var out []Usage
	for _, kind := range BudgetKinds {
		act := budgeted[kind]
		u := Usage{Kind: kind, Label: act.name, Used: tx.AccountUsage(a.ID, dayCounter(act, local))}
		u.Limit, u.Warmup = dailyLimit(a, act, st, local)
		if act.weekly != nil {
			limit := act.weekly(a.Limits)
			if st.EnforceCeilings {
				limit = min(limit, act.weekly(model.CeilingLimits()))
			}
			u.Weekly = &struct {
				Used  int `json:"used"`
				Limit int `json:"limit"`
			}{tx.AccountUsage(a.ID, weekCounter(act, local)), limit}
		}
		out = append(out, u)
	}
	return out
}

// checkBudget says whether the account may do one more action of the
// job's kind now, and which counters that action would take from.
func checkBudget(tx *storage.Tx, a model.Account, c *model.Campaign, kind string, st Settings, now time.Time) ([]string, *Block) {
	act, ok := budgeted[kind]
	if !ok {
		return nil, nil
	}
	loc := zone(a)
	local := now.In(loc)
	midnight := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc).UTC()
	day := dayCounter(act, local)
	limit, warm := dailyLimit(a, act, st, local)
	if used := tx.AccountUsage(a.ID, day); used >= limit {
		b := &Block{Code: BlockDaily, Until: midnight,
			Reason: fmt.Sprintf("daily %s limit reached (%d of %d); resets at 00:00 %s", act.name, used, limit, a.TimeZone)}
		if limit == 0 {
			b.Reason = fmt.Sprintf("%s are turned off for this account (limit 0)", act.name)
			b.Until = time.Time{}
		} else if warm {
			b.Code = BlockWarmup
			b.Reason = fmt.Sprintf("warm-up limit reached (%d %s today, more each day); resets at 00:00 %s", limit, act.name, a.TimeZone)
		}
		return nil, b
	}
	counters := []string{day}
	if act.weekly != nil {
		week := weekCounter(act, local)
		limit := act.weekly(a.Limits)
		if st.EnforceCeilings {
			limit = min(limit, act.weekly(model.CeilingLimits()))
		}
		if used := tx.AccountUsage(a.ID, week); used >= limit {
			wd := (int(local.Weekday()) + 6) % 7 // days since Monday
			monday := time.Date(local.Year(), local.Month(), local.Day()-wd+7, 0, 0, 0, 0, loc).UTC()
			return nil, &Block{Code: BlockWeekly, Until: monday,
				Reason: fmt.Sprintf("weekly %s limit reached (%d of %d); resets Monday 00:00 %s", act.name, used, limit, a.TimeZone)}
		}
		counters = append(counters, week)
	}
	if c != nil && act.share != nil {
		if share := act.share(c.Limits); share > 0 {
			cc := campaignCounter(act, c.ID, local)
			if used := tx.AccountUsage(a.ID, cc); used >= share {
				return nil, &Block{Code: BlockCampaign, Until: midnight,
					Reason: fmt.Sprintf("campaign %q used its daily share of %s (%d of %d)", c.Name, act.name, used, share)}
			}
			counters = append(counters, cc)
		}
	}
	return counters, nil
}

// softLimited reports whether the account has used the soft share of an
// action's daily limit; past it the pause between actions doubles.
func softLimited(tx *storage.Tx, a model.Account, kind string, st Settings, now time.Time) bool {
	act, ok := budgeted[kind]
	if !ok {
		return false
	}
	local := now.In(zone(a))
	limit, _ := dailyLimit(a, act, st, local)
	return limit > 0 && tx.AccountUsage(a.ID, dayCounter(act, local))*100 >= limit*st.SoftLimitPercent
}

// reserve takes one unit from each counter; release gives them back.
func reserve(tx *storage.Tx, accountID uint64, counters []string) error {
	for _, c := range counters {
		if err := tx.AddAccountUsage(accountID, c, 1); err != nil {
			return err
		}
	}
	return nil
}

func release(tx *storage.Tx, accountID uint64, counters []string) error {
	for _, c := range counters {
		if err := tx.AddAccountUsage(accountID, c, -1); err != nil {
			return err
		}
	}
	return nil
}

func zone(a model.Account) *time.Location {
	loc, err := time.LoadLocation(a.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}
