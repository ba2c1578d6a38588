package runtime

import (
	"fmt"
	"time"

	"parley/app/model"
	"parley/storage"
)

// gate says what stops an account from acting at all now (nil: nothing).
// The checks run in the order a person would want to hear them.
func gate(tx *storage.Tx, a model.Account, now time.Time) (*Block, error) {
	if p, ok, err := tx.Pause(model.ScopeGlobal, 0); err != nil || ok && p.Active(now) {
		return pauseBlock(BlockGlobalPause, "all accounts are paused", p), err
	}
	if p, ok, err := tx.Pause(model.ScopeAccount, a.ID); err != nil || ok && p.Active(now) {
		return pauseBlock(BlockPaused, "paused", p), err
	}
	if q, ok, err := tx.Quarantine(a.ID); err != nil || ok {
		if err != nil {
			return nil, err
		}
		if q.LoginNeeded {
			return &Block{Code: BlockLogin, Reason: "login needed: " + q.Reason + " — sign in to LinkedIn for this account, then lift the quarantine"}, nil
		}
		return &Block{Code: BlockQuarantined, Reason: "quarantined because " + q.Reason}, nil
	}
	if in, next := workingHours(a, now); !in {
		if next.IsZero() {
			return &Block{Code: BlockHours, Reason: "no working days or hours are set for this account"}, nil
		}
		local := next.In(zone(a))
		return &Block{Code: BlockHours, Until: next,
			Reason: fmt.Sprintf("outside working hours (resumes %s %s)", local.Format("Mon 15:04"), a.TimeZone)}, nil
	}
	if at := tx.NextActionAt(a.ID); at.After(now) {
		return &Block{Code: BlockPacing, Until: at, Reason: "waiting (next action in " + inWords(at.Sub(now)) + ")"}, nil
	}
	return nil, nil
}

func pauseBlock(code, what string, p model.Pause) *Block {
	b := &Block{Code: code, Reason: what + " by " + p.By, Until: p.Until}
	if !p.Until.IsZero() {
		b.Reason += " until " + p.Until.Format("Mon 15:04 UTC")
	}
	if p.Reason != "" {
		b.Reason += ": " + p.Reason
	}
	return b
}

// inWords says a duration the way a person would: "40 s", "2 min", "3 h 5 min".
func inWords(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", max(int(d.Seconds()), 1))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
	case d < 48*time.Hour:
		h := int(d.Hours())
		if m := int(d.Minutes()) % 60; m != 0 {
			return fmt.Sprintf("%d h %d min", h, m)
		}
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// campaignOpen says whether a campaign's jobs may run (nil) or why not.
func campaignOpen(tx *storage.Tx, c model.Campaign, now time.Time) (*Block, error) {
	if c.State != model.CampaignActive {
		return &Block{Code: BlockCampaignOff, Reason: fmt.Sprintf("campaign %q is %s", c.Name, c.State)}, nil
	}
	p, ok, err := tx.Pause(model.ScopeCampaign, c.ID)
	if err != nil || !ok || !p.Active(now) {
		return nil, err
	}
	return pauseBlock(BlockCampaignOff, fmt.Sprintf("campaign %q is paused", c.Name), p), nil
}
