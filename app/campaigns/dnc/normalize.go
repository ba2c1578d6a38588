package dnc

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"parley/app/campaigns/leadurl"
	"parley/app/model"
)

// Kinds returns the kinds of rule, in the order a form offers them.
func Kinds() []string {
	return []string{model.DNCProfile, model.DNCCompany, model.DNCDomain, model.DNCTitle}
}

// kindList is Kinds in words, for messages.
const kindList = "profile, company, domain or title"

// Limits on free-text values, in characters.
const (
	maxCompanyLen = 200
	maxKeywordLen = 100
)

// Normalize returns the value a rule of the given kind is stored and
// matched under, or a coded invalid error that says in plain words what is
// wrong with value. It accepts its own output, so normalising twice gives
// the same value. kind must be one of the model.DNC* constants exactly.
func Normalize(kind, value string) (string, error) {
	value = strings.ToValidUTF8(value, "\uFFFD")
	switch kind {
	case model.DNCProfile:
		return normalizeProfile(value)
	case model.DNCCompany:
		return normalizeCompany(value)
	case model.DNCDomain:
		return normalizeDomain(value)
	case model.DNCTitle:
		return normalizeTitle(value)
	}
	return "", invalid("%q is not a kind of rule; use %s", brief(kind), kindList)
}

func normalizeProfile(value string) (string, error) {
	s := strings.TrimSpace(value)
	if kind, key, ok := strings.Cut(s, ":"); ok {
		if u, stored := storedProfileURL(leadurl.Kind(strings.ToLower(kind)), key); stored {
			s = u
		}
	}
	p, err := leadurl.Parse(s)
	if err != nil {
		return "", invalid("a profile rule needs the person's LinkedIn profile URL: %s", model.PublicMessage(err))
	}
	return profileValue(string(p.Kind), p.Key), nil
}

// storedProfileURL turns a stored value ("profile:jane-doe") back into
// the URL it came from, so that Normalize accepts its own output and
// leadurl stays the one judge of what a key may be.
func storedProfileURL(kind leadurl.Kind, key string) (string, bool) {
	switch kind {
	case leadurl.KindProfile:
		return "https://www.linkedin.com/in/" + url.PathEscape(key) + "/", true
	case leadurl.KindSalesNav:
		return "https://www.linkedin.com/sales/lead/" + url.PathEscape(key), true
	}
	return "", false
}

// profileValue is how a profile rule and a lead's profile are compared.
func profileValue(kind, key string) string { return kind + ":" + key }

func normalizeCompany(value string) (string, error) {
	if strings.TrimSpace(value) == "" {
		return "", invalid("the company name is empty; enter it as LinkedIn shows it, like Acme Inc.")
	}
	key := companyKey(value)
	if key == "" {
		return "", invalid("the company name %q has no letters or digits", brief(value))
	}
	if utf8.RuneCountInString(key) > maxCompanyLen {
		return "", invalid("the company name is longer than %d characters; enter the name only", maxCompanyLen)
	}
	return key, nil
}

func normalizeTitle(value string) (string, error) {
	key := titleKey(value)
	switch n := utf8.RuneCountInString(key); {
	case n == 0:
		return "", invalid("the title keyword is empty; enter a word or phrase from job titles, like intern")
	case n < 2:
		return "", invalid("the title keyword %q is too short; use at least 2 characters", key)
	case !strings.ContainsFunc(key, isWordRune):
		return "", invalid("the title keyword %q has no letters or digits", brief(key))
	case n > maxKeywordLen:
		return "", invalid("the title keyword is longer than %d characters; use a word or a short phrase", maxKeywordLen)
	}
	return key, nil
}

// Describe says in plain words what a rule stops, for the interface:
// company "acme", e-mail domain acme.com, title keyword "intern",
// profile jane-doe.
func Describe(e model.DNCEntry) string {
	switch e.Kind {
	case model.DNCProfile:
		kind, key, ok := strings.Cut(e.Value, ":")
		switch {
		case !ok:
			return "profile " + e.Value
		case leadurl.Kind(kind) == leadurl.KindSalesNav:
			return "Sales Navigator lead " + key
		}
		return "profile " + key
	case model.DNCCompany:
		return `company "` + e.Value + `"`
	case model.DNCDomain:
		return "e-mail domain " + e.Value
	case model.DNCTitle:
		return `title keyword "` + e.Value + `"`
	}
	return e.Kind + ` "` + e.Value + `"`
}

func invalid(format string, args ...any) error {
	return model.Errorf(model.CodeInvalid, format, args...)
}

// brief cuts s to 60 characters for quoting in a message.
func brief(s string) string {
	n := 0
	for i := range s {
		if n == 60 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
