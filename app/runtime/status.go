package runtime

import (
	"fmt"
	"slices"
	"time"

	"parley/app/model"
	"parley/storage"
)

// AccountStatus is what an account is doing, or why it is idle, in plain
// words, computed with the scheduler's own checks.
type AccountStatus struct {
	AccountID uint64 `json:"account_id"`
	Name      string `json:"name"`
	TimeZone  string `json:"time_zone"`
	// State is "running" or a Block code (paused, quarantined,
	// outside_hours, daily_limit, ..., nothing_due) or "ready".
	State string    `json:"state"`
	Text  string    `json:"text"`
	Until time.Time `json:"until,omitzero"`
	// Running is the job in progress, if any.
	Running *model.Job `json:"running,omitempty"`
	Queued  int        `json:"queued"`
	Dead    int        `json:"dead"`
	NextDue time.Time  `json:"next_due,omitzero"`
	Usage   []Usage    `json:"usage"`
	// Held says what holds back some of its due jobs while others run
	// (a paused campaign, a used-up invite budget).
	Held []string `json:"held,omitempty"`
	// Health is the level of the account's current hour (GREEN, YELLOW,
	// RED; empty before the first snapshot) and the rule that set it.
	Health     string `json:"health,omitempty"`
	HealthRule string `json:"health_rule,omitempty"`
}

// Status is the whole runtime at a glance (GET /api/v1/status).
type Status struct {
	At              time.Time        `json:"at"`
	Paused          *model.Pause     `json:"paused,omitempty"`
	EnforceCeilings bool             `json:"enforce_ceilings"`
	Accounts        []AccountStatus  `json:"accounts"`
	Incidents       []model.Incident `json:"open_incidents"`
	DeadLetters     int              `json:"dead_letters"`
	CampaignPauses  []model.Pause    `json:"campaign_pauses,omitempty"`
}

// Status reports every active account's state and the open incidents.
func (r *Runtime) Status() (Status, error) {
	s := Status{Accounts: []AccountStatus{}, Incidents: []model.Incident{}}
	r.mu.Lock()
	busy := make(map[uint64]model.Job, len(r.busy))
	for k, v := range r.busy {
		busy[k] = v
	}
	r.mu.Unlock()
	err := r.store.View(func(tx *storage.Tx) error {
		now := tx.Now()
		s.At = now
		st, err := ReadSettings(tx)
		if err != nil {
			return err
		}
		s.EnforceCeilings = st.EnforceCeilings
		if p, ok, err := tx.Pause(model.ScopeGlobal, 0); err != nil {
			return err
		} else if ok && p.Active(now) {
			s.Paused = &p
		}
		pauses, err := tx.Pauses()
		if err != nil {
			return err
		}
		for _, p := range pauses {
			if p.Scope == model.ScopeCampaign && p.Active(now) {
				s.CampaignPauses = append(s.CampaignPauses, p)
			}
		}
		accounts, err := tx.Accounts(false)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			as, err := accountStatus(tx, a, st, busy, now)
			if err != nil {
				return err
			}
			switch {
			case r.site == nil && as.State == "ready":
				as.State, as.Text = noBrowser.Code, noBrowser.Reason
			case r.signedOut(a.ID) != nil && (as.State == "ready" || as.State == BlockPacing || as.State == BlockNothingDue || as.State == BlockHours):
				as.State, as.Text, as.Until = notSignedIn.Code, notSignedIn.Reason, time.Time{}
			}
			s.Accounts = append(s.Accounts, as)
		}
		open, err := tx.OpenIncidents()
		if err != nil {
			return err
		}
		s.Incidents = append(s.Incidents, open...)
		s.DeadLetters = tx.DeadJobCount()
		return nil
	})
	return s, err
}

// AccountStatus reports one account.
func (r *Runtime) AccountStatus(accountID uint64) (AccountStatus, error) {
	s, err := r.Status()
	if err != nil {
		return AccountStatus{}, err
	}
	for _, a := range s.Accounts {
		if a.AccountID == accountID {
			return a, nil
		}
	}
	return AccountStatus{}, model.Errorf(model.CodeNotFound, "account %d does not exist or is archived", accountID)
}

func accountStatus(tx *storage.Tx, a model.Account, st Settings, busy map[uint64]model.Job, now time.Time) (AccountStatus, error) {
	as := AccountStatus{AccountID: a.ID, Name: a.Name, TimeZone: a.TimeZone, Usage: usage(tx, a, st, now),
		Queued: tx.JobCount(a.ID, model.JobQueued), Dead: tx.JobCount(a.ID, model.JobDead), NextDue: tx.NextDue(a.ID)}
	if hs, err := tx.HealthSnapshots(a.ID, PeriodDay, 1); err != nil {
		return as, err
	} else if len(hs) == 1 {
		as.Health, as.HealthRule = hs[0].Level, hs[0].Rule
	}
	if j, ok := busy[a.ID]; ok {
		as.State, as.Running = "running", &j
		as.Text = "running job " + fmt.Sprint(j.ID) + " (" + describeJob(tx, j) + ")"
		return as, nil
	}
	b, err := gate(tx, a, now)
	if err != nil {
		return as, err
	}
	if b == nil || b.Code == BlockPacing {
		// Pacing is the shortest of waits: a limit, a paused campaign or an
		// empty queue is the better answer to "why is it idle?".
		due, held, err := dueBlock(tx, a, st, now)
		as.Held = held
		if err != nil {
			return as, err
		}
		if b == nil || due != nil && (due.Code != BlockNothingDue || due.Until.IsZero() || due.Until.After(b.Until)) {
			b = due
		}
	}
	if b == nil {
		as.State, as.Text = "ready", "ready: the next job starts within a few seconds"
		return as, nil
	}
	as.State, as.Text, as.Until = b.Code, b.Reason, b.Until
	return as, nil
}

// dueBlock says why none of the account's due jobs can run (nil when one
// can), with the checks claim uses.
func dueBlock(tx *storage.Tx, a model.Account, st Settings, now time.Time) (*Block, []string, error) {
	var first *Block
	var held []string
	note := func(b *Block) {
		first = firstOf(first, b)
		if !slices.Contains(held, b.Reason) && len(held) < 5 {
			held = append(held, b.Reason)
		}
	}
	runnable := false
	scanned := 0
	err := tx.DueJobs(a.ID, now, func(j model.Job) bool {
		scanned++
		var c *model.Campaign
		if j.CampaignID != 0 {
			camp, err := tx.Campaign(j.CampaignID)
			if err != nil {
				return true
			}
			if b, _ := campaignOpen(tx, camp, now); b != nil {
				note(b)
				return scanned < claimCandidates
			}
			c = &camp
		}
		if b, _ := degradedBlock(tx, a.ID, j.Kind); b != nil {
			note(b)
			return scanned < claimCandidates
		}
		if _, b := checkBudget(tx, a, c, j.Kind, st, now); b != nil && !j.InFlight {
			note(b)
			return scanned < claimCandidates
		}
		runnable = true
		return scanned < claimCandidates
	})
	if err != nil || runnable {
		return nil, held, err
	}
	if first != nil {
		return first, held, nil
	}
	next := tx.NextDue(a.ID)
	if next.IsZero() {
		return &Block{Code: BlockNothingDue, Reason: "nothing due"}, nil, nil
	}
	if !next.After(now) {
		// Only jobs further down the queue than a claim looks are due.
		return nil, held, nil
	}
	return &Block{Code: BlockNothingDue, Until: next, Reason: "waiting (next action in " + inWords(next.Sub(now)) + ")"}, nil, nil
}

func firstOf(a, b *Block) *Block {
	if a != nil {
		return a
	}
	return b
}

// describeJob names a job for people: "send_invite for Jane Doe".
func describeJob(tx *storage.Tx, j model.Job) string {
	if j.LeadID != 0 {
		if l, err := tx.Lead(j.LeadID); err == nil {
			return j.Kind + " for " + l.Name()
		}
	}
	return j.Kind
}

// DescribeJob names a job for people.
func (r *Runtime) DescribeJob(j model.Job) string {
	var s string
	r.store.View(func(tx *storage.Tx) error { s = describeJob(tx, j); return nil })
	return s
}

// DeadLetters lists dead letters, newest first.
func (r *Runtime) DeadLetters(before uint64, limit int) ([]model.Job, error) {
	var out []model.Job
	err := r.store.View(func(tx *storage.Tx) (err error) {
		out, err = tx.DeadJobs(before, limit)
		return err
	})
	return out, err
}

// Incident returns one incident.
func (r *Runtime) Incident(id uint64) (model.Incident, error) {
	var in model.Incident
	err := r.store.View(func(tx *storage.Tx) (err error) {
		in, err = tx.Incident(id)
		return err
	})
	return in, err
}

// Incidents lists recent incidents, newest first.
func (r *Runtime) Incidents(limit int) ([]model.Incident, error) {
	var out []model.Incident
	err := r.store.View(func(tx *storage.Tx) (err error) {
		out, err = tx.RecentIncidents(limit)
		return err
	})
	return out, err
}
