package leadurl

import (
	"strings"
	"testing"

	"parley/app/model"
)

// FuzzParse checks the properties every caller relies on: no panic, a
// coded message for every refusal, and a stable canonical form for every
// acceptance.
func FuzzParse(f *testing.F) {
	for _, tc := range accepted {
		f.Add(tc.in)
	}
	for _, tc := range rejected {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := Parse(raw)
		if err != nil {
			if model.ErrorCode(err) != model.CodeInvalid {
				t.Fatalf("Parse(%q): uncoded error %v", raw, err)
			}
			if msg := err.Error(); msg == "" || strings.Contains(msg, "%!") {
				t.Fatalf("Parse(%q): bad message %q", raw, msg)
			}
			return
		}
		if p.Kind != KindProfile && p.Kind != KindSalesNav {
			t.Fatalf("Parse(%q): unknown kind %q", raw, p.Kind)
		}
		if p.Key == "" {
			t.Fatalf("Parse(%q): empty key in %+v", raw, p)
		}
		if !strings.HasPrefix(p.URL, "https://www.linkedin.com/") {
			t.Fatalf("Parse(%q): URL %q is not canonical", raw, p.URL)
		}
		again, err := Parse(p.URL)
		if err != nil {
			t.Fatalf("Parse(%q) gave URL %q, which fails: %v", raw, p.URL, err)
		}
		if again != p {
			t.Fatalf("not idempotent for %q:\n first %+v\nsecond %+v", raw, p, again)
		}
	})
}
