package sequence

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"parley/app/model"
)

// t0 is when the test leads are enrolled; tests move a plain time value
// forward from it as their clock.
var t0 = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

const oneDay = 24 * time.Hour

func variants(keys ...string) []model.Variant {
	vs := make([]model.Variant, len(keys))
	for i, k := range keys {
		vs[i] = model.Variant{Key: k, TemplateID: uint64(i + 1), Weight: 50}
	}
	return vs
}

// specSteps is the product spec's sequence: visit, invite with a note
// needing approval, wait 14 days then withdraw, message 2 days after
// acceptance, follow-up 4 days later.
func specSteps() []model.Step {
	return []model.Step{
		{Kind: model.StepVisit},
		{Kind: model.StepInvite, Variants: variants("A", "B"), Approval: true},
		{Kind: model.StepWaitAccept, WaitDays: 14, OnTimeout: model.TimeoutWithdraw},
		{Kind: model.StepMessage, Variants: variants("A", "B"), DelayDays: 2},
		{Kind: model.StepFollowUp, Variants: variants("A"), DelayDays: 4},
	}
}

// lead is one enrolled lead, what is known about it, and its clock.
type lead struct {
	t     *testing.T
	steps []model.Step
	e     model.Enrolment
	f     Facts
	now   time.Time
}

// enrol enrols a lead the way the campaigns service does: active, step 0,
// no due time yet.
func enrol(t *testing.T, steps []model.Step) *lead {
	t.Helper()
	if err := Validate(steps); err != nil {
		t.Fatalf("test sequence is invalid: %v", err)
	}
	e := model.Enrolment{CampaignID: 7, LeadID: 42, AccountID: 1, Status: model.EnrolActive, EnrolledAt: t0, UpdatedAt: t0}
	return &lead{t: t, steps: steps, e: e, now: t0}
}

func (l *lead) advance(d time.Duration) { l.now = l.now.Add(d) }

// expect asks Next and checks the kind and time of the action.
func (l *lead) expect(kind string, at time.Time) Action {
	l.t.Helper()
	a := Next(l.steps, l.e, l.f, l.now)
	if a.Kind != kind || !a.At.Equal(at) {
		l.t.Fatalf("at %s: Next = %s at %s (%q), want %s at %s", l.now.Format(time.DateTime), a.Kind, a.At.Format(time.DateTime), a.Reason, kind, at.Format(time.DateTime))
	}
	return a
}

// record records o, which must fit.
func (l *lead) record(o Outcome) {
	l.t.Helper()
	if err := Record(l.steps, &l.e, o); err != nil {
		l.t.Fatalf("Record(%+v): %v", o, err)
	}
}

// carryOut does what a carries out now and records its outcome, using
// the variant PickVariant chooses for texts.
func (l *lead) carryOut(a Action) {
	l.t.Helper()
	o := Outcome{Kind: a.Outcome, Step: a.Step, At: l.now, Reason: a.Reason}
	if a.Step < len(l.steps) && l.steps[a.Step].HasText() && (a.Kind == ActInvite || a.Kind == ActMessage) {
		o.Variant = PickVariant(l.steps[a.Step].Variants, l.e.CampaignID, l.e.LeadID, a.Step).Key
		o.WithNote = a.Kind == ActInvite
	}
	l.record(o)
}

func (l *lead) wantState(status string, step int, due time.Time) {
	l.t.Helper()
	if l.e.Status != status || l.e.Step != step || !l.e.DueAt.Equal(due) {
		l.t.Fatalf("enrolment is %s at step %d due %s, want %s at step %d due %s",
			l.e.Status, l.e.Step, l.e.DueAt.Format(time.DateTime), status, step, due.Format(time.DateTime))
	}
}

// outcomes lists the history as "step:outcome" pairs.
func outcomes(h []model.StepRun) []string {
	var s []string
	for _, r := range h {
		s = append(s, r.Kind+":"+r.Outcome)
	}
	return s
}

func wantOutcomes(t *testing.T, h []model.StepRun, want ...string) {
	t.Helper()
	if got := outcomes(h); !slices.Equal(got, want) {
		t.Fatalf("history = %q, want %q", got, want)
	}
}

// clone deep-copies an enrolment so before/after comparisons see any
// change Record makes.
func clone(e model.Enrolment) model.Enrolment {
	e.History = slices.Clone(e.History)
	return e
}

func sameEnrolment(a, b model.Enrolment) bool { return reflect.DeepEqual(a, b) }
