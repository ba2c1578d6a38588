package sequence

import (
	"fmt"
	"time"

	"parley/app/model"
)

// shape holds the indexes of the one-off steps of a valid sequence; -1
// when the step is absent.
type shape struct{ invite, wait, message int }

func shapeOf(steps []model.Step) shape {
	sh := shape{-1, -1, -1}
	for i, s := range steps {
		switch s.Kind {
		case model.StepInvite:
			sh.invite = i
		case model.StepWaitAccept:
			sh.wait = i
		case model.StepMessage:
			sh.message = i
		}
	}
	return sh
}

// kindAt is the kind of steps[i], or "" past the end.
func kindAt(steps []model.Step, i int) string {
	if i < 0 || i >= len(steps) {
		return ""
	}
	return steps[i].Kind
}

// label names steps[i] for people: "profile visit", "invite", "message",
// "follow-up 2".
func label(steps []model.Step, i int) string {
	switch kindAt(steps, i) {
	case model.StepVisit:
		return "profile visit"
	case model.StepInvite:
		return "invite"
	case model.StepWaitAccept:
		return "wait for acceptance"
	case model.StepMessage:
		return "message"
	case model.StepFollowUp:
		n := 0
		for _, s := range steps[:i+1] {
			if s.Kind == model.StepFollowUp {
				n++
			}
		}
		return fmt.Sprintf("follow-up %d", n)
	}
	return fmt.Sprintf("step %d", i+1)
}

// stepName is "step 3 (message)" with the number counted from 1.
func stepName(steps []model.Step, i int) string {
	return fmt.Sprintf("step %d (%s)", i+1, kindAt(steps, i))
}

// day formats a time as "5 Jan 2027".
func day(t time.Time) string { return t.Format("2 Jan 2006") }

// days is n whole days of 24 hours.
func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// count is "1 day", "2 days".
func count(n int, unit string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
