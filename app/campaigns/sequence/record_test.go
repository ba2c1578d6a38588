package sequence

import (
	"testing"
	"time"

	"parley/app/model"
)

// after returns a fresh enrolment in steps with each outcome recorded in
// turn, an hour apart from t0.
func after(t *testing.T, steps []model.Step, os ...Outcome) model.Enrolment {
	t.Helper()
	l := enrol(t, steps)
	for i, o := range os {
		if o.At.IsZero() {
			o.At = t0.Add(time.Duration(i) * time.Hour)
		}
		l.record(o)
	}
	return l.e
}

var (
	visited   = Outcome{Kind: Visited, Step: 0}
	invited   = Outcome{Kind: Invited, Step: 1, WithNote: true, Variant: "A"}
	accepted  = Outcome{Kind: Accepted}
	message   = Outcome{Kind: Messaged, Step: 3, Variant: "B"}
	followUp1 = Outcome{Kind: Messaged, Step: 4, Variant: "A"}
)

// twoFollowUps is the spec sequence with a second follow-up, so that two
// steps in a row take the same outcome.
func twoFollowUps() []model.Step {
	return append(specSteps(), model.Step{Kind: model.StepFollowUp, Variants: variants("A"), DelayDays: 4})
}

// TestRecordRefuses: outcomes that do not fit where the lead stands are
// refused with a code and a message naming both, and change nothing.
func TestRecordRefuses(t *testing.T) {
	noInvite := []model.Step{{Kind: model.StepMessage, Variants: variants("A")}}
	tests := []struct {
		name  string
		steps []model.Step
		done  []Outcome
		o     Outcome
		code  model.Code
		msg   string
	}{
		{"message before the invite", specSteps(), []Outcome{visited}, Outcome{Kind: Messaged, Step: 1, Variant: "A"},
			model.CodeConflict, "cannot record messaged: the next step is step 2 (invite)"},
		{"message for a later step", specSteps(), []Outcome{visited}, Outcome{Kind: Messaged, Step: 3, Variant: "A"},
			model.CodeConflict, "cannot record messaged: the next step is step 2 (invite)"},
		{"visit twice", specSteps(), []Outcome{visited}, visited,
			model.CodeConflict, "cannot record visited for step 1 (visit): already recorded on 28 Nov 2026"},
		{"invite twice", specSteps(), []Outcome{visited, invited}, invited,
			model.CodeConflict, "cannot record invited for step 2 (invite): already recorded on 28 Nov 2026"},
		{"message twice before a follow-up", twoFollowUps(), []Outcome{visited, invited, accepted, message}, message,
			model.CodeConflict, "cannot record messaged for step 4 (message): already recorded on 28 Nov 2026"},
		{"follow-up twice before another", twoFollowUps(), []Outcome{visited, invited, accepted, message, followUp1}, followUp1,
			model.CodeConflict, "cannot record messaged for step 5 (follow_up): already recorded on 28 Nov 2026"},
		{"follow-up for a step not reached", twoFollowUps(), []Outcome{visited, invited, accepted, message}, Outcome{Kind: Messaged, Step: 5, Variant: "A"},
			model.CodeConflict, "cannot record messaged for step 6: the next step is step 5 (follow_up)"},
		{"last follow-up twice", specSteps(), []Outcome{visited, invited, accepted, message, followUp1}, followUp1,
			model.CodeConflict, "cannot record messaged for step 5 (follow_up): already recorded on 28 Nov 2026"},
		{"accepted twice", specSteps(), []Outcome{visited, invited, accepted}, accepted,
			model.CodeConflict, "cannot record accepted: the next step is step 4 (message)"},
		{"accepted before any invite", specSteps(), nil, accepted,
			model.CodeConflict, "cannot record accepted: no invite has been sent yet; the next step is step 1 (visit)"},
		{"accepted twice before the invite is recorded", specSteps(), []Outcome{visited, accepted}, accepted,
			model.CodeConflict, "cannot record accepted: an acceptance is already recorded (28 Nov 2026)"},
		{"accepted without an invite step", noInvite, nil, accepted,
			model.CodeConflict, "cannot record accepted: the campaign sends no invite"},
		{"already connected after the invite", specSteps(), []Outcome{visited, invited}, Outcome{Kind: AlreadyConnected},
			model.CodeConflict, "cannot record already_connected: the invite was sent on 28 Nov 2026; record accepted instead"},
		{"already connected twice", specSteps(), []Outcome{{Kind: AlreadyConnected}}, Outcome{Kind: AlreadyConnected},
			model.CodeConflict, "cannot record already_connected: already recorded on 28 Nov 2026"},
		{"already connected twice without an invite", noInvite, []Outcome{{Kind: AlreadyConnected}}, Outcome{Kind: AlreadyConnected},
			model.CodeConflict, "cannot record already_connected: already recorded on 28 Nov 2026"},
		{"already connected after messaging", specSteps(), []Outcome{visited, invited, accepted, message}, Outcome{Kind: AlreadyConnected},
			model.CodeConflict, "cannot record already_connected: the next step is step 5 (follow_up)"},
		{"withdrawn before the invite", specSteps(), []Outcome{visited}, Outcome{Kind: Withdrawn, Step: 1},
			model.CodeConflict, "cannot record withdrawn: the next step is step 2 (invite)"},
		{"withdrawn after acceptance", specSteps(), []Outcome{visited, invited, accepted}, Outcome{Kind: Withdrawn, Step: 2},
			model.CodeConflict, "cannot record withdrawn: the next step is step 4 (message)"},
		{"reply twice", specSteps(), []Outcome{{Kind: Replied}}, Outcome{Kind: Replied},
			model.CodeConflict, "cannot record replied: the lead has replied and the sequence has stopped"},
		{"message after a reply", specSteps(), []Outcome{{Kind: AlreadyConnected}, {Kind: Replied}}, Outcome{Kind: Messaged, Step: 3, Variant: "A"},
			model.CodeConflict, "cannot record messaged: the lead has replied and the sequence has stopped"},
		{"reply after an exit", specSteps(), []Outcome{{Kind: Exited, Reason: "blacklisted"}}, Outcome{Kind: Replied},
			model.CodeConflict, "cannot record replied: the lead has left the sequence (blacklisted)"},
		{"exit after the end", noInvite, []Outcome{{Kind: Messaged, Step: 0, Variant: "A"}}, Outcome{Kind: Exited, Reason: "x"},
			model.CodeConflict, "cannot record exited: the lead has finished the sequence"},
		{"unknown outcome", specSteps(), nil, Outcome{Kind: "bounced"},
			model.CodeInvalid, `"bounced" is not an outcome`},
		{"no time", specSteps(), nil, Outcome{Kind: Visited, At: time.Time{}},
			model.CodeInvalid, "cannot record visited without a time"},
		{"exit without a reason", specSteps(), nil, Outcome{Kind: Exited},
			model.CodeInvalid, "cannot record exited without a reason"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := after(t, tc.steps, tc.done...)
			before := clone(e)
			o := tc.o
			if o.At.IsZero() && tc.name != "no time" {
				o.At = t0.Add(10 * time.Hour)
			}
			err := Record(tc.steps, &e, o)
			if err == nil {
				t.Fatalf("Record(%+v) fitted; enrolment now %+v", o, e)
			}
			if got := model.ErrorCode(err); got != tc.code {
				t.Fatalf("code = %s, want %s (%v)", got, tc.code, err)
			}
			if err.Error() != tc.msg {
				t.Fatalf("message:\n got %q\nwant %q", err.Error(), tc.msg)
			}
			if !sameEnrolment(before, e) {
				t.Fatalf("a refused outcome changed the enrolment:\nbefore %+v\n after %+v", before, e)
			}
		})
	}
}

func TestRecordInvalidInput(t *testing.T) {
	if err := Record(specSteps(), nil, Outcome{Kind: Visited, At: t0}); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatalf("nil enrolment: %v", err)
	}
	e := after(t, specSteps())
	before := clone(e)
	bad := []model.Step{{Kind: model.StepMessage}}
	err := Record(bad, &e, Outcome{Kind: Messaged, At: t0, Variant: "A"})
	if model.ErrorCode(err) != model.CodeInvalid || err.Error() != "step 1 (message): needs at least one template" {
		t.Fatalf("invalid sequence: %v", err)
	}
	if !sameEnrolment(before, e) {
		t.Fatal("an invalid sequence changed the enrolment")
	}
}

// TestEarlyAcceptance: an acceptance that overtakes the invite's own
// report is kept, and the message is due DelayDays after it.
func TestEarlyAcceptance(t *testing.T) {
	acceptedAt := t0.Add(time.Hour)
	e := after(t, specSteps(), visited, Outcome{Kind: Accepted, At: acceptedAt})
	if e.Step != 1 || !e.AcceptedAt.Equal(acceptedAt) || len(e.History) != 1 {
		t.Fatalf("acceptance before the invite record: step %d, AcceptedAt %s, %d runs", e.Step, e.AcceptedAt, len(e.History))
	}
	if a := Next(specSteps(), e, Facts{}, acceptedAt); a.Kind != ActConnected || a.Outcome != AlreadyConnected {
		t.Fatalf("Next with a known acceptance = %+v", a)
	}
	invitedAt := acceptedAt.Add(time.Minute)
	if err := Record(specSteps(), &e, Outcome{Kind: Invited, Step: 1, At: invitedAt, WithNote: true, Variant: "B"}); err != nil {
		t.Fatal(err)
	}
	if e.Step != 3 || !e.DueAt.Equal(acceptedAt.Add(2*oneDay)) || !e.InvitedAt.Equal(invitedAt) {
		t.Fatalf("after the invite: step %d due %s invited %s", e.Step, e.DueAt, e.InvitedAt)
	}
	wantOutcomes(t, e.History, "visit:visited", "invite:invited", "wait_accept:accepted")

	// Or the runtime acts on Next's advice instead of recording the invite.
	e = after(t, specSteps(), visited, Outcome{Kind: Accepted, At: acceptedAt})
	if err := Record(specSteps(), &e, Outcome{Kind: AlreadyConnected, At: invitedAt}); err != nil {
		t.Fatal(err)
	}
	if e.Step != 3 || !e.DueAt.Equal(acceptedAt.Add(2*oneDay)) {
		t.Fatalf("connected after a known acceptance: step %d due %s", e.Step, e.DueAt)
	}
}

// TestAcceptanceRightAfterInvite: acceptance reported a minute after the
// invite, before the runtime ever looked at the wait, applies the same way.
func TestAcceptanceRightAfterInvite(t *testing.T) {
	acceptedAt := t0.Add(time.Hour + time.Minute)
	e := after(t, specSteps(), visited, invited, Outcome{Kind: Accepted, At: acceptedAt})
	if e.Step != 3 || !e.DueAt.Equal(acceptedAt.Add(2*oneDay)) || !e.AcceptedAt.Equal(acceptedAt) {
		t.Fatalf("step %d due %s accepted %s", e.Step, e.DueAt, e.AcceptedAt)
	}
	if a := Next(specSteps(), e, Facts{Connected: true}, acceptedAt.Add(oneDay)); a.Kind != ActWait || !a.At.Equal(e.DueAt) {
		t.Fatalf("Next = %+v", a)
	}
}

// TestInviteOnly: a campaign that only invites is done once the invite is
// sent or accepted.
func TestInviteOnly(t *testing.T) {
	e := after(t, []model.Step{{Kind: model.StepVisit}, {Kind: model.StepInvite}}, visited, Outcome{Kind: Invited, Step: 1})
	if e.Status != model.EnrolDone || e.Step != 2 {
		t.Fatalf("invite-only: %s at step %d", e.Status, e.Step)
	}
	wait := []model.Step{{Kind: model.StepInvite}, {Kind: model.StepWaitAccept, WaitDays: 3, OnTimeout: model.TimeoutExit}}
	e = after(t, wait, Outcome{Kind: Invited, Step: 0}, accepted)
	if e.Status != model.EnrolDone || e.Step != 2 {
		t.Fatalf("invite and wait: %s at step %d", e.Status, e.Step)
	}
}

// TestRecordKeepsVariants: the history says which text each send used.
func TestRecordKeepsVariants(t *testing.T) {
	e := after(t, specSteps(), visited, Outcome{Kind: Invited, Step: 1, WithNote: false}, accepted, message)
	inv, msg := e.History[1], e.History[3]
	if inv.WithNote || inv.Variant != "" || msg.Variant != "B" || msg.Step != 3 || msg.Kind != model.StepMessage {
		t.Fatalf("runs: %+v", e.History)
	}
	if e.Status != model.EnrolActive || e.Reason != "" {
		t.Fatalf("status %s reason %q", e.Status, e.Reason)
	}
}
