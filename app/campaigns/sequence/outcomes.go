package sequence

import (
	"fmt"

	"parley/app/model"
)

// The methods below apply one kind of outcome each to the recorder's copy
// of the enrolment; an error leaves the caller's enrolment untouched.

func (r *recorder) visited() error {
	if err := r.at(model.StepVisit); err != nil {
		return err
	}
	r.log(r.e.Step, r.o.At)
	r.advance(r.e.Step+1, r.o.At)
	return nil
}

// invited also applies an acceptance that was reported before the invite.
func (r *recorder) invited() error {
	if err := r.at(model.StepInvite); err != nil {
		return err
	}
	e := r.e
	e.InvitedAt = r.o.At
	r.log(e.Step, r.o.At)
	next := e.Step + 1
	if !e.AcceptedAt.IsZero() && next == r.sh.wait {
		e.History = append(e.History, model.StepRun{Step: next, Kind: model.StepWaitAccept, At: e.AcceptedAt, Outcome: Accepted})
		r.advance(next+1, e.AcceptedAt)
		return nil
	}
	r.advance(next, r.o.At)
	return nil
}

// accepted moves the lead past the wait. Reported while the invite is
// still the next step (the report overtook the invite's own), it is kept
// in AcceptedAt and applied when the invite is recorded.
func (r *recorder) accepted() error {
	if err := r.open(); err != nil {
		return err
	}
	e, at := r.e, r.o.At
	switch {
	case r.sh.invite < 0:
		return r.conflict("the campaign sends no invite")
	case e.Step < r.sh.invite:
		return r.conflict("no invite has been sent yet; the next step is %s", stepName(r.steps, e.Step))
	case e.Step == r.sh.invite:
		if !e.AcceptedAt.IsZero() {
			return r.conflict("an acceptance is already recorded (%s)", day(e.AcceptedAt))
		}
		e.AcceptedAt = at
		return nil
	case e.Step != r.sh.wait:
		return r.conflict("the next step is %s", stepName(r.steps, e.Step))
	}
	if !e.AcceptedAt.IsZero() && e.AcceptedAt.Before(at) {
		at = e.AcceptedAt
	}
	e.AcceptedAt = at
	r.log(e.Step, at)
	r.advance(e.Step+1, at)
	return nil
}

// alreadyConnected skips the visit, invite and wait of a lead who is a
// connection already; the first message is due at once (or its delay
// after an acceptance that is already known). In a campaign without an
// invite every lead must be a connection, so it is only noted.
func (r *recorder) alreadyConnected() error {
	if err := r.open(); err != nil {
		return err
	}
	e, at := r.e, r.o.At
	if run, ok := r.ran(-1, AlreadyConnected); ok {
		return r.conflict("already recorded on %s", day(run.At))
	}
	if r.sh.invite < 0 {
		r.log(e.Step, at)
		return nil
	}
	switch {
	case e.Step == r.sh.wait:
		return r.conflict("the invite was sent on %s; record %s instead", day(e.InvitedAt), Accepted)
	case e.Step > r.sh.invite:
		return r.conflict("the next step is %s", stepName(r.steps, e.Step))
	}
	r.log(e.Step, at)
	if r.sh.message < 0 {
		r.advance(len(r.steps), at)
		return nil
	}
	r.advance(r.sh.message, at)
	e.DueAt = at
	if !e.AcceptedAt.IsZero() {
		e.DueAt = e.AcceptedAt.Add(days(r.steps[r.sh.message].DelayDays))
	}
	return nil
}

func (r *recorder) messaged() error {
	if err := r.at(model.StepMessage, model.StepFollowUp); err != nil {
		return err
	}
	r.e.LastMessageAt = r.o.At
	r.log(r.e.Step, r.o.At)
	r.advance(r.e.Step+1, r.o.At)
	return nil
}

// replied stops the sequence. A reply after the last step still counts;
// its run then has Step len(steps) and no Kind.
func (r *recorder) replied() error {
	if r.e.Status != model.EnrolDone {
		if err := r.open(); err != nil {
			return err
		}
	}
	r.log(r.e.Step, r.o.At)
	r.end(model.EnrolReplied, "replied")
	return nil
}

func (r *recorder) withdrawn() error {
	if err := r.at(model.StepWaitAccept); err != nil {
		return err
	}
	r.log(r.e.Step, r.o.At)
	r.end(model.EnrolExited, fmt.Sprintf("invite not accepted within %s; withdrawn", count(r.steps[r.e.Step].WaitDays, "day")))
	return nil
}

func (r *recorder) exited() error {
	if r.o.Reason == "" {
		return model.Errorf(model.CodeInvalid, "cannot record %s without a reason", Exited)
	}
	if err := r.open(); err != nil {
		return err
	}
	r.log(r.e.Step, r.o.At)
	r.end(model.EnrolExited, r.o.Reason)
	return nil
}
