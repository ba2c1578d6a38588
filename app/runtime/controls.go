package runtime

import (
	"fmt"
	"time"

	"parley/app/campaigns"
	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/storage"
)

// PauseRequest pauses one scope, optionally for a while.
type PauseRequest struct {
	Scope  string        `json:"scope"`
	ID     uint64        `json:"id,omitempty"`
	For    time.Duration `json:"-"`
	Reason string        `json:"reason,omitempty"`
}

func target(scope string, id uint64) string {
	if scope == model.ScopeGlobal {
		return "global"
	}
	return fmt.Sprintf("%s:%d", scope, id)
}

// scopeWords names a pause scope for a person.
func scopeWords(scope string, id uint64) string {
	if scope == model.ScopeGlobal {
		return "Parley (all accounts)"
	}
	return fmt.Sprintf("%s %d", scope, id)
}

// checkScope makes sure the paused thing exists.
func checkScope(tx *storage.Tx, scope string, id uint64) error {
	switch scope {
	case model.ScopeGlobal:
		return nil
	case model.ScopeAccount:
		_, err := tx.Account(id)
		return err
	case model.ScopeCampaign:
		_, err := tx.Campaign(id)
		return err
	}
	return model.Errorf(model.CodeInvalid, "%q is not a pause scope; use global, account or campaign", scope)
}

// Pause stops a scope. Checking, changing and auditing happen in one
// transaction, so of many identical calls exactly one pauses and the
// others are told it is already paused.
func (r *Runtime) Pause(req PauseRequest, o model.Origin) (model.Pause, error) {
	if req.For < 0 || req.For > 30*24*time.Hour {
		return model.Pause{}, model.Errorf(model.CodeInvalid, "a pause lasts up to 30 days; leave the duration out to pause until resumed")
	}
	var p model.Pause
	err := r.store.Update(func(tx *storage.Tx) error {
		if err := checkScope(tx, req.Scope, req.ID); err != nil {
			return err
		}
		now := tx.Now()
		if old, ok, err := tx.Pause(req.Scope, req.ID); err != nil {
			return err
		} else if ok && old.Active(now) {
			return model.Errorf(model.CodeConflict, "%s is already paused by %s", scopeWords(req.Scope, req.ID), old.By)
		}
		p = model.Pause{Scope: req.Scope, ID: req.ID, By: actor(o), Reason: req.Reason, At: now}
		if req.For > 0 {
			p.Until = now.Add(req.For)
		}
		if err := tx.PutPause(p); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(controlEvent("control.paused", req.Scope, req.ID, o, map[string]any{"until": p.Until, "reason": req.Reason})); err != nil {
			return err
		}
		details := map[string]string{"reason": req.Reason}
		if !p.Until.IsZero() {
			details["until"] = p.Until.Format(time.RFC3339)
		}
		return audit(tx, o, "control", "paused", target(req.Scope, req.ID), details)
	})
	r.Wake()
	return p, err
}

// Resume lifts a pause.
func (r *Runtime) Resume(scope string, id uint64, o model.Origin) error {
	err := r.store.Update(func(tx *storage.Tx) error {
		if err := checkScope(tx, scope, id); err != nil {
			return err
		}
		p, ok, err := tx.Pause(scope, id)
		if err != nil {
			return err
		}
		if !ok {
			return model.Errorf(model.CodeConflict, "%s is not paused", scopeWords(scope, id))
		}
		return r.liftPause(tx, p, o, "")
	})
	r.Wake()
	return err
}

func (r *Runtime) liftPause(tx *storage.Tx, p model.Pause, o model.Origin, why string) error {
	if err := tx.DeletePause(p.Scope, p.ID); err != nil {
		return err
	}
	if _, err := tx.AppendEvent(controlEvent("control.resumed", p.Scope, p.ID, o, map[string]any{"why": why})); err != nil {
		return err
	}
	return audit(tx, o, "control", "resumed", target(p.Scope, p.ID), map[string]string{"paused_by": p.By, "why": why})
}

// Quarantine stops an account until a person lifts it.
func (r *Runtime) Quarantine(accountID uint64, reason string, o model.Origin) error {
	if reason == "" {
		return model.Errorf(model.CodeInvalid, "say why the account is quarantined; the reason is shown wherever the account is")
	}
	err := r.store.Update(func(tx *storage.Tx) error {
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		if q, ok, err := tx.Quarantine(a.ID); err != nil {
			return err
		} else if ok {
			return model.Errorf(model.CodeConflict, "%s is already quarantined (%s)", a.Name, q.Reason)
		}
		if err := tx.PutQuarantine(model.Quarantine{AccountID: a.ID, Reason: reason, By: actor(o), At: tx.Now()}); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(controlEvent("account.quarantined", model.ScopeAccount, a.ID, o, map[string]any{"reason": reason})); err != nil {
			return err
		}
		return audit(tx, o, "control", "account_quarantined", target(model.ScopeAccount, a.ID), map[string]string{"reason": reason})
	})
	r.Wake()
	return err
}

// Unquarantine lets an account act again.
func (r *Runtime) Unquarantine(accountID uint64, o model.Origin) error {
	err := r.store.Update(func(tx *storage.Tx) error {
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		q, ok, err := tx.Quarantine(a.ID)
		if err != nil {
			return err
		}
		if !ok {
			return model.Errorf(model.CodeConflict, "%s is not quarantined", a.Name)
		}
		if err := tx.DeleteQuarantine(a.ID); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(controlEvent("account.unquarantined", model.ScopeAccount, a.ID, o, nil)); err != nil {
			return err
		}
		return audit(tx, o, "control", "account_unquarantined", target(model.ScopeAccount, a.ID), map[string]string{"was": q.Reason})
	})
	r.Wake()
	return err
}

// RetryJob sends a dead letter back to the queue with a fresh retry
// budget.
func (r *Runtime) RetryJob(id uint64, o model.Origin) error {
	err := r.store.Update(func(tx *storage.Tx) error {
		j, err := tx.Job(id)
		if err != nil {
			return err
		}
		if j.State != model.JobDead {
			return model.Errorf(model.CodeConflict, "job %d is %s; only a dead letter can be retried", id, j.State)
		}
		j.State, j.Due, j.Attempt, j.FinishedAt = model.JobQueued, tx.Now(), 0, time.Time{}
		if err := tx.PutJob(j); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(jobEvent("job.retried", j, map[string]any{"actor": actor(o)})); err != nil {
			return err
		}
		return audit(tx, o, "control", "job_retried", fmt.Sprintf("job:%d", j.ID), map[string]string{"kind": j.Kind, "error": j.LastError})
	})
	r.Wake()
	return err
}

// CancelJob cancels a queued job or a dead letter. A lead's job takes the
// lead out of its campaign, or the planner would plan it again at once.
func (r *Runtime) CancelJob(id uint64, o model.Origin) error {
	return r.store.Update(func(tx *storage.Tx) error {
		j, err := tx.Job(id)
		if err != nil {
			return err
		}
		if j.State != model.JobQueued && j.State != model.JobDead {
			return model.Errorf(model.CodeConflict, "job %d is %s; only a queued job or a dead letter can be cancelled", id, j.State)
		}
		j.State, j.FinishedAt, j.Result = model.JobCancelled, tx.Now(), "cancelled by "+actor(o)
		if err := tx.PutJob(j); err != nil {
			return err
		}
		if err := tx.DropJobKeyFor(j); err != nil {
			return err
		}
		if j.CampaignID != 0 {
			if err := exitLead(tx, j, "its "+j.Kind+" job was cancelled by "+actor(o), o); err != nil {
				return err
			}
		}
		if _, err := tx.AppendEvent(jobEvent("job.cancelled", j, map[string]any{"actor": actor(o)})); err != nil {
			return err
		}
		return audit(tx, o, "control", "job_cancelled", fmt.Sprintf("job:%d", j.ID), map[string]string{"kind": j.Kind})
	})
}

// AcknowledgeIncident says a person is on it.
func (r *Runtime) AcknowledgeIncident(id uint64, note string, o model.Origin) (model.Incident, error) {
	return r.moveIncident(id, model.IncidentAcknowledged, note, o)
}

// ResolveIncident closes an incident with a note.
func (r *Runtime) ResolveIncident(id uint64, note string, o model.Origin) (model.Incident, error) {
	if note == "" {
		return model.Incident{}, model.Errorf(model.CodeInvalid, "add a note saying what was done; it stays in the incident's timeline")
	}
	return r.moveIncident(id, model.IncidentResolved, note, o)
}

func (r *Runtime) moveIncident(id uint64, to, note string, o model.Origin) (model.Incident, error) {
	var in model.Incident
	err := r.store.Update(func(tx *storage.Tx) error {
		var err error
		if in, err = tx.Incident(id); err != nil {
			return err
		}
		switch {
		case in.State == model.IncidentResolved:
			return model.Errorf(model.CodeConflict, "incident %d is already resolved", id)
		case in.State == to:
			return model.Errorf(model.CodeConflict, "incident %d is already %s", id, to)
		}
		now := tx.Now()
		what := to
		if note != "" {
			what += ": " + note
		}
		in.State, in.UpdatedAt = to, now
		in.Timeline = append(in.Timeline, model.IncidentEntry{At: now, By: actor(o), What: what})
		if to == model.IncidentResolved {
			in.ResolvedAt = now
			if err := liftDegradations(tx, in.ID, o); err != nil {
				return err
			}
		}
		if err := tx.PutIncident(in); err != nil {
			return err
		}
		e := event("incident."+to, o, map[string]any{"incident": in.ID, "note": note})
		e.Subject = fmt.Sprintf("incident:%d", in.ID)
		if _, err := tx.AppendEvent(e); err != nil {
			return err
		}
		return audit(tx, o, "control", "incident_"+to, fmt.Sprintf("incident:%d", in.ID), map[string]string{"severity": in.Severity, "note": note})
	})
	if err == nil && to == model.IncidentResolved {
		r.Wake()
	}
	return in, err
}

func actor(o model.Origin) string {
	if o.Actor == "" {
		return "anonymous"
	}
	return o.Actor
}

func controlEvent(typ, scope string, id uint64, o model.Origin, data map[string]any) model.Event {
	if data == nil {
		data = map[string]any{}
	}
	data["scope"] = scope
	if id != 0 {
		data["id"] = id
	}
	e := event(typ, o, data)
	e.Subject = target(scope, id)
	return e
}

// exitLead ends the lead's sequence in the job's campaign.
func exitLead(tx *storage.Tx, j model.Job, reason string, o model.Origin) error {
	_, err := campaigns.RecordOutcomeTx(tx, j.CampaignID, j.LeadID, sequence.Outcome{Kind: sequence.Exited, Reason: reason}, o)
	if model.ErrorCode(err) == model.CodeConflict {
		return nil // the sequence had ended already
	}
	return err
}
