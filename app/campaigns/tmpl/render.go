package tmpl

import (
	"slices"
	"strings"

	"parley/app/model"
)

// standardVars are the variables every lead has, in the order shown to
// people writing templates.
var standardVars = []string{"first_name", "last_name", "full_name", "company", "title", "location", "email"}

// StandardVars returns the names of the variables every lead has.
func StandardVars() []string {
	return slices.Clone(standardVars)
}

// Render fills in the template. lookup is called with lower-cased names and
// reports a variable's value; the value is inserted trimmed of surrounding
// white space. A variable whose value is missing, empty or only white space
// gets its fallback; without a fallback it is inserted as "" and its name is
// listed in missing, once, in order of first use. The text around the
// variables is kept exactly as written.
func (t *Template) Render(lookup func(name string) (string, bool)) (text string, missing []string) {
	var b strings.Builder
	for _, p := range t.parts {
		if !p.isVar() {
			b.WriteString(p.text)
			continue
		}
		v, _ := lookup(p.name)
		switch v = strings.TrimSpace(v); {
		case v != "":
			b.WriteString(v)
		case p.hasFallback:
			b.WriteString(p.fallback)
		case !slices.Contains(missing, p.name):
			missing = append(missing, p.name)
		}
	}
	return b.String(), missing
}

// fixedText is the text a template renders to for a lead without any
// values: the fixed text with each variable's fallback, or nothing.
func (t *Template) fixedText() string {
	text, _ := t.Render(func(string) (string, bool) { return "", false })
	return text
}

// LeadLookup returns a Render lookup for a lead's fields. Standard names
// win over a custom field of the same name; custom fields are matched
// without regard to case.
func LeadLookup(l model.Lead) func(name string) (string, bool) {
	return func(name string) (string, bool) {
		switch name = strings.ToLower(name); name {
		case "first_name":
			return l.FirstName, true
		case "last_name":
			return l.LastName, true
		case "full_name":
			return l.Name(), true
		case "company":
			return l.Company, true
		case "title":
			return l.Title, true
		case "location":
			return l.Location, true
		case "email":
			return l.Email, true
		}
		return customField(l.Custom, name)
	}
}

// customField finds a custom field by lower-cased name. Import stores
// names lower-cased, so the exact key nearly always matches; the sorted
// scan keeps the choice stable if two keys differ only in case.
func customField(custom map[string]string, name string) (string, bool) {
	if v, ok := custom[name]; ok {
		return v, true
	}
	keys := make([]string, 0, len(custom))
	for k := range custom {
		if strings.EqualFold(k, name) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return "", false
	}
	slices.Sort(keys)
	return custom[keys[0]], true
}
