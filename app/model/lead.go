package model

import "fmt"

// LeadState is where a lead stands in outreach.
type LeadState string

// Lead states.
const (
	LeadNew            LeadState = "new"
	LeadQueued         LeadState = "queued"
	LeadInvited        LeadState = "invited"
	LeadConnected      LeadState = "connected"
	LeadMessaged       LeadState = "messaged"
	LeadReplied        LeadState = "replied"
	LeadSkipped        LeadState = "skipped"
	LeadBlacklisted    LeadState = "blacklisted"
	LeadWithdrawn      LeadState = "withdrawn"
	LeadFailed         LeadState = "failed"
	LeadReviewRequired LeadState = "review_required"
	LeadErased         LeadState = "erased"
)

// LeadStates lists every state in display order.
func LeadStates() []LeadState {
	return []LeadState{LeadNew, LeadQueued, LeadInvited, LeadConnected, LeadMessaged, LeadReplied,
		LeadSkipped, LeadBlacklisted, LeadWithdrawn, LeadFailed, LeadReviewRequired, LeadErased}
}

// leadTransitions is the one table of allowed moves. Everything not listed
// is refused. Messaged → messaged is a follow-up; erased is final.
var leadTransitions = map[LeadState][]LeadState{
	LeadNew:            {LeadQueued, LeadConnected, LeadSkipped, LeadBlacklisted, LeadReviewRequired, LeadErased},
	LeadQueued:         {LeadInvited, LeadConnected, LeadNew, LeadSkipped, LeadBlacklisted, LeadFailed, LeadReviewRequired, LeadErased},
	LeadInvited:        {LeadConnected, LeadReplied, LeadWithdrawn, LeadBlacklisted, LeadFailed, LeadReviewRequired, LeadErased},
	LeadConnected:      {LeadMessaged, LeadReplied, LeadSkipped, LeadBlacklisted, LeadFailed, LeadReviewRequired, LeadErased},
	LeadMessaged:       {LeadMessaged, LeadReplied, LeadSkipped, LeadBlacklisted, LeadFailed, LeadReviewRequired, LeadErased},
	LeadReplied:        {LeadBlacklisted, LeadReviewRequired, LeadErased},
	LeadSkipped:        {LeadNew, LeadQueued, LeadBlacklisted, LeadErased},
	LeadBlacklisted:    {LeadNew, LeadErased},
	LeadWithdrawn:      {LeadQueued, LeadSkipped, LeadBlacklisted, LeadErased},
	LeadFailed:         {LeadQueued, LeadSkipped, LeadBlacklisted, LeadReviewRequired, LeadErased},
	LeadReviewRequired: {LeadNew, LeadQueued, LeadConnected, LeadSkipped, LeadBlacklisted, LeadErased},
	LeadErased:         {},
}

// CanTransition reports whether a lead may move from one state to another.
func CanTransition(from, to LeadState) bool {
	for _, s := range leadTransitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// CheckTransition returns a coded error naming both states when the move
// is not allowed.
func CheckTransition(from, to LeadState) error {
	if _, known := leadTransitions[to]; !known {
		return Errorf(CodeInvalid, "%q is not a lead state", to)
	}
	if !CanTransition(from, to) {
		return Errorf(CodeConflict, "a lead that is %s cannot become %s", from, to)
	}
	return nil
}

// Valid reports whether s is a known state.
func (s LeadState) Valid() bool {
	_, ok := leadTransitions[s]
	return ok
}

// EventType is the event written when a lead enters the state.
func (s LeadState) EventType() string { return fmt.Sprintf("lead.%s", s) }
