package storage

import (
	"testing"
	"time"

	"parley/app/model"
)

func TestLeadRowRoundTrip(t *testing.T) {
	l := model.Lead{
		ID: 42, FirstName: "Jürgen", LastName: "Müller", Company: "ACME GmbH", Title: "Head of Sales",
		Tags: []string{"dach", "Q1"}, Lists: []uint64{3, 9}, State: model.LeadInvited, Replied: true,
		CampaignID: 7, AccountID: 2, ProfileURL: "https://www.linkedin.com/in/jm/",
		CreatedAt: time.Unix(1700000000, 0).UTC(), UpdatedAt: time.Unix(1700000500, 0).UTC(),
	}
	var r LeadRow
	if err := decodeRow(rowOf(l), &r); err != nil {
		t.Fatal(err)
	}
	if r.ID != 42 || r.Name != "Jürgen Müller" || r.Company != "ACME GmbH" || r.State != model.LeadInvited || !r.Replied ||
		len(r.Lists) != 2 || r.Lists[1] != 9 || len(r.Tags) != 2 || r.CampaignID != 7 || r.AccountID != 2 ||
		!r.UpdatedAt.Equal(l.UpdatedAt) || r.ProfileURL != l.ProfileURL {
		t.Fatalf("row = %+v", r)
	}
	for q, want := range map[string]bool{"": true, "müller": true, "acme": true, "head of": true, "q1": true, "berlin": false} {
		if r.Matches(q) != want {
			t.Errorf("Matches(%q) = %v", q, !want)
		}
	}
	for _, bad := range [][]byte{nil, {9}, {1, 99, 0, 0}, rowOf(l)[:10]} {
		if err := decodeRow(bad, &r); err == nil {
			t.Errorf("decoded %v", bad)
		}
	}
}

func FuzzDecodeRow(f *testing.F) {
	f.Add(rowOf(model.Lead{ID: 1, FirstName: "a", State: model.LeadNew}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r LeadRow
		decodeRow(b, &r) // must not panic on any stored bytes
		peekRow(b)
	})
}
