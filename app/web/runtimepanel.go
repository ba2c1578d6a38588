package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/app/runtime"
	"parley/storage"
	"parley/views/pages"
)

// runtimeFragment: GET /dashboard/runtime — the dashboard's runtime panel
// alone (also the answer to the panel's htmx control forms). The open
// dashboard gets new panels over its event stream instead of asking: a
// request would count as activity and keep an unattended session alive.
func (s *Server) runtimeFragment(c echo.Context) error {
	p, err := s.runtimePanel(authOf(c).CSRF)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.RuntimeSection(p))
}

// runtimePanel builds the panel from the runtime's status, with the pauses
// and quarantines that decide which controls each card offers.
func (s *Server) runtimePanel(csrf string) (pages.RuntimePanel, error) {
	if s.o.Runtime == nil {
		return pages.RuntimePanel{}, nil
	}
	st, err := s.o.Runtime.Status()
	if err != nil {
		return pages.RuntimePanel{}, err
	}
	p := pages.RuntimePanel{Available: true, Now: st.At, CSRFToken: csrf, Paused: st.Paused,
		EnforceCeilings: st.EnforceCeilings, DeadLetters: st.DeadLetters}
	err = s.o.Store.View(func(tx *storage.Tx) error {
		for _, in := range st.Incidents {
			p.Incidents = append(p.Incidents, incidentRow(tx, in))
		}
		for _, cp := range st.CampaignPauses {
			name := "campaign " + itoa(int(cp.ID))
			if camp, err := tx.Campaign(cp.ID); err == nil {
				name = camp.Name
			}
			p.CampaignPauses = append(p.CampaignPauses, pages.CampaignPause{ID: cp.ID, Name: name, By: cp.By, Until: cp.Until})
		}
		for _, a := range st.Accounts {
			card, err := accountCard(tx, a, st.At)
			if err != nil {
				return err
			}
			p.Accounts = append(p.Accounts, card)
		}
		return nil
	})
	return p, err
}

func accountCard(tx *storage.Tx, a runtime.AccountStatus, now time.Time) (pages.AccountCard, error) {
	card := pages.AccountCard{ID: a.AccountID, Name: a.Name, TimeZone: a.TimeZone, State: a.State, Text: a.Text, Until: a.Until,
		Queued: a.Queued, Dead: a.Dead, NextDue: a.NextDue, Held: a.Held, Health: a.Health, HealthRule: a.HealthRule}
	for _, u := range a.Usage {
		card.Usage = append(card.Usage, pages.UsageBar{Label: u.Label, Used: u.Used, Limit: u.Limit, Warmup: u.Warmup})
		if u.Weekly != nil {
			card.Usage = append(card.Usage, pages.UsageBar{Label: u.Label, Used: u.Weekly.Used, Limit: u.Weekly.Limit, Weekly: true})
		}
	}
	if pz, ok, err := tx.Pause(model.ScopeAccount, a.AccountID); err != nil {
		return card, err
	} else if ok && pz.Active(now) {
		card.Pause = &pz
	}
	if q, ok, err := tx.Quarantine(a.AccountID); err != nil {
		return card, err
	} else if ok {
		card.Quarantine = &q
	}
	return card, nil
}

// incidentRow names an incident's accounts.
func incidentRow(tx *storage.Tx, in model.Incident) pages.IncidentRow {
	row := pages.IncidentRow{Incident: in, Evidence: incidentEvidence(in)}
	for _, id := range in.AccountIDs {
		name := "account " + itoa(int(id))
		if a, err := tx.Account(id); err == nil {
			name = a.Name
		}
		row.Accounts = append(row.Accounts, pages.AccountRef{ID: id, Name: name})
	}
	return row
}
