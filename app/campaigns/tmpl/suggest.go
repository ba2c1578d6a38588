package tmpl

import "parley/app/typo"

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
	return typo.Closest(name, known, maxTypos(len([]rune(name))))
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
