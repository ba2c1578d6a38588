package campaigns

import (
	"parley/app/campaigns/forecast"
	"parley/app/model"
	"parley/storage"
)

// MinSample is how many invites (or messages) a campaign needs before its
// own acceptance (or reply) rate replaces the default assumption.
const MinSample = 20

// Forecast estimates when each step of a campaign completes, from the
// leads waiting at each step, the source leads not enrolled yet, the
// sender accounts' limits, warm-up, working days and time zones. Once a
// campaign has enough history, its measured acceptance and reply rates
// replace the defaults.
func (s *Service) Forecast(id uint64) (forecast.Result, forecast.Input, error) {
	var in forecast.Input
	err := s.store.View(func(tx *storage.Tx) error {
		c, err := tx.Campaign(id)
		if err != nil {
			return err
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		in = forecast.Input{Now: tx.Now(), Steps: c.Steps, Limits: c.Limits, Warmup: settings.Warmup, Assume: forecast.DefaultAssumptions()}
		for _, aid := range c.AccountIDs {
			a, err := tx.Account(aid)
			if err != nil {
				return err
			}
			in.Accounts = append(in.Accounts, a)
		}
		counts := tx.CampaignCounts(id)
		in.Waiting = make([]int, len(c.Steps))
		for step, n := range counts.ByStep {
			if step >= 0 && step < len(in.Waiting) {
				in.Waiting[step] = n
			}
		}
		if invited := counts.Outcomes["invited"]; invited >= MinSample {
			in.Assume.AcceptRate = float64(counts.Outcomes["accepted"]) / float64(invited)
		}
		if messaged := counts.Outcomes["messaged"]; messaged >= MinSample {
			in.Assume.ReplyRate = float64(counts.Outcomes["replied"]) / float64(messaged)
		}
		if c.State == model.CampaignActive || c.State == model.CampaignPaused || c.State == model.CampaignDraft {
			in.NotEnrolled, err = s.notEnrolled(tx, c)
		}
		return err
	})
	if err != nil {
		return forecast.Result{}, in, err
	}
	return forecast.Run(in), in, nil
}

// notEnrolled counts the source leads that enrolment would take: new
// leads, and connected leads not already in this campaign.
func (s *Service) notEnrolled(tx *storage.Tx, c model.Campaign) (int, error) {
	q, err := sourceQuery(c.Source)
	if err != nil {
		return 0, nil
	}
	n := 0
	err = scanQuery(tx, q, func(r *storage.LeadRow) bool {
		if r.State == model.LeadNew || (r.State == model.LeadConnected && r.CampaignID != c.ID) {
			n++
		}
		return true
	})
	return n, err
}
