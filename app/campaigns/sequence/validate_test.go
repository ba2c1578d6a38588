package sequence

import (
	"reflect"
	"testing"

	"parley/app/model"
)

// Shorthands for building test sequences.
func visit() model.Step { return model.Step{Kind: model.StepVisit} }
func invite(keys ...string) model.Step {
	return model.Step{Kind: model.StepInvite, Variants: variants(keys...)}
}
func waitFor(days int, then string) model.Step {
	return model.Step{Kind: model.StepWaitAccept, WaitDays: days, OnTimeout: then}
}
func msg(delay int, keys ...string) model.Step {
	return model.Step{Kind: model.StepMessage, DelayDays: delay, Variants: variants(keys...)}
}
func follow(delay int) model.Step {
	return model.Step{Kind: model.StepFollowUp, DelayDays: delay, Variants: variants("A")}
}
func with(s model.Step, edit func(*model.Step)) model.Step { edit(&s); return s }

func TestValidateAccepts(t *testing.T) {
	tests := []struct {
		name  string
		steps []model.Step
	}{
		{"product spec", specSteps()},
		{"invite without a note only", []model.Step{invite()}},
		{"visit and invite", []model.Step{visit(), invite("A")}},
		{"invite and wait, exit on timeout", []model.Step{invite(), waitFor(1, model.TimeoutExit)}},
		{"longest wait and delays", []model.Step{invite(), waitFor(90, model.TimeoutWithdraw), msg(90, "A"), follow(90)}},
		{"message at once after acceptance", []model.Step{invite(), waitFor(7, model.TimeoutExit), msg(0, "A")}},
		{"connections only", []model.Step{msg(0, "A")}},
		{"visit then message", []model.Step{visit(), msg(1, "A"), follow(1)}},
		{"five follow-ups", []model.Step{visit(), invite(), waitFor(7, model.TimeoutExit), msg(0, "A"),
			follow(1), follow(1), follow(1), follow(1), follow(1)}},
		{"five variants, long keys, extreme weights", []model.Step{{Kind: model.StepMessage, Variants: []model.Variant{
			{Key: "A", TemplateID: 1, Weight: 1}, {Key: "ÄÖÜßäöüé", TemplateID: 2, Weight: 100}, {Key: "long-key", TemplateID: 3, Weight: 5},
			{Key: "D", TemplateID: 1, Weight: 5}, {Key: "E", TemplateID: 1, Weight: 5}}}}},
		{"approval on text steps", []model.Step{with(invite("A"), func(s *model.Step) { s.Approval = true }),
			waitFor(3, model.TimeoutExit), with(msg(1, "A"), func(s *model.Step) { s.Approval = true })}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := Validate(tc.steps); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

func TestValidateRefuses(t *testing.T) {
	seq := func(steps ...model.Step) []model.Step { return steps }
	eleven := make([]model.Step, 11)
	for i := range eleven {
		eleven[i] = follow(1)
	}
	tests := []struct {
		name  string
		steps []model.Step
		msg   string
	}{
		{"no steps", nil, "the sequence has no steps; add at least one"},
		{"too many steps", eleven, "the sequence has 11 steps; at most 10 are allowed"},
		{"no kind", seq(model.Step{}), "step 1: has no kind; use visit, invite, wait_accept, message or follow_up"},
		{"unknown kind", seq(visit(), model.Step{Kind: "call"}), `step 2: "call" is not a step kind; use visit, invite, wait_accept, message or follow_up`},
		// Order.
		{"visit after the invite", seq(invite(), visit()), "step 2 (visit): a profile visit can only be the first step"},
		{"two visits", seq(visit(), visit(), invite()), "step 2 (visit): a profile visit can only be the first step"},
		{"two invites", seq(invite(), invite("A")), "step 2 (invite): only one invite is allowed"},
		{"invite after the message", seq(msg(0, "A"), invite()), "step 2 (invite): the invite must come before the message"},
		{"wait first", seq(waitFor(3, model.TimeoutExit)), "step 1 (wait_accept): must directly follow the invite"},
		{"wait after a visit", seq(visit(), waitFor(3, model.TimeoutExit)), "step 2 (wait_accept): must directly follow the invite"},
		{"two waits", seq(invite(), waitFor(3, model.TimeoutExit), waitFor(3, model.TimeoutExit)), "step 3 (wait_accept): must directly follow the invite"},
		{"message right after the invite", seq(visit(), invite(), msg(0, "A")), "step 3 (message): a wait_accept step must come between the invite and the message"},
		{"two messages", seq(invite(), waitFor(3, model.TimeoutExit), msg(0, "A"), follow(1), msg(0, "A")), "step 5 (message): only one message step is allowed; add follow-ups after it"},
		{"follow-up first", seq(follow(1)), "step 1 (follow_up): must come after a message step"},
		{"follow-up after the wait", seq(invite(), waitFor(3, model.TimeoutExit), follow(1)), "step 3 (follow_up): must come after a message step"},
		{"six follow-ups", seq(msg(0, "A"), follow(1), follow(1), follow(1), follow(1), follow(1), follow(1)), "step 7 (follow_up): at most 5 follow-ups are allowed"},
		// Delays and waits.
		{"negative message delay", seq(msg(-1, "A")), "step 1 (message): the delay must be 0 to 90 days (got -1)"},
		{"message delay too long", seq(msg(91, "A")), "step 1 (message): the delay must be 0 to 90 days (got 91)"},
		{"follow-up without a delay", seq(msg(0, "A"), follow(0)), "step 2 (follow_up): the delay must be 1 to 90 days (got 0)"},
		{"follow-up delay too long", seq(msg(0, "A"), follow(91)), "step 2 (follow_up): the delay must be 1 to 90 days (got 91)"},
		{"delay on an invite", seq(with(invite(), func(s *model.Step) { s.DelayDays = 2 })), "step 1 (invite): only message and follow-up steps have a delay"},
		{"delay on a wait", seq(invite(), with(waitFor(3, model.TimeoutExit), func(s *model.Step) { s.DelayDays = 2 })), "step 2 (wait_accept): only message and follow-up steps have a delay"},
		{"wait days on a visit", seq(with(visit(), func(s *model.Step) { s.WaitDays = 3 })), "step 1 (visit): only a wait_accept step has wait days and a timeout action"},
		{"timeout on a message", seq(with(msg(0, "A"), func(s *model.Step) { s.OnTimeout = model.TimeoutExit })), "step 1 (message): only a wait_accept step has wait days and a timeout action"},
		{"no wait", seq(invite(), waitFor(0, model.TimeoutExit)), "step 2 (wait_accept): the wait must be 1 to 90 days (got 0)"},
		{"wait too long", seq(invite(), waitFor(91, model.TimeoutExit)), "step 2 (wait_accept): the wait must be 1 to 90 days (got 91)"},
		{"no timeout action", seq(invite(), waitFor(14, "")), "step 2 (wait_accept): needs an action on timeout: withdraw or exit"},
		{"unknown timeout action", seq(invite(), waitFor(14, "delete")), `step 2 (wait_accept): the action on timeout must be withdraw or exit (got "delete")`},
		// Templates.
		{"message without templates", seq(invite(), waitFor(3, model.TimeoutExit), msg(0)), "step 3 (message): needs at least one template"},
		{"follow-up without templates", seq(msg(0, "A"), with(follow(1), func(s *model.Step) { s.Variants = nil })), "step 2 (follow_up): needs at least one template"},
		{"six message templates", seq(msg(0, "A", "B", "C", "D", "E", "F")), "step 1 (message): has 6 templates; at most 5 are allowed"},
		{"six invite notes", seq(invite("A", "B", "C", "D", "E", "F")), "step 1 (invite): has 6 templates; at most 5 are allowed"},
		{"templates on a visit", seq(with(visit(), func(s *model.Step) { s.Variants = variants("A") })), "step 1 (visit): takes no templates"},
		{"templates on a wait", seq(invite(), with(waitFor(3, model.TimeoutExit), func(s *model.Step) { s.Variants = variants("A") })), "step 2 (wait_accept): takes no templates"},
		{"variant without a key", seq(msg(0, "A", "")), "step 1 (message): variant 2 has no key"},
		{"key too long", seq(msg(0, "ABCDEFGHI")), `step 1 (message): variant key "ABCDEFGHI" is longer than 8 characters`},
		{"key used twice", seq(invite("A", "B", "A")), `step 1 (invite): variant key "A" is used twice`},
		{"variant without a template", seq(with(msg(0, "A", "B"), func(s *model.Step) { s.Variants[1].TemplateID = 0 })), "step 1 (message): variant B has no template"},
		{"zero weight", seq(with(msg(0, "A"), func(s *model.Step) { s.Variants[0].Weight = 0 })), "step 1 (message): variant A: the weight must be 1 to 100 (got 0)"},
		{"weight too high", seq(with(msg(0, "A"), func(s *model.Step) { s.Variants[0].Weight = 101 })), "step 1 (message): variant A: the weight must be 1 to 100 (got 101)"},
		// Approval.
		{"approval on a visit", seq(with(visit(), func(s *model.Step) { s.Approval = true })), "step 1 (visit): only steps that send a text can need approval"},
		{"approval on an invite without a note", seq(with(invite(), func(s *model.Step) { s.Approval = true })), "step 1 (invite): an invite without a note has nothing to approve"},
		{"approval on a wait", seq(invite(), with(waitFor(3, model.TimeoutExit), func(s *model.Step) { s.Approval = true })), "step 2 (wait_accept): only steps that send a text can need approval"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(tc.steps)
			if err == nil {
				t.Fatalf("Validate accepted %+v", tc.steps)
			}
			if model.ErrorCode(err) != model.CodeInvalid {
				t.Fatalf("code = %s, want invalid", model.ErrorCode(err))
			}
			if err.Error() != tc.msg {
				t.Fatalf("message:\n got %q\nwant %q", err.Error(), tc.msg)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	in := []model.Step{
		visit(),
		{Kind: model.StepMessage, Variants: []model.Variant{
			{TemplateID: 1}, {Key: "A", TemplateID: 2, Weight: 30}, {TemplateID: 3, Weight: 70}, {Key: "C", TemplateID: 4, Weight: -1}}},
	}
	before := []model.Variant{{TemplateID: 1}, {Key: "A", TemplateID: 2, Weight: 30}, {TemplateID: 3, Weight: 70}, {Key: "C", TemplateID: 4, Weight: -1}}
	got := Normalize(in)
	want := []model.Variant{
		{Key: "B", TemplateID: 1, Weight: 1}, {Key: "A", TemplateID: 2, Weight: 30},
		{Key: "D", TemplateID: 3, Weight: 70}, {Key: "C", TemplateID: 4, Weight: -1}}
	if !reflect.DeepEqual(got[1].Variants, want) {
		t.Fatalf("Normalize = %+v, want %+v", got[1].Variants, want)
	}
	if !reflect.DeepEqual(in[1].Variants, before) {
		t.Fatalf("Normalize changed its input: %+v", in[1].Variants)
	}
	if got[0].Variants != nil || Normalize(nil) != nil {
		t.Fatal("Normalize invented variants")
	}
	if err := Validate(Normalize([]model.Step{{Kind: model.StepMessage, Variants: []model.Variant{{TemplateID: 1}, {TemplateID: 2}}}})); err != nil {
		t.Fatalf("a normalised form does not validate: %v", err)
	}
}

func TestLetters(t *testing.T) {
	for n, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA"} {
		if got := letters(n); got != want {
			t.Errorf("letters(%d) = %q, want %q", n, got, want)
		}
	}
}
