package forecast

import (
	"time"

	"parley/app/model"
)

// DefaultHorizon is how many days Run looks ahead unless told otherwise.
const DefaultHorizon = 365

// Input is everything a forecast depends on. The caller gathers it; Run
// does no I/O.
type Input struct {
	Now   time.Time
	Steps []model.Step
	// Accounts are the campaign's sender accounts; archived ones contribute
	// nothing.
	Accounts []model.Account
	// Limits is the campaign's daily share of each account's limits.
	Limits model.CampaignLimits
	Warmup model.Warmup
	// Waiting[i] is the number of enrolled leads whose next step is i.
	Waiting []int
	// NotEnrolled is the number of leads in the campaign's source not
	// enrolled yet; they enter at step 0.
	NotEnrolled int
	// UsedToday is what each account (by id) already did today, in the
	// campaign's terms; missing accounts used nothing.
	UsedToday map[uint64]model.CampaignLimits
	// Assume holds the rates; the zero value means DefaultAssumptions.
	Assume Assumptions
	// Horizon is the number of days to look ahead; 0 means DefaultHorizon.
	Horizon int
}

// Assumptions are the rates the forecast cannot know in advance. The
// caller may pass rates measured on the campaign.
type Assumptions struct {
	// AcceptRate is the share of invited leads that accept (0 to 1).
	AcceptRate float64
	// AcceptAfterDays is how many days after the invite they accept.
	AcceptAfterDays int
	// ReplyRate is the share of messaged leads that reply before the next
	// follow-up (0 to 1).
	ReplyRate float64
}

// DefaultAssumptions are 30% accepted 3 days after the invite and 10%
// replying to each message.
func DefaultAssumptions() Assumptions {
	return Assumptions{AcceptRate: 0.30, AcceptAfterDays: 3, ReplyRate: 0.10}
}

// StepForecast is the estimate for one step of the sequence.
type StepForecast struct {
	Step int
	Kind string
	// Leads is the expected number of leads the step will act on.
	Leads float64
	// Done is when the step's last lead is processed; zero when that is
	// beyond the horizon, can never happen, or the step has nothing to do.
	Done time.Time
	// Bottleneck says in plain words what sets the step's pace, e.g.
	// "15 invites a day per account × 2 accounts".
	Bottleneck string
}

// Result is the forecast of a campaign.
type Result struct {
	Steps []StepForecast
	// Finish is the latest Done of the steps; zero when Beyond.
	Finish time.Time
	// Beyond is true when the campaign does not finish within the horizon,
	// or can never finish.
	Beyond bool
	// Summary is one sentence for the campaign page.
	Summary string
	// Notes are facts worth showing under the summary: warm-ups, binding
	// weekly caps, the assumptions used.
	Notes []string
}

// Run forecasts a campaign. It is cheap enough to call on every page view
// (aggregated daily flows, no per-lead work).
func Run(in Input) Result {
	in = normalize(in)
	stages := buildStages(in)
	if len(stages) == 0 {
		return Result{Summary: "This campaign has no steps yet."}
	}
	if !anyLeads(stages) {
		return nothingWaiting(in, stages)
	}
	s := newSim(in, stages)
	s.run()
	return s.result()
}

// normalize fills defaults and clamps values that make no sense.
func normalize(in Input) Input {
	if in.Horizon <= 0 {
		in.Horizon = DefaultHorizon
	}
	if in.Assume == (Assumptions{}) {
		in.Assume = DefaultAssumptions()
	}
	in.Assume.AcceptRate = clamp01(in.Assume.AcceptRate)
	in.Assume.ReplyRate = clamp01(in.Assume.ReplyRate)
	in.Assume.AcceptAfterDays = max(in.Assume.AcceptAfterDays, 0)
	in.NotEnrolled = max(in.NotEnrolled, 0)
	return in
}

func clamp01(f float64) float64 { return min(max(f, 0), 1) }

// nothingWaiting is the result for a campaign without leads: every step is
// done now.
func nothingWaiting(in Input, stages []stage) Result {
	r := Result{Finish: in.Now, Summary: "No leads are waiting in this campaign."}
	for i, st := range stages {
		r.Steps = append(r.Steps, StepForecast{Step: i, Kind: st.kind, Done: in.Now, Bottleneck: "nothing to do"})
	}
	return r
}
