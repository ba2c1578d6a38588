// Package typo finds what a mistyped name was meant to be, for "did you
// mean …?" hints (setting names, template variables).
package typo

// Distance is the optimal string alignment distance between a and b, in
// characters: the edits (insert, delete, replace, swap two neighbours)
// that turn one into the other. A swap counts once because "frist" for
// "first" is one slip.
func Distance(a, b string) int {
	return distance([]rune(a), []rune(b))
}

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

// Closest returns the candidate nearest to name, at most maxEdits away,
// or "" when none is that close. Earlier candidates win ties.
func Closest(name string, candidates []string, maxEdits int) string {
	a := []rune(name)
	best, bestDist := "", maxEdits+1
	for _, c := range candidates {
		b := []rune(c)
		if d := len(a) - len(b); d >= bestDist || -d >= bestDist {
			continue // the distance is at least the difference in length
		}
		if d := distance(a, b); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
