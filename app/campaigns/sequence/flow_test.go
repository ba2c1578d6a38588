package sequence

import (
	"testing"
	"time"

	"parley/app/model"
)

// TestSpecProgression walks one lead through the product spec: visit,
// invite with a note, accepted after 3 days, message exactly 2 days after
// acceptance, follow-up 4 days after the message, done.
func TestSpecProgression(t *testing.T) {
	l := enrol(t, specSteps())

	l.carryOut(l.expect(ActVisit, t0))
	l.wantState(model.EnrolActive, 1, t0)

	l.advance(time.Hour)
	a := l.expect(ActInvite, t0)
	if !a.NeedsApproval || a.Outcome != Invited || a.Reason != "send the invite with a note (due 28 Nov 2026) — needs approval" {
		t.Fatalf("invite action = %+v", a)
	}
	invitedAt := l.now
	l.carryOut(a)
	deadline := invitedAt.Add(14 * oneDay)
	l.wantState(model.EnrolActive, 2, deadline)
	if !l.e.InvitedAt.Equal(invitedAt) {
		t.Fatalf("InvitedAt = %s, want %s", l.e.InvitedAt, invitedAt)
	}

	for _, d := range []time.Duration{time.Minute, oneDay, 2*oneDay - time.Minute} {
		l.advance(d)
		if a := l.expect(ActWait, deadline); a.Reason != "waiting for acceptance until 12 Dec 2026 (withdraw then)" {
			t.Fatalf("wait reason = %q", a.Reason)
		}
	}

	// Accepted after 3 days: the runtime sees the connection.
	l.f.Connected = true
	acceptedAt := l.now
	a = l.expect(ActConnected, acceptedAt)
	if a.Outcome != Accepted || a.Step != 2 {
		t.Fatalf("acceptance action = %+v", a)
	}
	l.carryOut(a)
	due := acceptedAt.Add(2 * oneDay)
	l.wantState(model.EnrolActive, 3, due)
	if !l.e.AcceptedAt.Equal(acceptedAt) {
		t.Fatalf("AcceptedAt = %s, want %s", l.e.AcceptedAt, acceptedAt)
	}

	l.advance(2*oneDay - time.Second)
	if a := l.expect(ActWait, due); a.Reason != "message due on 3 Dec 2026" || a.StepKind != model.StepMessage {
		t.Fatalf("wait before the message = %+v", a)
	}
	l.advance(time.Second)
	a = l.expect(ActMessage, due)
	if a.Step != 3 || a.StepKind != model.StepMessage || a.NeedsApproval || a.Outcome != Messaged {
		t.Fatalf("message action = %+v", a)
	}
	messagedAt := l.now
	l.carryOut(a)
	followUp := messagedAt.Add(4 * oneDay)
	l.wantState(model.EnrolActive, 4, followUp)
	if !l.e.LastMessageAt.Equal(messagedAt) {
		t.Fatalf("LastMessageAt = %s, want %s", l.e.LastMessageAt, messagedAt)
	}

	l.advance(4*oneDay - time.Second)
	if a := l.expect(ActWait, followUp); a.Reason != "follow-up 1 due on 7 Dec 2026" {
		t.Fatalf("wait before the follow-up: %q", a.Reason)
	}
	l.advance(time.Second)
	a = l.expect(ActMessage, followUp)
	if a.StepKind != model.StepFollowUp || a.Reason != "send follow-up 1 (due 7 Dec 2026)" {
		t.Fatalf("follow-up action = %+v", a)
	}
	l.carryOut(a)
	l.wantState(model.EnrolDone, 5, time.Time{})

	l.advance(30 * oneDay)
	if a := l.expect(ActDone, time.Time{}); a.Outcome != "" || a.Reason != "sequence finished" {
		t.Fatalf("after the last step: %+v", a)
	}
	wantOutcomes(t, l.e.History, "visit:visited", "invite:invited", "wait_accept:accepted", "message:messaged", "follow_up:messaged")
	inv := l.e.History[1]
	if !inv.WithNote || inv.Variant == "" || l.e.History[3].Variant == "" {
		t.Fatalf("texts recorded without their variant: %+v", l.e.History)
	}
}

// TestReplyStops: a reply ends the sequence wherever the lead is.
func TestReplyStops(t *testing.T) {
	tests := []struct {
		name    string
		steps   []model.Step
		before  func(l *lead) // brings the lead to where it replies
		atStep  int
		history []string
	}{
		{"after the first message", specSteps(), func(l *lead) {
			l.record(Outcome{Kind: AlreadyConnected, At: l.now})
			l.carryOut(l.expect(ActMessage, t0))
		}, 4, []string{"visit:already_connected", "message:messaged", "follow_up:replied"}},
		{"while waiting for acceptance", specSteps(), func(l *lead) {
			l.carryOut(l.expect(ActVisit, t0))
			l.carryOut(l.expect(ActInvite, t0))
			l.advance(5 * oneDay)
		}, 2, []string{"visit:visited", "invite:invited", "wait_accept:replied"}},
		{"before anything was sent", specSteps(), func(*lead) {}, 0, []string{"visit:replied"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := enrol(t, tc.steps)
			tc.before(l)
			l.advance(time.Hour)
			l.f.Replied = true
			a := l.expect(ActDone, l.now)
			if a.Outcome != Replied || a.Reason != "replied — sequence stopped" {
				t.Fatalf("on reply: %+v", a)
			}
			l.carryOut(a)
			l.wantState(model.EnrolReplied, tc.atStep, time.Time{})
			wantOutcomes(t, l.e.History, tc.history...)
			for _, d := range []time.Duration{0, 5 * oneDay, 60 * oneDay} {
				l.advance(d)
				if a := l.expect(ActDone, time.Time{}); a.Outcome != "" || a.Reason != "replied — sequence stopped" {
					t.Fatalf("after the reply: %+v", a)
				}
			}
		})
	}
}

// TestReplyAfterLastStep: a reply after the sequence finished still
// counts, once.
func TestReplyAfterLastStep(t *testing.T) {
	steps := []model.Step{{Kind: model.StepMessage, Variants: variants("A")}}
	l := enrol(t, steps)
	l.f.Connected = true
	l.carryOut(l.expect(ActMessage, t0))
	l.wantState(model.EnrolDone, 1, time.Time{})
	l.advance(oneDay)
	l.f.Replied = true
	a := l.expect(ActDone, l.now)
	if a.Outcome != Replied {
		t.Fatalf("reply after the end: %+v", a)
	}
	l.carryOut(a)
	l.wantState(model.EnrolReplied, 1, time.Time{})
	if a := l.expect(ActDone, time.Time{}); a.Outcome != "" {
		t.Fatalf("a second reply would be recorded: %+v", a)
	}
}

// TestInviteTimeout: an invite not accepted within WaitDays is withdrawn
// or simply left, and the lead exits.
func TestInviteTimeout(t *testing.T) {
	tests := []struct {
		onTimeout  string
		waitReason string
		kind       string
		outcome    string
		reason     string
		exitReason string
	}{
		{model.TimeoutWithdraw, "waiting for acceptance until 12 Dec 2026 (withdraw then)", ActWithdraw, Withdrawn,
			"invite not accepted within 14 days — withdraw it", "invite not accepted within 14 days; withdrawn"},
		{model.TimeoutExit, "waiting for acceptance until 12 Dec 2026 (exit then)", ActExit, Exited,
			"invite not accepted within 14 days", "invite not accepted within 14 days"},
	}
	for _, tc := range tests {
		t.Run(tc.onTimeout, func(t *testing.T) {
			steps := specSteps()
			steps[2].OnTimeout = tc.onTimeout
			l := enrol(t, steps)
			l.carryOut(l.expect(ActVisit, t0))
			l.carryOut(l.expect(ActInvite, t0))
			deadline := t0.Add(14 * oneDay)

			l.advance(14*oneDay - time.Second)
			if a := l.expect(ActWait, deadline); a.Reason != tc.waitReason {
				t.Fatalf("wait reason = %q, want %q", a.Reason, tc.waitReason)
			}
			l.advance(time.Second)
			a := l.expect(tc.kind, deadline)
			if a.Outcome != tc.outcome || a.Reason != tc.reason || a.Step != 2 {
				t.Fatalf("at the deadline: %+v", a)
			}
			l.advance(time.Hour) // the runtime gets to it a little later
			l.carryOut(a)
			l.wantState(model.EnrolExited, 2, time.Time{})
			if l.e.Reason != tc.exitReason {
				t.Fatalf("Reason = %q, want %q", l.e.Reason, tc.exitReason)
			}
			if a := l.expect(ActExit, time.Time{}); a.Outcome != "" || a.Reason != "exited: "+tc.exitReason {
				t.Fatalf("after the exit: %+v", a)
			}
			wantOutcomes(t, l.e.History, "visit:visited", "invite:invited", "wait_accept:"+tc.outcome)
		})
	}
}

// TestAcceptedLate: an acceptance seen after the deadline but before the
// runtime acted on it still wins.
func TestAcceptedLate(t *testing.T) {
	l := enrol(t, specSteps())
	l.carryOut(l.expect(ActVisit, t0))
	l.carryOut(l.expect(ActInvite, t0))
	l.advance(20 * oneDay)
	l.f.Connected = true
	l.carryOut(l.expect(ActConnected, l.now))
	l.wantState(model.EnrolActive, 3, l.now.Add(2*oneDay))
}

// TestAlreadyConnected: a lead who is a connection skips the visit, the
// invite and the wait; the first message is due at once, without its
// delay.
func TestAlreadyConnected(t *testing.T) {
	tests := []struct {
		name  string
		visit bool // visited before the connection was found
	}{
		{"known at enrolment", false},
		{"found when inviting", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := enrol(t, specSteps())
			if tc.visit {
				l.carryOut(l.expect(ActVisit, t0))
				l.advance(time.Hour)
				l.expect(ActInvite, t0) // the invite page shows "Message": a connection
			}
			l.f.Connected = true
			a := l.expect(ActConnected, l.now)
			if a.Outcome != AlreadyConnected || a.Reason != "already a connection — skip the invite and message at once" {
				t.Fatalf("connected action = %+v", a)
			}
			l.carryOut(a)
			l.wantState(model.EnrolActive, 3, l.now)
			if !l.e.AcceptedAt.IsZero() || !l.e.InvitedAt.IsZero() {
				t.Fatalf("no invite or acceptance happened, but InvitedAt=%s AcceptedAt=%s", l.e.InvitedAt, l.e.AcceptedAt)
			}
			a = l.expect(ActMessage, l.now)
			if a.Step != 3 {
				t.Fatalf("message action = %+v", a)
			}
		})
	}
}

// TestAlreadyConnectedNoMessage: a campaign that only connects has
// nothing to do for a lead who is a connection already.
func TestAlreadyConnectedNoMessage(t *testing.T) {
	steps := specSteps()[:3]
	l := enrol(t, steps)
	l.f.Connected = true
	a := l.expect(ActDone, t0)
	if a.Outcome != AlreadyConnected {
		t.Fatalf("connected lead in a connect-only campaign: %+v", a)
	}
	l.carryOut(a)
	l.wantState(model.EnrolDone, 3, time.Time{})
	l.expect(ActDone, time.Time{})
	wantOutcomes(t, l.e.History, "visit:already_connected")
}

// TestNoInvite: a campaign without an invite messages connections only.
func TestNoInvite(t *testing.T) {
	steps := []model.Step{
		{Kind: model.StepVisit},
		{Kind: model.StepMessage, Variants: variants("A"), DelayDays: 1},
		{Kind: model.StepFollowUp, Variants: variants("A"), DelayDays: 3},
	}
	t.Run("not a connection", func(t *testing.T) {
		l := enrol(t, steps)
		l.carryOut(l.expect(ActVisit, t0)) // the visit does not need a connection
		l.advance(oneDay)
		a := l.expect(ActExit, l.now)
		if a.Outcome != Exited || a.Reason != "not a connection and the campaign sends no invite" {
			t.Fatalf("unconnected lead: %+v", a)
		}
		l.carryOut(a)
		l.wantState(model.EnrolExited, 1, time.Time{})
		if l.e.Reason != "not a connection and the campaign sends no invite" {
			t.Fatalf("Reason = %q", l.e.Reason)
		}
	})
	t.Run("connected", func(t *testing.T) {
		l := enrol(t, steps)
		l.f.Connected = true
		// The campaigns service notes every connected lead at enrolment;
		// without an invite there is nothing to skip, so the visit stays
		// and the message keeps its delay.
		l.record(Outcome{Kind: AlreadyConnected, At: t0})
		l.wantState(model.EnrolActive, 0, time.Time{})
		l.carryOut(l.expect(ActVisit, t0))
		l.wantState(model.EnrolActive, 1, t0.Add(oneDay))
		l.expect(ActWait, t0.Add(oneDay))
		l.advance(oneDay)
		l.carryOut(l.expect(ActMessage, t0.Add(oneDay)))
		l.advance(3 * oneDay)
		l.carryOut(l.expect(ActMessage, t0.Add(4*oneDay)))
		l.wantState(model.EnrolDone, 3, time.Time{})
		wantOutcomes(t, l.e.History, "visit:already_connected", "visit:visited", "message:messaged", "follow_up:messaged")
	})
	t.Run("first message waits its delay after enrolment", func(t *testing.T) {
		l := enrol(t, steps[1:])
		l.f.Connected = true
		a := l.expect(ActWait, t0.Add(oneDay))
		if a.Reason != "message due on 29 Nov 2026" {
			t.Fatalf("reason = %q", a.Reason)
		}
	})
}

// TestApproval: NeedsApproval is set only on the sends of text steps
// that ask for it.
func TestApproval(t *testing.T) {
	steps := []model.Step{
		{Kind: model.StepVisit},
		{Kind: model.StepInvite, Variants: variants("A"), Approval: true},
		{Kind: model.StepWaitAccept, WaitDays: 7, OnTimeout: model.TimeoutExit},
		{Kind: model.StepMessage, Variants: variants("A")},
		{Kind: model.StepFollowUp, Variants: variants("A"), DelayDays: 2, Approval: true},
		{Kind: model.StepFollowUp, Variants: variants("A"), DelayDays: 2},
	}
	want := []struct {
		kind     string
		approval bool
		reason   string
	}{
		{ActVisit, false, "visit the profile (due 28 Nov 2026)"},
		{ActInvite, true, "send the invite with a note (due 28 Nov 2026) — needs approval"},
		{ActConnected, false, "invite accepted"},
		{ActMessage, false, "send the message (due 5 Dec 2026)"},
		{ActMessage, true, "send follow-up 1 (due 7 Dec 2026) — needs approval"},
		{ActMessage, false, "send follow-up 2 (due 9 Dec 2026)"},
	}
	l := enrol(t, steps)
	l.e.DueAt = t0
	// The clock jumps to each due time; the acceptance is seen at the
	// deadline, and wins over the timeout.
	for i, w := range want {
		a := Next(l.steps, l.e, Facts{Connected: l.e.Step == 2}, l.now)
		if a.Kind != w.kind || a.NeedsApproval != w.approval || a.Reason != w.reason {
			t.Fatalf("step %d: got %s approval=%v %q, want %s approval=%v %q", i+1, a.Kind, a.NeedsApproval, a.Reason, w.kind, w.approval, w.reason)
		}
		l.carryOut(a)
		if !l.e.DueAt.IsZero() {
			l.now = l.e.DueAt
		}
	}
	l.wantState(model.EnrolDone, 6, time.Time{})

	noNote := []model.Step{{Kind: model.StepInvite}}
	if a := Next(noNote, enrol(t, noNote).e, Facts{}, t0); a.Kind != ActInvite || a.NeedsApproval || a.Reason != "send the invite without a note" {
		t.Fatalf("invite without a note: %+v", a)
	}
}

// TestNextOddStates: states Record never produces still get a safe answer.
func TestNextOddStates(t *testing.T) {
	steps := specSteps()
	e := enrol(t, steps).e
	tests := []struct {
		name   string
		steps  []model.Step
		edit   func(*model.Enrolment)
		kind   string
		reason string
	}{
		{"invalid sequence", []model.Step{{Kind: "call"}}, func(*model.Enrolment) {}, ActWait,
			`the sequence cannot run: step 1: "call" is not a step kind; use visit, invite, wait_accept, message or follow_up`},
		{"unknown status", steps, func(e *model.Enrolment) { e.Status = "paused" }, ActWait, `"paused" is not an enrolment status`},
		{"step past the end", steps, func(e *model.Enrolment) { e.Step = 9 }, ActExit, "the sequence has no step 10"},
		{"wait without an invite time", steps, func(e *model.Enrolment) { e.Step = 2 }, ActExit, "no invite was recorded before the wait for acceptance"},
		{"acceptance set outside Record", steps, func(e *model.Enrolment) { e.Step, e.InvitedAt, e.AcceptedAt = 2, t0, t0.Add(oneDay) }, ActConnected, "invite accepted"},
		{"empty status is active", steps, func(e *model.Enrolment) { e.Status = "" }, ActVisit, "visit the profile"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := clone(e)
			tc.edit(&e)
			a := Next(tc.steps, e, Facts{}, t0.Add(2*oneDay))
			if a.Kind != tc.kind || a.Reason != tc.reason {
				t.Fatalf("Next = %s %q, want %s %q", a.Kind, a.Reason, tc.kind, tc.reason)
			}
		})
	}
}
