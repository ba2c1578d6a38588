package dnc

import (
	"testing"

	"parley/app/model"
)

const (
	example    = "https://www.linkedin.com/in/jane-doe/"
	needURL    = "a profile rule needs the person's LinkedIn profile URL: "
	domainHelp = "; a domain is words of letters, digits and hyphens joined by dots, like acme.com"
)

// normalizeCases are values as people type them, with the stored value or
// the exact message they see.
var normalizeCases = []struct {
	kind, in string
	want     string // the stored value, when err is ""
	err      string
}{
	// Profiles: every URL form leadurl knows, and its own stored form.
	{kind: "profile", in: "https://www.linkedin.com/in/Jane-Doe/?trk=abc", want: "profile:jane-doe"},
	{kind: "profile", in: "linkedin.com/in/jane-doe", want: "profile:jane-doe"},
	{kind: "profile", in: " <https://de.linkedin.com/in/jane-doe/details/experience/> ", want: "profile:jane-doe"},
	{kind: "profile", in: "profile:jane-doe", want: "profile:jane-doe"},
	{kind: "profile", in: "Profile:Jane-Doe", want: "profile:jane-doe"},
	{kind: "profile", in: "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller", want: "profile:jürgen-müller"},
	{kind: "profile", in: "profile:jürgen-müller", want: "profile:jürgen-müller"},
	{kind: "profile", in: "https://www.linkedin.com/sales/lead/ACwAAAbcDEF,NAME_SEARCH,x1", want: "sales_nav:ACwAAAbcDEF"},
	{kind: "profile", in: "sales_nav:ACwAAAbcDEF", want: "sales_nav:ACwAAAbcDEF"},
	{kind: "profile", in: "https://www.linkedin.com/company/acme/",
		err: needURL + "the address is a company page, not a person's profile; a profile URL has /in/ after linkedin.com, like " + example},
	{kind: "profile", in: "", err: needURL + "the cell is empty; paste the person's profile URL, like " + example},
	{kind: "profile", in: "jane@acme.com", err: needURL + "this looks like an e-mail address, not a profile URL; paste the person's profile URL, like " + example},
	{kind: "profile", in: "profile:", err: needURL + "the address stops at /in/ and is missing the profile name after it, like " + example},
	{kind: "profile", in: "profile:jane/doe", err: needURL + "the profile name contains a slash (written as %2F); it may have only letters, digits, - and _"},

	// Companies.
	{kind: "company", in: "ACME, Inc.", want: "acme"},
	{kind: "company", in: "  Acme  ", want: "acme"},
	{kind: "company", in: "Acmeworks", want: "acmeworks"},
	{kind: "company", in: "A.C.M.E. Ltd.", want: "acme"},
	{kind: "company", in: "Acme GmbH & Co. KG", want: "acme"},
	{kind: "company", in: "Acme S.p.A.", want: "acme"},
	{kind: "company", in: "Acme Pty Ltd", want: "acme"},
	{kind: "company", in: "Coca-Cola Company", want: "coca cola"},
	{kind: "company", in: "McDonald’s Corporation", want: "mcdonalds"},
	{kind: "company", in: "Société Générale SA", want: "societe generale"},
	{kind: "company", in: "ＳＯＮＹ", want: "sony"},
	{kind: "company", in: "Straße AG", want: "strasse"},
	{kind: "company", in: "Incorporated Inc", want: "incorporated"},
	{kind: "company", in: "Inc.", want: "inc"},
	{kind: "company", in: "Limited Brands", want: "limited brands"},
	{kind: "company", in: "   ", err: "the company name is empty; enter it as LinkedIn shows it, like Acme Inc."},
	{kind: "company", in: "!!! ---", err: `the company name "!!! ---" has no letters or digits`},

	// Domains.
	{kind: "domain", in: "acme.com", want: "acme.com"},
	{kind: "domain", in: "@acme.com", want: "acme.com"},
	{kind: "domain", in: "https://www.acme.com/about?x=1", want: "acme.com"},
	{kind: "domain", in: "person@ACME.com", want: "acme.com"},
	{kind: "domain", in: "mailto:jane@acme.com", want: "acme.com"},
	{kind: "domain", in: "Acme.COM.", want: "acme.com"},
	{kind: "domain", in: "eu.acme.co.uk", want: "eu.acme.co.uk"},
	{kind: "domain", in: "acme.com:8443", want: "acme.com"},
	{kind: "domain", in: "www.com", want: "www.com"},
	{kind: "domain", in: "Bücher.DE", want: "bücher.de"},
	{kind: "domain", in: "xn--bcher-kva.de", want: "bücher.de"},
	{kind: "domain", in: "", err: "the domain is empty; enter one like acme.com"},
	{kind: "domain", in: "jane@", err: "there is no domain after the @; enter one like acme.com"},
	{kind: "domain", in: "localhost", err: `"localhost" has no dot, so it is not a domain; enter one like acme.com`},
	{kind: "domain", in: "acme com", err: `"acme com" has a space in it, so it is not a domain; enter one like acme.com`},
	{kind: "domain", in: "acme..com", err: `"acme..com" has two dots in a row or a dot at the start; enter a domain like acme.com`},
	{kind: "domain", in: "192.168.0.1", err: `"192.168.0.1" is an IP address, not a domain; enter a domain like acme.com`},
	{kind: "domain", in: "-acme.com", err: `"-acme.com" is not a domain` + domainHelp},
	{kind: "domain", in: "acme_corp.com", err: `"acme_corp.com" is not a domain` + domainHelp},
	{kind: "domain", in: "xn--zz.com", err: `"xn--zz.com" is not a domain` + domainHelp},

	// Title keywords.
	{kind: "title", in: "Intern", want: "intern"},
	{kind: "title", in: "  Head \t of  HR ", want: "head of hr"},
	{kind: "title", in: "Directeur Général", want: "directeur general"},
	{kind: "title", in: "C++", want: "c++"},
	{kind: "title", in: "VP, Sales", want: "vp, sales"},
	{kind: "title", in: "", err: "the title keyword is empty; enter a word or phrase from job titles, like intern"},
	{kind: "title", in: " X ", err: `the title keyword "x" is too short; use at least 2 characters`},
	{kind: "title", in: "--", err: `the title keyword "--" has no letters or digits`},

	// Kinds.
	{kind: "email", in: "acme.com", err: `"email" is not a kind of rule; use profile, company, domain or title`},
	{kind: "Company", in: "Acme", err: `"Company" is not a kind of rule; use profile, company, domain or title`},
}

func TestNormalize(t *testing.T) {
	for _, tc := range normalizeCases {
		got, err := Normalize(tc.kind, tc.in)
		if tc.err != "" {
			if err == nil {
				t.Errorf("Normalize(%q, %q) = %q, want error %q", tc.kind, tc.in, got, tc.err)
				continue
			}
			if model.ErrorCode(err) != model.CodeInvalid || err.Error() != tc.err {
				t.Errorf("Normalize(%q, %q) error:\n got %q (%s)\nwant %q", tc.kind, tc.in, err, model.ErrorCode(err), tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Normalize(%q, %q) = %q, %v; want %q", tc.kind, tc.in, got, err, tc.want)
			continue
		}
		if again, err := Normalize(tc.kind, got); again != got || err != nil {
			t.Errorf("Normalize(%q, %q) = %q, %v; a stored value must normalise to itself", tc.kind, got, again, err)
		}
	}
}

func TestNormalizeLimits(t *testing.T) {
	long := make([]byte, 201)
	for i := range long {
		long[i] = 'a'
	}
	if _, err := Normalize(model.DNCCompany, string(long)); err == nil || err.Error() != "the company name is longer than 200 characters; enter the name only" {
		t.Errorf("201-letter company: %v", err)
	}
	if _, err := Normalize(model.DNCTitle, string(long[:101])); err == nil || err.Error() != "the title keyword is longer than 100 characters; use a word or a short phrase" {
		t.Errorf("101-letter keyword: %v", err)
	}
	if _, err := Normalize(model.DNCDomain, string(long[:64])+".com"); err == nil {
		t.Errorf("64-letter label accepted")
	}
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		e    model.DNCEntry
		want string
	}{
		{model.DNCEntry{Kind: model.DNCProfile, Value: "profile:jane-doe"}, "profile jane-doe"},
		{model.DNCEntry{Kind: model.DNCProfile, Value: "sales_nav:ACwAAAbc"}, "Sales Navigator lead ACwAAAbc"},
		{model.DNCEntry{Kind: model.DNCCompany, Value: "acme"}, `company "acme"`},
		{model.DNCEntry{Kind: model.DNCDomain, Value: "acme.com"}, "e-mail domain acme.com"},
		{model.DNCEntry{Kind: model.DNCTitle, Value: "intern"}, `title keyword "intern"`},
	} {
		if got := Describe(tc.e); got != tc.want {
			t.Errorf("Describe(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestKinds(t *testing.T) {
	for _, k := range Kinds() {
		if _, err := Normalize(k, "x"); err != nil && model.PublicMessage(err) == `"`+k+`" is not a kind of rule; use `+kindList {
			t.Errorf("Kinds lists %q, which Normalize does not know", k)
		}
	}
}
