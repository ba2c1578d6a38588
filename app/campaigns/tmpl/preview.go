package tmpl

import (
	"strings"

	"parley/app/model"
)

// Result is a template rendered for one lead.
type Result struct {
	// Text is the rendered text, with "" for missing variables. It is set
	// even when Err is, so that it can be shown; it must not be sent then.
	Text  string
	Chars int // Count(Text)
	Limit int // the limit of the text's kind
	// Missing are the variables the lead has no value for and that have
	// no fallback, lower-cased, in order of first use.
	Missing []string
	// Err says, in plain words, why the text cannot be sent to this lead:
	// a missing value, an empty text or a text over the limit.
	Err error
}

// Preview renders t for lead l and checks the result as it would be sent.
func Preview(t *Template, kind string, messageMax int, l model.Lead) Result {
	var r Result
	r.Text, r.Missing = t.Render(LeadLookup(l))
	r.Chars = Count(r.Text)
	r.Limit = Limit(kind, messageMax)
	who := leadName(l)
	if len(r.Missing) > 0 {
		r.Err = missingError(who, r.Missing)
		return r
	}
	subject := "the " + kind
	if who != "" {
		subject += " for " + who
	}
	r.Err = checkText(kind, r.Text, messageMax, subject)
	return r
}

// leadName is how messages about a lead refer to them: the first name,
// else the whole name, else "".
func leadName(l model.Lead) string {
	if n := strings.TrimSpace(l.FirstName); n != "" {
		return n
	}
	return strings.TrimSpace(l.Name())
}

// missingError tells the author how to deal with fields a lead lacks:
// "Maria has no company; add a fallback like {{company|your team}} or
// fill the field".
func missingError(who string, missing []string) error {
	labels := make([]string, len(missing))
	for i, m := range missing {
		labels[i] = strings.ReplaceAll(m, "_", " ")
	}
	list := labels[0]
	if n := len(labels); n > 1 {
		list = strings.Join(labels[:n-1], ", ") + " or " + labels[n-1]
	}
	if who == "" {
		who = "This lead"
	}
	example := "{{" + missing[0] + "|" + exampleFallback(missing[0]) + "}}"
	if len(missing) == 1 {
		return invalid("%s has no %s; add a fallback like %s or fill the field", who, list, example)
	}
	return invalid("%s has no %s; add fallbacks like %s or fill the fields", who, list, example)
}

// exampleFallback is a fallback that reads naturally for a field.
func exampleFallback(name string) string {
	switch name {
	case "first_name", "full_name":
		return "there"
	case "company":
		return "your team"
	case "title":
		return "your role"
	case "location":
		return "your area"
	}
	return "some text"
}
