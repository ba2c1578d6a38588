package runtime

import (
	"fmt"
	"slices"
	"time"

	"parley/app/model"
	"parley/storage"
)

// openIncident opens an incident, or adds to the open one of the same kind
// for the same account so a flapping problem is one incident, not fifty.
func (r *Runtime) openIncident(tx *storage.Tx, sev, kind string, accountID uint64, title string) (model.Incident, error) {
	now := tx.Now()
	open, err := tx.OpenIncidents()
	if err != nil {
		return model.Incident{}, err
	}
	for _, in := range open {
		if in.Kind == kind && (accountID == 0 || slices.Contains(in.AccountIDs, accountID)) {
			in.Timeline = append(in.Timeline, model.IncidentEntry{At: now, By: model.ActorScheduler, What: "again: " + title})
			in.UpdatedAt = now
			return in, tx.PutIncident(in)
		}
	}
	in := model.Incident{Severity: sev, Kind: kind, Title: title, State: model.IncidentOpen, OpenedAt: now, UpdatedAt: now,
		Timeline: []model.IncidentEntry{{At: now, By: model.ActorScheduler, What: "opened: " + title}}}
	if accountID != 0 {
		in.AccountIDs = []uint64{accountID}
	}
	if in, err = tx.CreateIncident(in); err != nil {
		return in, err
	}
	e := event("incident.opened", schedulerOrigin, map[string]any{"incident": in.ID, "severity": sev, "kind": kind, "title": title})
	e.Subject = fmt.Sprintf("incident:%d", in.ID)
	_, err = tx.AppendEvent(e)
	return in, err
}

// quarantineForSite stops an account LinkedIn pushed back on and calls a
// person: SEV-2 for one account, SEV-1 when another account met a
// challenge in the last day too.
func (r *Runtime) quarantineForSite(tx *storage.Tx, a model.Account, class, why string) error {
	if _, ok, err := tx.Quarantine(a.ID); err != nil || ok {
		return err
	}
	sev, kind := model.Sev2, "account_challenge"
	title := fmt.Sprintf("%s met a LinkedIn checkpoint and was quarantined: %s", a.Name, why)
	var others []uint64
	login := class == model.ErrClassLogin
	if login {
		kind = "login_needed"
		title = fmt.Sprintf("%s is signed out of LinkedIn and was quarantined: %s", a.Name, why)
	} else {
		var err error
		if others, err = recentChallenges(tx, a.ID, tx.Now().Add(-24*time.Hour)); err != nil {
			return err
		}
	}
	var in model.Incident
	var err error
	if len(others) > 0 {
		sev = model.Sev1
		in, err = r.escalateChallenge(tx, a, others, why)
	} else {
		in, err = r.openIncident(tx, sev, kind, a.ID, title)
	}
	if err != nil {
		return err
	}
	if !login {
		if err := bump(tx, a.ID, statChallenge); err != nil {
			return err
		}
	}
	q := model.Quarantine{AccountID: a.ID, Reason: why, By: model.ActorScheduler, At: tx.Now(), IncidentID: in.ID, LoginNeeded: login}
	if err := tx.PutQuarantine(q); err != nil {
		return err
	}
	e := event("account.quarantined", schedulerOrigin, map[string]any{"account": a.ID, "reason": why, "incident": in.ID})
	e.Subject = fmt.Sprintf("account:%d", a.ID)
	if _, err := tx.AppendEvent(e); err != nil {
		return err
	}
	return audit(tx, schedulerOrigin, "control", "account_quarantined", fmt.Sprintf("account:%d", a.ID),
		map[string]string{"reason": why, "incident": fmt.Sprint(in.ID), "severity": sev})
}

// escalateChallenge makes a challenge on a second account one SEV-1
// incident: the open challenge incident of the other accounts grows to
// include this one and is raised to SEV-1, or a new one names them all.
func (r *Runtime) escalateChallenge(tx *storage.Tx, a model.Account, others []uint64, why string) (model.Incident, error) {
	now := tx.Now()
	open, err := tx.OpenIncidents()
	if err != nil {
		return model.Incident{}, err
	}
	ids := append([]uint64{a.ID}, others...)
	title := fmt.Sprintf("LinkedIn challenged %d accounts within a day; they are quarantined", len(ids))
	for _, in := range open {
		if in.Kind != "account_challenge" || !slices.ContainsFunc(in.AccountIDs, func(id uint64) bool { return slices.Contains(ids, id) }) {
			continue
		}
		for _, id := range ids {
			if !slices.Contains(in.AccountIDs, id) {
				in.AccountIDs = append(in.AccountIDs, id)
			}
		}
		what := fmt.Sprintf("%s was challenged too (%s)", a.Name, why)
		if in.Severity != model.Sev1 {
			what += "; raised to SEV-1"
		}
		in.Severity, in.Title, in.UpdatedAt = model.Sev1, title, now
		in.Timeline = append(in.Timeline, model.IncidentEntry{At: now, By: model.ActorScheduler, What: what})
		if err := tx.PutIncident(in); err != nil {
			return in, err
		}
		e := event("incident.escalated", schedulerOrigin, map[string]any{"incident": in.ID, "severity": in.Severity, "account": a.ID})
		e.Subject = fmt.Sprintf("incident:%d", in.ID)
		_, err := tx.AppendEvent(e)
		return in, err
	}
	in, err := r.openIncident(tx, model.Sev1, "account_challenge", a.ID, title)
	if err != nil {
		return in, err
	}
	in.AccountIDs = ids
	return in, tx.PutIncident(in)
}

// recentChallenges lists other accounts quarantined by a challenge since.
func recentChallenges(tx *storage.Tx, except uint64, since time.Time) ([]uint64, error) {
	accounts, err := tx.Accounts(false)
	if err != nil {
		return nil, err
	}
	var out []uint64
	for _, a := range accounts {
		if a.ID == except {
			continue
		}
		if q, ok, err := tx.Quarantine(a.ID); err != nil {
			return nil, err
		} else if ok && !q.LoginNeeded && q.By == model.ActorScheduler && !q.At.Before(since) {
			out = append(out, a.ID)
		}
	}
	return out, nil
}

// deadLetterBurstSize dead letters on one account within an hour open a
// SEV-2 incident.
const deadLetterBurstSize = 5

func (r *Runtime) deadLetterBurst(tx *storage.Tx, j model.Job) error {
	if err := bump(tx, j.AccountID, statDead); err != nil {
		return err
	}
	if tx.AccountUsage(j.AccountID, hourStat(tx.Now(), statDead)) != deadLetterBurstSize {
		return nil
	}
	a, err := tx.Account(j.AccountID)
	if err != nil {
		return err
	}
	_, err = r.openIncident(tx, model.Sev2, "dead_letter_burst", a.ID,
		fmt.Sprintf("%s: %d jobs failed for good within an hour; see the dead letters", a.Name, deadLetterBurstSize))
	return err
}

// BackupFailed opens a SEV-2 incident for a failed backup (the backup
// service reports it).
func (r *Runtime) BackupFailed(why string) error {
	return r.store.Update(func(tx *storage.Tx) error {
		_, err := r.openIncident(tx, model.Sev2, "backup_failed", 0, "a backup failed: "+why)
		return err
	})
}
