package sequence

import (
	"fmt"
	"math"
	"strings"

	"parley/app/model"
)

// Describe returns one line in plain words per step, for the UI:
// "Send a connection invite with a note (2 variants: A 50%, B 50%) — needs
// approval", "Wait up to 14 days for acceptance, then withdraw the
// invite", "Message 2 days after acceptance", "Follow up 4 days later if
// no reply". It describes any sequence, valid or not.
func Describe(steps []model.Step) []string {
	lines := make([]string, len(steps))
	invite := false
	for i, s := range steps {
		var line string
		switch s.Kind {
		case model.StepVisit:
			line = "Visit the profile"
		case model.StepInvite:
			invite = true
			line = "Send a connection invite without a note"
			if len(s.Variants) > 0 {
				line = "Send a connection invite with a note"
			}
		case model.StepWaitAccept:
			line = fmt.Sprintf("Wait up to %s for acceptance, then ", count(s.WaitDays, "day"))
			if s.OnTimeout == model.TimeoutExit {
				line += "stop and leave the invite pending"
			} else {
				line += "withdraw the invite"
			}
		case model.StepMessage:
			line = "Message " + messageWhen(steps, i, invite)
		case model.StepFollowUp:
			line = fmt.Sprintf("Follow up %s later if no reply", count(s.DelayDays, "day"))
		default:
			line = fmt.Sprintf("Unknown step %q", s.Kind)
		}
		lines[i] = line + shares(s.Variants) + approval(s)
	}
	return lines
}

// messageWhen says when the first message goes out.
func messageWhen(steps []model.Step, i int, invite bool) string {
	after := "enrolment"
	switch {
	case invite:
		after = "acceptance"
	case i > 0 && steps[i-1].Kind == model.StepVisit:
		after = "the profile visit"
	}
	if d := steps[i].DelayDays; d > 0 {
		return fmt.Sprintf("%s after %s", count(d, "day"), after)
	}
	return "right after " + after
}

// shares is " (2 variants: A 50%, B 50%)", or "" for fewer than two.
func shares(vs []model.Variant) string {
	if len(vs) < 2 {
		return ""
	}
	total := 0
	for _, v := range vs {
		total += int(weight(v))
	}
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%s %d%%", v.Key, int(math.Round(100*float64(weight(v))/float64(total))))
	}
	return fmt.Sprintf(" (%d variants: %s)", len(vs), strings.Join(parts, ", "))
}

func approval(s model.Step) string {
	if s.Approval && s.HasText() {
		return " — needs approval"
	}
	return ""
}
