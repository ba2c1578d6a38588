package model

import "testing"

// TestLeadTransitionMatrix checks every (from, to) pair against the
// expected table, so a changed rule is a deliberate edit here too.
func TestLeadTransitionMatrix(t *testing.T) {
	allowed := map[LeadState]string{
		// to:         new queued invited connected messaged replied skipped blacklisted withdrawn failed review erased
		LeadNew:            "010100110011",
		LeadQueued:         "101100110111",
		LeadInvited:        "000101011111",
		LeadConnected:      "000011110111",
		LeadMessaged:       "000011110111",
		LeadReplied:        "000000010011",
		LeadSkipped:        "110000010001",
		LeadBlacklisted:    "100000000001",
		LeadWithdrawn:      "010000110001",
		LeadFailed:         "010000110011",
		LeadReviewRequired: "110100110001",
		LeadErased:         "000000000000",
	}
	states := LeadStates()
	if len(allowed) != len(states) {
		t.Fatalf("matrix covers %d states, model has %d", len(allowed), len(states))
	}
	for _, from := range states {
		row := allowed[from]
		for i, to := range states {
			want := row[i] == '1'
			if got := CanTransition(from, to); got != want {
				t.Errorf("%s → %s: allowed=%v, want %v", from, to, got, want)
			}
			err := CheckTransition(from, to)
			if (err == nil) != want {
				t.Errorf("CheckTransition(%s, %s) = %v", from, to, err)
			}
			if err != nil && ErrorCode(err) != CodeConflict {
				t.Errorf("refusal %s → %s has code %s", from, to, ErrorCode(err))
			}
		}
	}
	if err := CheckTransition(LeadNew, "dancing"); ErrorCode(err) != CodeInvalid {
		t.Fatalf("unknown state: %v", err)
	}
	if LeadInvited.EventType() != "lead.invited" || !LeadReplied.Valid() || LeadState("x").Valid() {
		t.Fatal("helpers")
	}
}
