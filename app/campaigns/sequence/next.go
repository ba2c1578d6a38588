package sequence

import (
	"fmt"
	"time"

	"parley/app/model"
)

// Facts is what the runtime knows about the lead now.
type Facts struct {
	// Connected: the lead is a 1st-degree connection of the sender account.
	Connected bool
	// Replied: the lead has answered in the conversation.
	Replied bool
}

// Action kinds. After doing the work of an action the runtime records
// Action.Outcome. ActConnected, and ActDone or ActExit with an Outcome,
// need no work on LinkedIn: only that Record. ActDone or ActExit without
// an Outcome mean the lead's sequence has ended.
const (
	ActVisit     = "visit"     // visit the profile
	ActInvite    = "invite"    // send the invite (record AlreadyConnected instead if the page shows a connection)
	ActWait      = "wait"      // nothing to do before At; a zero At waits for an outside event only
	ActWithdraw  = "withdraw"  // withdraw the pending invite; the lead then exits
	ActMessage   = "message"   // send the message or follow-up (StepKind says which)
	ActConnected = "connected" // the lead is connected: record Outcome, then messaging starts
	ActDone      = "done"      // nothing more to send: finished or replied
	ActExit      = "exit"      // the lead leaves (or has left) early; Reason says why
)

// Action is what the campaign should do next for one lead.
type Action struct {
	Kind string `json:"kind"`
	// Step is the index of the step the action belongs to; StepKind is its
	// kind ("" past the end of the sequence).
	Step     int    `json:"step"`
	StepKind string `json:"step_kind,omitempty"`
	// At is the earliest time the action may run. For ActWait it is when
	// Next will next have something to do.
	At            time.Time `json:"at,omitzero"`
	NeedsApproval bool      `json:"needs_approval,omitempty"`
	// Outcome is the Outcome kind to Record once the action is done; empty
	// for ActWait and for leads whose sequence has already ended.
	Outcome string `json:"outcome,omitempty"`
	// Reason says it in plain words for the UI; for ActExit it is also the
	// reason to record.
	Reason string `json:"reason"`
}

// Next returns what to do for enrolment e of a campaign with steps, given
// what is known about the lead at now. It never changes anything: the
// runtime does the work and calls Record.
func Next(steps []model.Step, e model.Enrolment, f Facts, now time.Time) Action {
	a := Action{Step: e.Step, StepKind: kindAt(steps, e.Step)}
	if err := Validate(steps); err != nil {
		return a.wait(time.Time{}, "the sequence cannot run: "+model.PublicMessage(err))
	}
	switch e.Status {
	case model.EnrolDone:
		if f.Replied {
			return a.record(ActDone, Replied, now, "replied after the last step")
		}
		return a.ended(ActDone, "sequence finished")
	case model.EnrolReplied:
		return a.ended(ActDone, "replied — sequence stopped")
	case model.EnrolExited:
		if e.Reason == "" {
			return a.ended(ActExit, "exited")
		}
		return a.ended(ActExit, "exited: "+e.Reason)
	case "", model.EnrolActive:
	default:
		return a.wait(time.Time{}, fmt.Sprintf("%q is not an enrolment status", e.Status))
	}
	if f.Replied {
		return a.record(ActDone, Replied, now, "replied — sequence stopped")
	}
	if e.Step < 0 || e.Step >= len(steps) {
		return a.record(ActExit, Exited, now, fmt.Sprintf("the sequence has no step %d", e.Step+1))
	}
	sh := shapeOf(steps)
	s := steps[e.Step]
	switch {
	case sh.invite >= 0 && e.Step <= sh.invite && (f.Connected || !e.AcceptedAt.IsZero()):
		return a.connected(sh, e, now)
	case s.Kind == model.StepWaitAccept:
		return a.waitAccept(s, e, f, now)
	case sh.invite < 0 && !f.Connected && (s.Kind == model.StepMessage || s.Kind == model.StepFollowUp):
		return a.record(ActExit, Exited, now, "not a connection and the campaign sends no invite")
	}
	return a.due(steps, e, now)
}

func (a Action) wait(at time.Time, why string) Action {
	a.Kind, a.At, a.Reason = ActWait, at, why
	return a
}

func (a Action) ended(kind, why string) Action {
	a.Kind, a.Reason = kind, why
	return a
}

func (a Action) record(kind, outcome string, at time.Time, why string) Action {
	a.Kind, a.Outcome, a.At, a.Reason = kind, outcome, at, why
	return a
}

// connected skips a connected lead past the invite and its wait.
func (a Action) connected(sh shape, e model.Enrolment, now time.Time) Action {
	if sh.message < 0 {
		return a.record(ActDone, AlreadyConnected, now, "already a connection and the campaign sends no message — done")
	}
	if !e.AcceptedAt.IsZero() {
		return a.record(ActConnected, AlreadyConnected, now, fmt.Sprintf("invite accepted on %s — go on to the message", day(e.AcceptedAt)))
	}
	return a.record(ActConnected, AlreadyConnected, now, "already a connection — skip the invite and message at once")
}

// waitAccept waits for an invite to be accepted, up to its deadline.
func (a Action) waitAccept(s model.Step, e model.Enrolment, f Facts, now time.Time) Action {
	if !e.AcceptedAt.IsZero() {
		return a.record(ActConnected, Accepted, e.AcceptedAt, "invite accepted")
	}
	if f.Connected {
		return a.record(ActConnected, Accepted, now, "invite accepted")
	}
	if e.InvitedAt.IsZero() {
		return a.record(ActExit, Exited, now, "no invite was recorded before the wait for acceptance")
	}
	deadline := e.InvitedAt.Add(days(s.WaitDays))
	if now.Before(deadline) {
		return a.wait(deadline, fmt.Sprintf("waiting for acceptance until %s (%s then)", day(deadline), s.OnTimeout))
	}
	why := "invite not accepted within " + count(s.WaitDays, "day")
	if s.OnTimeout == model.TimeoutWithdraw {
		return a.record(ActWithdraw, Withdrawn, deadline, why+" — withdraw it")
	}
	return a.record(ActExit, Exited, deadline, why)
}

// due returns the step's own action once it is due, ActWait before.
func (a Action) due(steps []model.Step, e model.Enrolment, now time.Time) Action {
	s := steps[e.Step]
	at := dueAt(steps, e)
	if now.Before(at) {
		return a.wait(at, fmt.Sprintf("%s due on %s", label(steps, e.Step), day(at)))
	}
	switch s.Kind {
	case model.StepVisit:
		a.Kind, a.Outcome, a.Reason = ActVisit, Visited, "visit the profile"
	case model.StepInvite:
		a.Kind, a.Outcome, a.Reason = ActInvite, Invited, "send the invite without a note"
		if s.HasText() {
			a.Reason = "send the invite with a note"
		}
	default:
		a.Kind, a.Outcome, a.Reason = ActMessage, Messaged, "send the "+label(steps, e.Step)
		if s.Kind == model.StepFollowUp {
			a.Reason = "send " + label(steps, e.Step)
		}
	}
	if !at.IsZero() {
		a.Reason += fmt.Sprintf(" (due %s)", day(at))
	} else {
		at = now
	}
	a.At = at
	if s.Approval && s.HasText() {
		a.NeedsApproval = true
		a.Reason += " — needs approval"
	}
	return a
}

// dueAt is when the lead's next step may run. Record keeps DueAt; only
// the first step of a new enrolment may lack it, and a first message
// then still waits its delay after enrolment.
func dueAt(steps []model.Step, e model.Enrolment) time.Time {
	if e.DueAt.IsZero() && e.Step == 0 && steps[0].Kind == model.StepMessage && !e.EnrolledAt.IsZero() {
		return e.EnrolledAt.Add(days(steps[0].DelayDays))
	}
	return e.DueAt
}
