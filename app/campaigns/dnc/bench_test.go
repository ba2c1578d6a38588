package dnc

import (
	"bytes"
	"fmt"
	"testing"

	"parley/app/model"
)

// benchRules is a large rule list: 4,000 profiles, 3,000 companies, 2,000
// domains and 1,000 title keywords, already normalised as stored.
func benchRules(b *testing.B) []model.DNCEntry {
	b.Helper()
	var kv []string
	for i := range 4000 {
		kv = append(kv, model.DNCProfile, fmt.Sprintf("https://www.linkedin.com/in/person-%d/", i))
	}
	for i := range 3000 {
		kv = append(kv, model.DNCCompany, fmt.Sprintf("Company %d, Inc.", i))
	}
	for i := range 2000 {
		kv = append(kv, model.DNCDomain, fmt.Sprintf("domain%d.com", i))
	}
	for i := range 1000 {
		kv = append(kv, model.DNCTitle, fmt.Sprintf("keyword%d manager", i))
	}
	return rules(b, kv...)
}

// benchLeads are 100,000 leads of which about one in ten is stopped, with
// the kinds of text real leads have.
func benchLeads() []model.Lead {
	titles := []string{"Senior Software Engineer", "Head of HR, EMEA", "Directeur Général", "Marketing Intern", "VP Sales & Marketing"}
	leads := make([]model.Lead, 100_000)
	for i := range leads {
		leads[i] = model.Lead{
			ProfileKind: "profile",
			ProfileKey:  fmt.Sprintf("person-%d", i*7),
			Company:     fmt.Sprintf("Company %d GmbH", i*3),
			Email:       fmt.Sprintf("p%d@eu.domain%d.com", i, i*5),
			Title:       titles[i%len(titles)] + fmt.Sprintf(" keyword%d", i*11),
		}
	}
	return leads
}

func BenchmarkNewMatcher10k(b *testing.B) {
	entries := benchRules(b)
	b.ReportAllocs()
	for b.Loop() {
		NewMatcher(entries)
	}
}

func BenchmarkMatch(b *testing.B) {
	m := NewMatcher(benchRules(b))
	leads := benchLeads()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Match(leads[i%len(leads)])
		i++
	}
}

// BenchmarkBuildAndMatch is the figure the campaigns runner cares about:
// a matcher for 10,000 rules, then 100,000 leads checked against it.
func BenchmarkBuildAndMatch(b *testing.B) {
	entries := benchRules(b)
	leads := benchLeads()
	b.ReportAllocs()
	for b.Loop() {
		m := NewMatcher(entries)
		stopped := 0
		for _, l := range leads {
			if _, ok := m.Match(l); ok {
				stopped++
			}
		}
		if stopped == 0 || stopped == len(leads) {
			b.Fatalf("%d of %d leads stopped", stopped, len(leads))
		}
	}
}

func BenchmarkReadCSV10k(b *testing.B) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, benchRules(b)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		rows, rejects, err := ReadCSV(bytes.NewReader(buf.Bytes()))
		if err != nil || len(rejects) > 0 || len(rows) != 10_000 {
			b.Fatalf("%d rows, %d rejects, %v", len(rows), len(rejects), err)
		}
	}
}
