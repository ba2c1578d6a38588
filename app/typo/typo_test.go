package typo

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"same", "same", 0}, {"", "abc", 3}, {"abc", "", 3},
		{"PARLEY_ADR", "PARLEY_ADDR", 1}, {"frist", "first", 1}, {"kitten", "sitting", 3},
		{"prénom", "prenom", 1}, {"ca", "abc", 3},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Distance(c.b, c.a); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"first_name", "last_name", "company", "title"}
	for _, c := range []struct {
		name string
		max  int
		want string
	}{
		{"frist_name", 2, "first_name"}, {"compnay", 2, "company"}, {"titel", 2, "title"},
		{"lastname", 1, "last_name"}, {"industry", 3, ""}, {"x", 0, ""},
	} {
		if got := Closest(c.name, names, c.max); got != c.want {
			t.Errorf("Closest(%q, %d) = %q, want %q", c.name, c.max, got, c.want)
		}
	}
	// Ties go to the earlier candidate.
	if got := Closest("ab", []string{"ax", "ay"}, 1); got != "ax" {
		t.Errorf("tie = %q", got)
	}
}
