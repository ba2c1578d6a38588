package sequence

import (
	"fmt"
	"unicode/utf8"

	"parley/app/model"
)

// Limits of a sequence.
const (
	MaxSteps     = 10
	MaxFollowUps = 5
	MaxVariants  = 5
	MaxKeyLen    = 8 // characters
	MaxWeight    = 100
	MaxWaitDays  = 90
	MaxDelayDays = 90
)

// Validate returns a CodeInvalid error naming the first problem of a
// sequence and its step number (from 1), or nil when the sequence can run.
func Validate(steps []model.Step) error {
	if len(steps) == 0 {
		return model.Errorf(model.CodeInvalid, "the sequence has no steps; add at least one")
	}
	if len(steps) > MaxSteps {
		return model.Errorf(model.CodeInvalid, "the sequence has %d steps; at most %d are allowed", len(steps), MaxSteps)
	}
	var t tally
	for i, s := range steps {
		if msg := t.check(steps, i); msg != "" {
			if !knownKind(s.Kind) {
				return model.Errorf(model.CodeInvalid, "step %d: %s", i+1, msg)
			}
			return model.Errorf(model.CodeInvalid, "step %d (%s): %s", i+1, s.Kind, msg)
		}
	}
	return nil
}

func knownKind(k string) bool {
	switch k {
	case model.StepVisit, model.StepInvite, model.StepWaitAccept, model.StepMessage, model.StepFollowUp:
		return true
	}
	return false
}

// tally is what Validate has seen so far; the order rules need it.
type tally struct {
	invite, wait, message bool
	followUps             int
}

// check returns the problem of steps[i] in plain words, or "".
func (t *tally) check(steps []model.Step, i int) string {
	s := steps[i]
	if msg := t.place(steps, i); msg != "" {
		return msg
	}
	if msg := checkTiming(s); msg != "" {
		return msg
	}
	if msg := checkVariants(s); msg != "" {
		return msg
	}
	if s.Approval && !s.HasText() {
		if s.Kind == model.StepInvite {
			return "an invite without a note has nothing to approve"
		}
		return "only steps that send a text can need approval"
	}
	return ""
}

// place checks where the step stands in the sequence and counts it.
func (t *tally) place(steps []model.Step, i int) string {
	switch steps[i].Kind {
	case model.StepVisit:
		if i > 0 {
			return "a profile visit can only be the first step"
		}
	case model.StepInvite:
		switch {
		case t.invite:
			return "only one invite is allowed"
		case t.message:
			return "the invite must come before the message"
		}
		t.invite = true
	case model.StepWaitAccept:
		if i == 0 || steps[i-1].Kind != model.StepInvite {
			return "must directly follow the invite"
		}
		t.wait = true
	case model.StepMessage:
		switch {
		case t.message:
			return "only one message step is allowed; add follow-ups after it"
		case t.invite && !t.wait:
			return "a wait_accept step must come between the invite and the message"
		}
		t.message = true
	case model.StepFollowUp:
		if !t.message {
			return "must come after a message step"
		}
		if t.followUps++; t.followUps > MaxFollowUps {
			return fmt.Sprintf("at most %d follow-ups are allowed", MaxFollowUps)
		}
	case "":
		return "has no kind; use visit, invite, wait_accept, message or follow_up"
	default:
		return fmt.Sprintf("%q is not a step kind; use visit, invite, wait_accept, message or follow_up", steps[i].Kind)
	}
	return ""
}

// checkTiming checks the delay, wait and timeout fields, which only some
// kinds have.
func checkTiming(s model.Step) string {
	switch s.Kind {
	case model.StepMessage:
		if s.DelayDays < 0 || s.DelayDays > MaxDelayDays {
			return fmt.Sprintf("the delay must be 0 to %d days (got %d)", MaxDelayDays, s.DelayDays)
		}
	case model.StepFollowUp:
		if s.DelayDays < 1 || s.DelayDays > MaxDelayDays {
			return fmt.Sprintf("the delay must be 1 to %d days (got %d)", MaxDelayDays, s.DelayDays)
		}
	default:
		if s.DelayDays != 0 {
			return "only message and follow-up steps have a delay"
		}
	}
	if s.Kind != model.StepWaitAccept {
		if s.WaitDays != 0 || s.OnTimeout != "" {
			return "only a wait_accept step has wait days and a timeout action"
		}
		return ""
	}
	if s.WaitDays < 1 || s.WaitDays > MaxWaitDays {
		return fmt.Sprintf("the wait must be 1 to %d days (got %d)", MaxWaitDays, s.WaitDays)
	}
	switch s.OnTimeout {
	case model.TimeoutWithdraw, model.TimeoutExit:
		return ""
	case "":
		return "needs an action on timeout: withdraw or exit"
	}
	return fmt.Sprintf("the action on timeout must be withdraw or exit (got %q)", s.OnTimeout)
}

// checkVariants checks the number of variants a kind takes and each one.
func checkVariants(s model.Step) string {
	n := len(s.Variants)
	switch s.Kind {
	case model.StepVisit, model.StepWaitAccept:
		if n > 0 {
			return "takes no templates"
		}
	case model.StepMessage, model.StepFollowUp:
		if n == 0 {
			return "needs at least one template"
		}
	}
	if n > MaxVariants {
		return fmt.Sprintf("has %d templates; at most %d are allowed", n, MaxVariants)
	}
	seen := make(map[string]bool, n)
	for j, v := range s.Variants {
		switch {
		case v.Key == "":
			return fmt.Sprintf("variant %d has no key", j+1)
		case utf8.RuneCountInString(v.Key) > MaxKeyLen:
			return fmt.Sprintf("variant key %q is longer than %d characters", v.Key, MaxKeyLen)
		case seen[v.Key]:
			return fmt.Sprintf("variant key %q is used twice", v.Key)
		case v.TemplateID == 0:
			return fmt.Sprintf("variant %s has no template", v.Key)
		case v.Weight < 1 || v.Weight > MaxWeight:
			return fmt.Sprintf("variant %s: the weight must be 1 to %d (got %d)", v.Key, MaxWeight, v.Weight)
		}
		seen[v.Key] = true
	}
	return ""
}

// Normalize returns a copy of steps with missing variant keys filled in
// as "A", "B", … (skipping keys already taken in the step) and weights of
// 0 set to 1, so that a form may leave both blank. It fixes nothing else:
// Validate still has the last word.
func Normalize(steps []model.Step) []model.Step {
	if steps == nil {
		return nil
	}
	out := make([]model.Step, len(steps))
	for i, s := range steps {
		if s.Variants != nil {
			s.Variants = append([]model.Variant(nil), s.Variants...)
		}
		taken := make(map[string]bool, len(s.Variants))
		for _, v := range s.Variants {
			taken[v.Key] = true
		}
		next := 0
		for j := range s.Variants {
			v := &s.Variants[j]
			if v.Key == "" {
				v.Key, next = freeKey(taken, next)
				taken[v.Key] = true
			}
			if v.Weight == 0 {
				v.Weight = 1
			}
		}
		out[i] = s
	}
	return out
}

// freeKey returns the first letter key from index n on that is not taken,
// and the index after it.
func freeKey(taken map[string]bool, n int) (string, int) {
	for ; ; n++ {
		k := letters(n)
		if !taken[k] {
			return k, n + 1
		}
	}
}

// letters names index n as A…Z, then AA, AB, … like spreadsheet columns.
func letters(n int) string {
	s := ""
	for n++; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}
