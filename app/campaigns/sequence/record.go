package sequence

import (
	"fmt"
	"slices"
	"time"

	"parley/app/model"
)

// Outcome kinds: what the runtime reports back.
const (
	Visited          = "visited"           // the profile was visited
	Invited          = "invited"           // the invite was sent (WithNote, Variant)
	Accepted         = "accepted"          // the invite was accepted
	AlreadyConnected = "already_connected" // the lead turned out to be a connection already
	Messaged         = "messaged"          // a message or follow-up was sent (Variant)
	Replied          = "replied"           // the lead replied
	Withdrawn        = "withdrawn"         // the unaccepted invite was withdrawn
	Exited           = "exited"            // the lead left early (Reason)
)

// Outcome is what happened to a lead.
type Outcome struct {
	Kind string `json:"kind"`
	// Step is the index of the step the outcome is for (Action.Step). It
	// is checked for Visited, Invited, Messaged and Withdrawn, which answer
	// an action, so that a report repeated for a step is refused even when
	// the next step has the same kind. The other kinds are events that
	// belong to wherever the lead stands; they ignore it.
	Step     int       `json:"step"`
	At       time.Time `json:"at"`
	Variant  string    `json:"variant,omitempty"`   // the variant key a text used
	WithNote bool      `json:"with_note,omitempty"` // invites: false when sent without a note
	Reason   string    `json:"reason,omitempty"`    // why, for Exited (required); Withdrawn states its own
}

// Record applies o to enrolment e: it appends a StepRun to the history,
// moves e to its next step with the time that step is due, and ends the
// enrolment when the sequence is over. An outcome that does not fit where
// the lead stands — out of order, or already recorded — is a CodeConflict
// error and leaves e exactly as it was.
//
// Record checks position, not content: a sent text is recorded with the
// variant it reports even if the campaign's variants changed since, so
// that a send never fails to be recorded.
func Record(steps []model.Step, e *model.Enrolment, o Outcome) error {
	if e == nil {
		return model.Errorf(model.CodeInvalid, "cannot record %s without an enrolment", o.Kind)
	}
	if err := Validate(steps); err != nil {
		return err
	}
	if o.At.IsZero() {
		return model.Errorf(model.CodeInvalid, "cannot record %s without a time", o.Kind)
	}
	n := *e
	n.History = slices.Clone(e.History)
	r := recorder{steps: steps, sh: shapeOf(steps), e: &n, o: o}
	var err error
	switch o.Kind {
	case Visited:
		err = r.visited()
	case Invited:
		err = r.invited()
	case Accepted:
		err = r.accepted()
	case AlreadyConnected:
		err = r.alreadyConnected()
	case Messaged:
		err = r.messaged()
	case Replied:
		err = r.replied()
	case Withdrawn:
		err = r.withdrawn()
	case Exited:
		err = r.exited()
	default:
		err = model.Errorf(model.CodeInvalid, "%q is not an outcome", o.Kind)
	}
	if err != nil {
		return err
	}
	if n.Status == "" {
		n.Status = model.EnrolActive
	}
	*e = n
	return nil
}

// recorder applies one outcome to a copy of the enrolment.
type recorder struct {
	steps []model.Step
	sh    shape
	e     *model.Enrolment
	o     Outcome
}

func (r *recorder) conflict(format string, args ...any) error {
	return model.Errorf(model.CodeConflict, "cannot record %s: %s", r.o.Kind, fmt.Sprintf(format, args...))
}

// open refuses outcomes for an enrolment that has ended.
func (r *recorder) open() error {
	switch r.e.Status {
	case "", model.EnrolActive:
		return nil
	case model.EnrolDone:
		return r.conflict("the lead has finished the sequence")
	case model.EnrolReplied:
		return r.conflict("the lead has replied and the sequence has stopped")
	case model.EnrolExited:
		return r.conflict("the lead has left the sequence (%s)", r.e.Reason)
	}
	return model.Errorf(model.CodeInvalid, "cannot record %s: %q is not an enrolment status", r.o.Kind, r.e.Status)
}

// at refuses an answer to an action unless the lead stands at o.Step and
// that step is of one of kinds.
func (r *recorder) at(kinds ...string) error {
	e, o := r.e, r.o
	if o.Step != e.Step {
		if run, ok := r.ran(o.Step, o.Kind); ok {
			return model.Errorf(model.CodeConflict, "cannot record %s for %s: already recorded on %s", o.Kind, stepName(r.steps, o.Step), day(run.At))
		}
	}
	if err := r.open(); err != nil {
		return err
	}
	if e.Step < 0 || e.Step >= len(r.steps) {
		return r.conflict("the sequence has no step %d", e.Step+1)
	}
	if !slices.Contains(kinds, r.steps[e.Step].Kind) {
		return r.conflict("the next step is %s", stepName(r.steps, e.Step))
	}
	if o.Step != e.Step {
		return model.Errorf(model.CodeConflict, "cannot record %s for step %d: the next step is %s", o.Kind, o.Step+1, stepName(r.steps, e.Step))
	}
	return nil
}

// ran finds the run of step with outcome kind in the history.
func (r *recorder) ran(step int, kind string) (model.StepRun, bool) {
	for _, run := range slices.Backward(r.e.History) {
		if run.Outcome == kind && (step < 0 || run.Step == step) {
			return run, true
		}
	}
	return model.StepRun{}, false
}

// log appends the outcome to the history as a run of step.
func (r *recorder) log(step int, at time.Time) {
	r.e.History = append(r.e.History, model.StepRun{Step: step, Kind: kindAt(r.steps, step), At: at,
		Variant: r.o.Variant, WithNote: r.o.WithNote, Outcome: r.o.Kind})
}

// advance moves the lead to step i and sets when it is due: a message
// DelayDays after ref, a follow-up DelayDays after the last message, the
// wait at the invite's deadline, anything else at ref. Past the last step
// the lead is done.
func (r *recorder) advance(i int, ref time.Time) {
	e := r.e
	e.Step = i
	if i >= len(r.steps) {
		e.Status, e.DueAt = model.EnrolDone, time.Time{}
		return
	}
	switch s := r.steps[i]; s.Kind {
	case model.StepWaitAccept:
		e.DueAt = e.InvitedAt.Add(days(s.WaitDays))
	case model.StepMessage:
		e.DueAt = ref.Add(days(s.DelayDays))
	case model.StepFollowUp:
		e.DueAt = e.LastMessageAt.Add(days(s.DelayDays))
	default:
		e.DueAt = ref
	}
}

// end stops the enrolment with a status and reason.
func (r *recorder) end(status, reason string) {
	r.e.Status, r.e.Reason, r.e.DueAt = status, reason, time.Time{}
}
