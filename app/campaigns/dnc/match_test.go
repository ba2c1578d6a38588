package dnc

import (
	"testing"

	"parley/app/model"
)

// rules builds entries from kind and raw value pairs, normalised, with ids
// counting from 1 in the order given.
func rules(t testing.TB, kv ...string) []model.DNCEntry {
	t.Helper()
	var out []model.DNCEntry
	for i := 0; i+1 < len(kv); i += 2 {
		v, err := Normalize(kv[i], kv[i+1])
		if err != nil {
			t.Fatalf("Normalize(%q, %q): %v", kv[i], kv[i+1], err)
		}
		out = append(out, model.DNCEntry{ID: uint64(len(out) + 1), Kind: kv[i], Value: v})
	}
	return out
}

func TestMatch(t *testing.T) {
	m := NewMatcher(rules(t,
		"profile", "https://www.linkedin.com/in/jane-doe/", // 1
		"profile", "https://www.linkedin.com/sales/lead/ACwAAAbc,NAME_SEARCH", // 2
		"company", "ACME, Inc.", // 3
		"domain", "@globex.com", // 4
		"title", "intern", // 5
		"title", "Head of HR", // 6
		"title", "C++", // 7
		"company", "Société Générale", // 8
		"domain", "bücher.de", // 9
		"title", "(contract)", // 10
	))
	cases := []struct {
		name string
		lead model.Lead
		want uint64 // 0: no match
	}{
		{"profile", model.Lead{ProfileKind: "profile", ProfileKey: "jane-doe"}, 1},
		{"other profile", model.Lead{ProfileKind: "profile", ProfileKey: "jane-doe-2"}, 0},
		{"sales navigator lead", model.Lead{ProfileKind: "sales_nav", ProfileKey: "ACwAAAbc"}, 2},
		{"sales navigator id is case-sensitive", model.Lead{ProfileKind: "sales_nav", ProfileKey: "acwaaabc"}, 0},
		{"same key, other kind", model.Lead{ProfileKind: "sales_nav", ProfileKey: "jane-doe"}, 0},

		{"company as written", model.Lead{Company: "Acme"}, 3},
		{"company with suffix", model.Lead{Company: "ACME Corp."}, 3},
		{"company with other suffix and spacing", model.Lead{Company: "  acme   GmbH "}, 3},
		{"longer company name", model.Lead{Company: "Acmeworks"}, 0},
		{"company with another word", model.Lead{Company: "Acme Labs"}, 0},
		{"company without accents", model.Lead{Company: "SOCIETE GENERALE S.A."}, 8},

		{"domain", model.Lead{Email: "joe@globex.com"}, 4},
		{"domain in capitals", model.Lead{Email: "Joe@GLOBEX.COM"}, 4},
		{"subdomain", model.Lead{Email: "joe@eu.globex.com"}, 4},
		{"deep subdomain", model.Lead{Email: "joe@a.b.globex.com"}, 4},
		{"look-alike domain", model.Lead{Email: "joe@notglobex.com"}, 0},
		{"parent domain", model.Lead{Email: "joe@com"}, 0},
		{"domain as suffix of another", model.Lead{Email: "joe@globex.com.evil.org"}, 0},
		{"not an e-mail", model.Lead{Email: "globex.com"}, 0},
		{"punycode e-mail", model.Lead{Email: "anna@xn--bcher-kva.de"}, 9},

		{"title word", model.Lead{Title: "Marketing Intern"}, 5},
		{"title word at start, punctuation after", model.Lead{Title: "Intern, Sales"}, 5},
		{"title word inside a longer word", model.Lead{Title: "International Sales"}, 0},
		{"title word as a prefix", model.Lead{Title: "Internship coordinator"}, 0},
		{"title word as a suffix", model.Lead{Title: "Nonintern"}, 0},
		{"title word plural", model.Lead{Title: "Interns lead"}, 0},
		{"title phrase", model.Lead{Title: "Head of HR, EMEA"}, 6},
		{"title phrase with odd spacing", model.Lead{Title: "head  of\tHR"}, 6},
		{"title phrase cut short", model.Lead{Title: "Head of Sales"}, 0},
		{"title phrase running on", model.Lead{Title: "Head of HRIS"}, 0},
		{"title phrase not first", model.Lead{Title: "Deputy Head of HR"}, 6},
		{"title with symbols", model.Lead{Title: "Senior C++ Developer"}, 7},
		// Only a keyword's letters and digits at its ends need a word boundary.
		{"title keyword ending in symbols", model.Lead{Title: "C++11 Developer"}, 7},
		{"title keyword after a letter", model.Lead{Title: "GC++ Developer"}, 0},
		{"title keyword starting with punctuation", model.Lead{Title: "Designer (Contract)"}, 10},
		{"title keyword without its punctuation", model.Lead{Title: "Contract Designer"}, 0},
		{"accented title", model.Lead{Title: "İNTERN"}, 5},

		{"empty lead", model.Lead{}, 0},
		{"nothing matches", model.Lead{ProfileKind: "profile", ProfileKey: "joe", Company: "Initech", Email: "joe@initech.com", Title: "CEO"}, 0},
	}
	for _, tc := range cases {
		got, ok := m.Match(tc.lead)
		switch {
		case tc.want == 0 && ok:
			t.Errorf("%s: matched %s (id %d), want no match", tc.name, Describe(got), got.ID)
		case tc.want != 0 && !ok:
			t.Errorf("%s: matched nothing, want id %d", tc.name, tc.want)
		case tc.want != 0 && got.ID != tc.want:
			t.Errorf("%s: matched %s (id %d), want id %d", tc.name, Describe(got), got.ID, tc.want)
		}
	}
}

func TestMatchLowestID(t *testing.T) {
	entries := []model.DNCEntry{
		{ID: 40, Kind: model.DNCTitle, Value: "head of hr"},
		{ID: 7, Kind: model.DNCDomain, Value: "eu.acme.com"},
		{ID: 30, Kind: model.DNCCompany, Value: "acme"},
		{ID: 5, Kind: model.DNCDomain, Value: "acme.com"},
		{ID: 9, Kind: model.DNCProfile, Value: "profile:jane-doe"},
		{ID: 3, Kind: model.DNCTitle, Value: "hr"},
		{ID: 2, Kind: model.DNCCompany, Value: "acme"}, // same value as 30
		{ID: 8, Kind: model.DNCTitle, Value: "head"},
	}
	lead := model.Lead{ProfileKind: "profile", ProfileKey: "jane-doe", Company: "Acme Inc", Email: "jane@eu.acme.com", Title: "Head of HR"}
	cases := []struct {
		name string
		lead model.Lead
		want uint64
	}{
		{"every kind matches", lead, 2},
		{"two companies", model.Lead{Company: "ACME"}, 2},
		{"domain and parent domain", model.Lead{Email: "jane@eu.acme.com"}, 5},
		{"three title keywords", model.Lead{Title: "Head of HR"}, 3},
		{"profile and title", model.Lead{ProfileKind: "profile", ProfileKey: "jane-doe", Title: "Head of Sales"}, 8},
	}
	// The answer must not depend on the order the rules come in.
	for _, order := range [][]model.DNCEntry{entries, reversed(entries)} {
		m := NewMatcher(order)
		for _, tc := range cases {
			if got, ok := m.Match(tc.lead); !ok || got.ID != tc.want {
				t.Errorf("%s: got id %d (%v), want %d", tc.name, got.ID, ok, tc.want)
			}
		}
	}
}

func reversed(s []model.DNCEntry) []model.DNCEntry {
	out := make([]model.DNCEntry, len(s))
	for i, e := range s {
		out[len(s)-1-i] = e
	}
	return out
}

func TestMatcherIgnoresBadRules(t *testing.T) {
	m := NewMatcher([]model.DNCEntry{
		{ID: 1, Kind: "email", Value: "jane@acme.com"},
		{ID: 2, Kind: model.DNCDomain, Value: "localhost"},
		{ID: 3, Kind: model.DNCTitle, Value: "x"},
		{ID: 4, Kind: model.DNCCompany, Value: "ACME Inc"}, // stored unnormalised: normalised again
	})
	if got, ok := m.Match(model.Lead{Email: "jane@acme.com", Title: "x ray", Company: "Initech"}); ok {
		t.Errorf("matched bad rule %+v", got)
	}
	if got, ok := m.Match(model.Lead{Company: "acme"}); !ok || got.ID != 4 {
		t.Errorf("rule stored unnormalised: got %+v, %v", got, ok)
	}
}

func TestMatcherKeepsEntries(t *testing.T) {
	entries := rules(t, "company", "Acme")
	entries[0].Note = "asked us to stop"
	m := NewMatcher(entries)
	entries[0].Note = "changed by the caller later"
	if got, _ := m.Match(model.Lead{Company: "Acme"}); got.Note != "asked us to stop" {
		t.Errorf("Match returned note %q; the matcher must keep its own copy", got.Note)
	}
}
