package runtime

import (
	"fmt"
	"slices"
	"strings"
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
// person: SEV-2 for one account; SEV-1 when another account met a
// challenge in the last day too, or lost its LinkedIn session in the last
// day too (sessions ending together are an authentication anomaly).
func (r *Runtime) quarantineForSite(tx *storage.Tx, a model.Account, class, why string) error {
	if _, ok, err := tx.Quarantine(a.ID); err != nil || ok {
		return err
	}
	sev, kind := model.Sev2, "account_challenge"
	title := fmt.Sprintf("%s met a LinkedIn checkpoint and was quarantined: %s", a.Name, why)
	login := class == model.ErrClassLogin
	if login {
		kind = "login_needed"
		title = fmt.Sprintf("%s is signed out of LinkedIn and was quarantined: %s", a.Name, why)
	}
	others, err := recentQuarantines(tx, a.ID, login, tx.Now().Add(-24*time.Hour))
	if err != nil {
		return err
	}
	var in model.Incident
	if len(others) > 0 {
		sev = model.Sev1
		in, err = r.escalate(tx, kind, a, others, why)
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

// escalate makes a second account's challenge (or lost session) within a
// day one SEV-1 incident: the open incident of that kind naming the other
// accounts grows to include this one and is raised to SEV-1, or a new one
// names them all.
func (r *Runtime) escalate(tx *storage.Tx, kind string, a model.Account, others []uint64, why string) (model.Incident, error) {
	now := tx.Now()
	open, err := tx.OpenIncidents()
	if err != nil {
		return model.Incident{}, err
	}
	ids := append([]uint64{a.ID}, others...)
	title := fmt.Sprintf("LinkedIn challenged %d accounts within a day; they are quarantined", len(ids))
	what := fmt.Sprintf("%s was challenged too (%s)", a.Name, why)
	if kind == "login_needed" {
		title = fmt.Sprintf("%d accounts were signed out of LinkedIn within a day; they are quarantined (check that no one else is using them)", len(ids))
		what = fmt.Sprintf("%s was signed out too (%s)", a.Name, why)
	}
	for _, in := range open {
		if in.Kind != kind || !slices.ContainsFunc(in.AccountIDs, func(id uint64) bool { return slices.Contains(ids, id) }) {
			continue
		}
		for _, id := range ids {
			if !slices.Contains(in.AccountIDs, id) {
				in.AccountIDs = append(in.AccountIDs, id)
			}
		}
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
	in, err := r.openIncident(tx, model.Sev1, kind, a.ID, title)
	if err != nil {
		return in, err
	}
	in.AccountIDs = ids
	return in, tx.PutIncident(in)
}

// recentQuarantines lists the other accounts the scheduler quarantined
// since, for a challenge (login false) or a lost session (login true).
func recentQuarantines(tx *storage.Tx, except uint64, login bool, since time.Time) ([]uint64, error) {
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
		} else if ok && q.LoginNeeded == login && q.By == model.ActorScheduler && !q.At.Before(since) {
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

// degrade stops kinds of job on an account because the page no longer
// matches the selector pack, under one SEV-3 incident per account.
func (r *Runtime) degrade(tx *storage.Tx, a model.Account, kinds []string, what string) error {
	words := make([]string, 0, len(kinds))
	for _, k := range kinds {
		words = append(words, kindWords(k))
	}
	in, err := r.openIncident(tx, model.Sev3, "selector_degraded", a.ID,
		fmt.Sprintf("%s: %s stopped because LinkedIn's page no longer matches the selector pack: %s", a.Name, strings.Join(words, ", "), what))
	if err != nil {
		return err
	}
	for _, k := range kinds {
		if _, ok, err := tx.Degraded(a.ID, k); err != nil || ok {
			if err != nil {
				return err
			}
			continue
		}
		d := model.Degradation{AccountID: a.ID, Kind: k, What: what, IncidentID: in.ID, At: tx.Now()}
		if err := tx.PutDegraded(d); err != nil {
			return err
		}
		e := event("account.action_degraded", schedulerOrigin, map[string]any{"account": a.ID, "kind": k, "what": what, "incident": in.ID})
		e.Subject = fmt.Sprintf("account:%d", a.ID)
		if _, err := tx.AppendEvent(e); err != nil {
			return err
		}
	}
	return nil
}

// liftDegradations ends the degradations an incident caused.
func liftDegradations(tx *storage.Tx, incidentID uint64, o model.Origin) error {
	ds, err := tx.Degradations()
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.IncidentID != incidentID {
			continue
		}
		if err := tx.DeleteDegraded(d.AccountID, d.Kind); err != nil {
			return err
		}
		e := event("account.action_restored", o, map[string]any{"account": d.AccountID, "kind": d.Kind, "incident": incidentID})
		e.Subject = fmt.Sprintf("account:%d", d.AccountID)
		if _, err := tx.AppendEvent(e); err != nil {
			return err
		}
	}
	return nil
}

// kindsOfAction maps a Site action the canary reports to the job kinds
// that need it.
func kindsOfAction(action string) []string {
	switch action {
	case "visit":
		return []string{model.JobVisit, model.JobCheckAccept}
	case "invite":
		return []string{model.JobInvite}
	case "message":
		return []string{model.JobMessage}
	case "withdraw":
		return []string{model.JobWithdraw}
	case "inbox":
		return []string{model.JobCheckInbox}
	}
	// "session" and anything unknown: every page action.
	return []string{model.JobVisit, model.JobInvite, model.JobCheckAccept, model.JobMessage, model.JobWithdraw, model.JobCheckInbox}
}

// kindWords names a kind of job for a person.
func kindWords(kind string) string {
	if a, ok := budgeted[kind]; ok {
		return a.name
	}
	switch kind {
	case model.JobCheckAccept:
		return "acceptance checks"
	case model.JobCheckInbox:
		return "inbox checks"
	case model.JobCanary:
		return "selector canary"
	}
	return kind
}

// authAnomalyBurst sign-in lockouts of the dashboard within an hour open a
// SEV-1 incident: someone may be guessing passwords.
const authAnomalyBurst = 3

// AuthAnomaly records an authentication anomaly of the dashboard or the
// API (the security service reports each lockout); repeated ones open a
// SEV-1 incident.
func (r *Runtime) AuthAnomaly(what string) error {
	return r.store.Update(func(tx *storage.Tx) error {
		now := tx.Now()
		if err := bump(tx, 0, "auth_anomaly"); err != nil {
			return err
		}
		n := tx.AccountUsage(0, hourStat(now, "auth_anomaly")) + tx.AccountUsage(0, hourStat(now.Add(-time.Hour), "auth_anomaly"))
		if n < authAnomalyBurst {
			return nil
		}
		_, err := r.openIncident(tx, model.Sev1, "auth_anomaly", 0,
			fmt.Sprintf("repeated sign-in lockouts (%d within the last hour or two, latest: %s); someone may be guessing passwords — check the audit trail", n, what))
		return err
	})
}

// BackupFailed opens a SEV-2 incident for a failed backup (the backup
// service reports it).
func (r *Runtime) BackupFailed(why string) error {
	return r.store.Update(func(tx *storage.Tx) error {
		_, err := r.openIncident(tx, model.Sev2, "backup_failed", 0, "a backup failed: "+why)
		return err
	})
}
