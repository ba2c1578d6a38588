package forecast

import "parley/app/model"

// Actions draw on a budget; actNone steps (waits, unknown kinds) do not.
const (
	actNone = iota
	actVisit
	actInvite
	actMessage
	numActs
)

// eps is the smallest flow of leads worth counting.
const eps = 1e-9

// stage is one step as the simulation sees it: an expected number of leads
// arriving day by day, processed against a budget, and passed on to the
// next step with a share and a lag.
type stage struct {
	kind  string
	act   int
	wait  bool    // wait_accept: resolves leads after a delay, no budget
	total float64 // expected leads the step acts on
	// share of the leads processed here that reach the next step, and
	// how many days later.
	share float64
	lag   int
	// wait_accept: days until acceptance and until time-out, and the
	// share accepting in time.
	acceptDays, timeoutDays int
	accept                  float64

	arrive  []float64 // leads becoming ready, by day
	resolve []float64 // wait_accept: leads whose wait ends, by day
	backlog float64
	done    float64 // processed (or, for a wait, resolved) so far
	doneDay int     // -1 until done

	bound     [numReasons]bool // what held the step back on some day
	warmWho   int              // sender whose warm-up first held it back
	warmCap   float64          // and the warm-up budget on that day
	weeklyWho int              // sender whose weekly cap first held it back
}

func actOf(kind string) int {
	switch kind {
	case model.StepVisit:
		return actVisit
	case model.StepInvite:
		return actInvite
	case model.StepMessage, model.StepFollowUp:
		return actMessage
	}
	return actNone
}

func isMessage(kind string) bool { return kind == model.StepMessage || kind == model.StepFollowUp }

// buildStages turns steps into stages with their expected lead counts.
func buildStages(in Input) []stage {
	stages := make([]stage, len(in.Steps))
	a := in.Assume
	for i, step := range in.Steps {
		st := &stages[i]
		st.kind, st.act, st.doneDay = step.Kind, actOf(step.Kind), -1
		st.wait = step.Kind == model.StepWaitAccept
		st.share = 1
		if st.wait {
			st.acceptDays, st.timeoutDays, st.accept = a.AcceptAfterDays, step.WaitDays, a.AcceptRate
			if st.timeoutDays <= 0 {
				st.timeoutDays = st.acceptDays
			}
			if st.timeoutDays < st.acceptDays {
				st.accept = 0
			}
		}
		if i+1 < len(in.Steps) {
			st.share, st.lag = link(step, in.Steps[i+1], st, a)
		}
	}
	var carried float64
	for i := range stages {
		st := &stages[i]
		st.total = carried + float64(waiting(in, i))
		if i == 0 {
			st.total += float64(in.NotEnrolled)
		}
		carried = st.total * st.share
	}
	return stages
}

// link is the share of leads going from step to next and the lag in days.
func link(step, next model.Step, st *stage, a Assumptions) (float64, int) {
	delay := max(next.DelayDays, 0)
	switch {
	case st.wait:
		return st.accept, st.acceptDays + delay
	case step.Kind == model.StepInvite && isMessage(next.Kind):
		// No wait_accept step: only those who accept can be messaged.
		return a.AcceptRate, a.AcceptAfterDays + delay
	case isMessage(step.Kind):
		// Those who replied stop the sequence.
		return 1 - a.ReplyRate, delay
	}
	return 1, delay
}

func waiting(in Input, i int) int {
	if i < len(in.Waiting) {
		return max(in.Waiting[i], 0)
	}
	return 0
}

func anyLeads(stages []stage) bool {
	for _, st := range stages {
		if st.total > eps {
			return true
		}
	}
	return false
}

// threshold is the processed count at which the step's last lead is done.
func (st *stage) threshold() float64 { return st.total - min(0.5, st.total/2) }
