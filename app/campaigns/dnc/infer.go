package dnc

import (
	"strings"

	"parley/app/campaigns/leadurl"
	"parley/app/model"
)

// inferKind recognises the kind of a value given without one: a LinkedIn
// profile URL is a profile rule; an e-mail address, @domain or bare domain
// is a domain rule. Anything else, company names and title keywords
// included, cannot be told apart and needs its kind written down.
func inferKind(value string) (string, error) {
	_, perr := leadurl.Parse(value)
	if perr == nil {
		return model.DNCProfile, nil
	}
	lower := strings.ToLower(value)
	if strings.Contains(lower, "linkedin.com") || strings.Contains(lower, "lnkd.in") {
		return "", invalid("%s", model.PublicMessage(perr))
	}
	if strings.Contains(value, "://") {
		if d, err := normalizeDomain(value); err == nil {
			return "", invalid("%q is a web address but not a LinkedIn profile; to stop everyone with an e-mail address at %s, give the domain %s", brief(value), d, d)
		}
		return "", invalid("%q is a web address but not a LinkedIn profile; give a profile URL like https://www.linkedin.com/in/jane-doe/", brief(value))
	}
	if !strings.ContainsAny(value, "/ \t\n") && strings.ContainsAny(value, ".@") {
		_, err := normalizeDomain(value)
		if err == nil {
			return model.DNCDomain, nil
		}
		if strings.Contains(value, "@") {
			return "", err
		}
	}
	return "", invalid("cannot tell what kind of rule %q is: on its own a value must be a LinkedIn profile URL, an e-mail address or a domain; "+
		"for a company or a title keyword, start the file with the header row kind,value,note and write company or title in the kind column", brief(value))
}

// recognisable reports whether inferKind knows the kind of value.
func recognisable(value string) bool {
	_, err := inferKind(value)
	return err == nil
}
