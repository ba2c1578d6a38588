package sequence

import (
	"math"
	"testing"

	"parley/app/model"
)

func weighted(ws ...int) []model.Variant {
	vs := make([]model.Variant, len(ws))
	for i, w := range ws {
		vs[i] = model.Variant{Key: letters(i), TemplateID: uint64(i + 1), Weight: w}
	}
	return vs
}

func TestPickVariantDeterministic(t *testing.T) {
	vs := weighted(50, 30, 20)
	for lead := uint64(1); lead <= 1000; lead++ {
		first := PickVariant(vs, 7, lead, 3)
		for range 3 {
			if again := PickVariant(vs, 7, lead, 3); again != first {
				t.Fatalf("lead %d: %s then %s", lead, first.Key, again.Key)
			}
		}
	}
	if v := PickVariant(nil, 7, 1, 3); v != (model.Variant{}) {
		t.Fatalf("no variants gave %+v", v)
	}
	one := weighted(5)
	for lead := uint64(1); lead <= 100; lead++ {
		if v := PickVariant(one, 7, lead, 3); v != one[0] {
			t.Fatalf("the only variant was not picked: %+v", v)
		}
	}
}

// TestPickVariantIndependent: the choice for one step, campaign or lead
// says nothing about another's (agreement near 50% for two even halves).
func TestPickVariantIndependent(t *testing.T) {
	vs := weighted(1, 1)
	const n = 10000
	same := map[string]int{}
	for lead := uint64(1); lead <= n; lead++ {
		v := PickVariant(vs, 7, lead, 3).Key
		if PickVariant(vs, 7, lead, 4).Key == v {
			same["next step"]++
		}
		if PickVariant(vs, 8, lead, 3).Key == v {
			same["next campaign"]++
		}
		if PickVariant(vs, 7, lead+1, 3).Key == v {
			same["next lead"]++
		}
	}
	for what, k := range same {
		if share := float64(k) / n; math.Abs(share-0.5) > 0.02 {
			t.Errorf("%s agrees %.1f%% of the time, want about 50%%", what, 100*share)
		}
	}
}

// TestPickVariantSpread: over 10,000 leads each variant's share is
// within 2 percentage points of its weight.
func TestPickVariantSpread(t *testing.T) {
	tests := []struct {
		name     string
		vs       []model.Variant
		campaign uint64
		step     int
	}{
		{"halves", weighted(50, 50), 7, 3},
		{"small even weights", weighted(1, 1, 1), 7, 1},
		{"uneven", weighted(70, 20, 10), 7, 4},
		{"one in four", weighted(1, 3), 12, 3},
		{"five variants", weighted(100, 1, 25, 50, 24), 99, 5},
		{"zero weight counts as one", weighted(0, 1), 7, 3},
	}
	const n = 10000
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]int{}
			total := 0
			for _, v := range tc.vs {
				total += max(v.Weight, 1)
			}
			for lead := uint64(1); lead <= n; lead++ {
				got[PickVariant(tc.vs, tc.campaign, lead, tc.step).Key]++
			}
			for _, v := range tc.vs {
				want := float64(max(v.Weight, 1)) / float64(total)
				share := float64(got[v.Key]) / n
				if math.Abs(share-want) > 0.02 {
					t.Errorf("variant %s: %.1f%% of leads, want %.1f%%", v.Key, 100*share, 100*want)
				}
			}
		})
	}
}
