package tmpl

// aliases are names people commonly write for a standard field, too far
// from it in spelling for the typo distance to find.
var aliases = map[string]string{
	"name":         "full_name",
	"fname":        "first_name",
	"lname":        "last_name",
	"surname":      "last_name",
	"company_name": "company",
	"organization": "company",
	"organisation": "company",
	"employer":     "company",
	"job_title":    "title",
	"position":     "title",
	"city":         "location",
}

// closest returns the name in known that name is most likely a typo of,
// or "" when none is close. Earlier names in known win ties, so standard
// fields, listed first, are preferred over custom ones.
func closest(name string, known []string) string {
	if to, ok := aliases[name]; ok {
		return to
	}
	a := []rune(name)
	best, bestDist := "", maxTypos(len(a))+1
	for _, k := range known {
		b := []rune(k)
		if abs(len(a)-len(b)) >= bestDist {
			continue // the distance is at least the difference in length
		}
		if d := distance(a, b); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// maxTypos is how many edits a name of n characters may be away from a
// field for the field to be suggested: few enough that the suggestion
// still resembles what was typed.
func maxTypos(n int) int {
	switch {
	case n <= 3:
		return 1
	case n <= 7:
		return 2
	}
	return 3
}

// distance is the optimal string alignment distance between a and b: the
// edits (insert, delete, replace, swap two neighbours) that turn one into
// the other. Swaps count once because "frist" for "first" is one slip.
func distance(a, b []rune) int {
	// Three rows of the classic table: two back, one back, current.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
