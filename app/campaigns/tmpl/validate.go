package tmpl

import (
	"fmt"
	"slices"
	"strings"
)

// Validate checks a template body before it is saved: the body must not be
// empty, must parse, must use only standard fields or custom fields that
// exist (custom lists the custom field names found on at least one lead,
// in any case), and its fixed text alone — each variable replaced by its
// fallback or nothing — must fit the limit of kind. Unknown variables are
// all listed in one error, each with the closest field name when one is
// close enough to be a typo.
func Validate(body, kind string, messageMax int, custom []string) error {
	limit := Limit(kind, messageMax)
	if limit == 0 {
		return unknownKind(kind)
	}
	if strings.TrimSpace(body) == "" {
		return invalid("the template is empty; write the text of the %s", kind)
	}
	t, err := Parse(body)
	if err != nil {
		return err
	}
	if err := checkFields(t, custom); err != nil {
		return err
	}
	return checkLength(kind, Count(t.fixedText()), limit, "without the leads' values the "+kind+" is already")
}

// unknownVar is a variable that names no field, as the author wrote it,
// with the field they probably meant ("" when none is close).
type unknownVar struct{ written, guess string }

// maxListed is how many unknown variables an error names; more would
// bury the first mistakes in a wall of text.
const maxListed = 5

// checkFields reports the variables of t that are neither standard nor in
// custom.
func checkFields(t *Template, custom []string) error {
	known := slices.Clone(standardVars)
	isKnown := make(map[string]bool)
	for _, k := range standardVars {
		isKnown[k] = true
	}
	for _, c := range custom {
		if c = strings.ToLower(c); !isKnown[c] {
			isKnown[c] = true
			known = append(known, c)
		}
	}
	var unknown []unknownVar
	more := 0
	for _, v := range t.vars {
		switch {
		case isKnown[v.Name]:
		case len(unknown) == maxListed:
			more++
		default:
			unknown = append(unknown, unknownVar{t.written[v.Name], closest(v.Name, known)})
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return invalid("%s", unknownMessage(unknown, more))
}

// unknownMessage says which variables name no field and what to write
// instead; more counts the unknown variables left out of the list.
func unknownMessage(unknown []unknownVar, more int) string {
	if u := unknown[0]; len(unknown) == 1 && u.guess != "" {
		return "{{" + u.written + "}} is not a field — did you mean {{" + u.guess + "}}?"
	}
	items := make([]string, len(unknown), len(unknown)+1)
	guessed := true
	for i, u := range unknown {
		items[i] = "{{" + u.written + "}}"
		if u.guess == "" {
			guessed = false
		} else {
			items[i] += " (did you mean {{" + u.guess + "}}?)"
		}
	}
	if more > 0 {
		items = append(items, fmt.Sprintf("%d more", more))
	}
	msg := joinAnd(items) + " are not fields"
	if len(items) == 1 {
		msg = items[0] + " is not a field"
	}
	if !guessed {
		msg += "; use a standard field (" + strings.Join(standardVars, ", ") + ") or a custom field your leads have"
	}
	return msg
}

// joinAnd joins items as "a, b and c".
func joinAnd(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
