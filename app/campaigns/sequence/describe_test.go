package sequence

import (
	"slices"
	"testing"

	"parley/app/model"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		name  string
		steps []model.Step
		want  []string
	}{
		{"product spec", specSteps(), []string{
			"Visit the profile",
			"Send a connection invite with a note (2 variants: A 50%, B 50%) — needs approval",
			"Wait up to 14 days for acceptance, then withdraw the invite",
			"Message 2 days after acceptance (2 variants: A 50%, B 50%)",
			"Follow up 4 days later if no reply",
		}},
		{"no note, exit, one-day delays", []model.Step{
			invite(), waitFor(1, model.TimeoutExit), with(msg(1, "A"), func(s *model.Step) { s.Approval = true }), follow(1),
		}, []string{
			"Send a connection invite without a note",
			"Wait up to 1 day for acceptance, then stop and leave the invite pending",
			"Message 1 day after acceptance — needs approval",
			"Follow up 1 day later if no reply",
		}},
		{"connections only", []model.Step{visit(), msg(0, "A"), follow(3)}, []string{
			"Visit the profile",
			"Message right after the profile visit",
			"Follow up 3 days later if no reply",
		}},
		{"message first", []model.Step{msg(3, "A", "B", "C")}, []string{
			"Message 3 days after enrolment (3 variants: A 33%, B 33%, C 33%)",
		}},
		{"uneven weights", []model.Step{invite(), waitFor(7, model.TimeoutWithdraw), {Kind: model.StepMessage, Variants: weighted(70, 20, 10)}}, []string{
			"Send a connection invite without a note",
			"Wait up to 7 days for acceptance, then withdraw the invite",
			"Message right after acceptance (3 variants: A 70%, B 20%, C 10%)",
		}},
		{"invalid steps still described", []model.Step{{Kind: "call"}}, []string{`Unknown step "call"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Describe(tc.steps); !slices.Equal(got, tc.want) {
				t.Fatalf("Describe:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
