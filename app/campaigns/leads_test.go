package campaigns

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"parley/app/clocktest"
	"parley/app/model"
	"parley/storage"
	"parley/storage/storagetest"
)

var t0 = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

var who = model.Origin{Actor: "alice", AuthMethod: "session", PeerIP: "127.0.0.1", RequestID: "r1"}

func fixture(t *testing.T) (*Service, *storage.Store, *clocktest.Clock) {
	clock := clocktest.New(t0)
	store := storagetest.Open(t, clock)
	return New(store), store, clock
}

func TestCreateLeadValidatesAndNormalises(t *testing.T) {
	s, store, _ := fixture(t)
	l, err := s.CreateLead(LeadInput{ProfileURL: " https://DE.linkedin.com/in/Jane-Doe?trk=x ", FirstName: "Jane", LastName: "Doe",
		Company: "ACME", Tags: []string{"b", "a", "A", " "}, Custom: map[string]string{"source": "fair"}, List: "Events"}, who)
	if err != nil {
		t.Fatal(err)
	}
	if l.ProfileURL != "https://www.linkedin.com/in/jane-doe/" || l.ProfileKey != "jane-doe" || l.State != model.LeadNew ||
		l.Name() != "Jane Doe" || fmt.Sprint(l.Tags) != "[a b]" || len(l.Lists) != 1 || l.Custom["source"] != "fair" {
		t.Fatalf("lead = %+v", l)
	}
	cases := []struct {
		in   LeadInput
		want string
	}{
		{LeadInput{ProfileURL: "https://www.linkedin.com/in/jane-doe/"}, "already has the profile"},
		{LeadInput{ProfileURL: "https://www.linkedin.com/company/acme"}, "company"},
		{LeadInput{ProfileURL: ""}, "empty"},
		{LeadInput{ProfileURL: "linkedin.com/in/x1", Company: "=HYPERLINK(\"http://evil\")"}, "formula"},
		{LeadInput{ProfileURL: "linkedin.com/in/x1", Custom: map[string]string{"phone": "+1 HYPERLINK(1)"}}, "formula"},
		{LeadInput{ProfileURL: "linkedin.com/in/x2", Email: "not-mail"}, "not an e-mail"},
		{LeadInput{ProfileURL: "linkedin.com/in/x3", Title: strings.Repeat("t", 501)}, "longer than 500"},
		{LeadInput{ProfileURL: "linkedin.com/in/x4", List: strings.Repeat("l", 81)}, "list name"},
	}
	// Phone numbers start with "+" but are data, not formulas.
	phone, err := s.CreateLead(LeadInput{ProfileURL: "linkedin.com/in/phone", Custom: map[string]string{"phone": "+44 20 7946 0000"}}, who)
	if err != nil || phone.Custom["phone"] != "+44 20 7946 0000" {
		t.Fatalf("phone = %+v, %v", phone, err)
	}
	for _, c := range cases {
		if _, err := s.CreateLead(c.in, who); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want %q", c.in, err, c.want)
		}
	}
	store.View(func(tx *storage.Tx) error {
		if n := tx.LeadCounts()[model.LeadNew]; n != 2 {
			t.Errorf("refused inputs stored leads: %d", n)
		}
		tl, _ := tx.LeadTimeline(l.ID, 10)
		if len(tl) != 1 || tl[0].Type != "lead.created" {
			t.Errorf("timeline = %+v", tl)
		}
		return nil
	})
	// An erased person cannot come back.
	store.Update(func(tx *storage.Tx) error { return tx.AddTombstone("erased-person") })
	if _, err := s.CreateLead(LeadInput{ProfileURL: "linkedin.com/in/erased-person"}, who); err == nil || !strings.Contains(err.Error(), "asked to be erased") {
		t.Fatalf("erased = %v", err)
	}
}

func TestTransitionsNotesAndAudit(t *testing.T) {
	s, store, _ := fixture(t)
	l, _ := s.CreateLead(LeadInput{ProfileURL: "linkedin.com/in/a", FullName: "A"}, who)
	if _, err := s.Transition(l.ID, model.LeadMessaged, "", who); model.ErrorCode(err) != model.CodeConflict || !strings.Contains(err.Error(), "cannot become messaged") {
		t.Fatalf("new → messaged = %v", err)
	}
	if _, err := s.Transition(l.ID, model.LeadQueued, "enrolled", who); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(l.ID, model.LeadBlacklisted, "asked us to stop", who); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(l.ID, "  met at the fair ", who); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddNote(l.ID, " ", who); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatal("empty note accepted")
	}
	d, err := s.Lead(l.ID)
	if err != nil || d.Lead.State != model.LeadBlacklisted || len(d.Notes) != 1 || d.Notes[0].Text != "met at the fair" || d.Notes[0].Author != "alice" {
		t.Fatalf("detail = %+v %v", d, err)
	}
	var types []string
	for _, e := range d.Timeline {
		types = append(types, e.Type)
	}
	if fmt.Sprint(types) != "[lead.note lead.blacklisted lead.queued lead.created]" {
		t.Fatalf("timeline = %v", types)
	}
	store.View(func(tx *storage.Tx) error {
		recs, _ := tx.RecentAudit(0, 1)
		if recs[0].Action != "lead_blacklisted" || recs[0].Details["reason"] != "asked us to stop" {
			t.Errorf("audit = %+v", recs[0])
		}
		return nil
	})
	if _, err := s.Lead(999); model.ErrorCode(err) != model.CodeNotFound {
		t.Fatal("missing lead")
	}
}

func seed(t *testing.T, s *Service, clock *clocktest.Clock, n int) []model.Lead {
	t.Helper()
	var out []model.Lead
	for i := range n {
		clock.Advance(time.Minute)
		l, err := s.CreateLead(LeadInput{ProfileURL: fmt.Sprintf("linkedin.com/in/p%03d", i), FullName: fmt.Sprintf("Person %03d", i),
			Company: []string{"Acme", "Globex", "Initech"}[i%3], Title: []string{"CTO", "Sales Lead", "Engineer"}[i%3],
			Tags: []string{fmt.Sprintf("batch%d", i%2)}}, who)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

func TestSearchFiltersOrdersAndPages(t *testing.T) {
	s, _, clock := fixture(t)
	leads := seed(t, s, clock, 30)
	clock.Advance(time.Minute)
	s.Transition(leads[5].ID, model.LeadQueued, "", who)
	s.Transition(leads[5].ID, model.LeadInvited, "", who)
	s.Transition(leads[5].ID, model.LeadReplied, "", who)
	names := func(p Page) string {
		var out []string
		for _, r := range p.Rows {
			out = append(out, strings.TrimPrefix(r.Name, "Person "))
		}
		return strings.Join(out, ",")
	}
	yes := true
	for _, c := range []struct {
		q    Query
		want string
	}{
		{Query{Text: "globex", Limit: 3}, "028,025,022"},
		{Query{Text: "SALES LEAD", Order: storage.OrderOldest, Limit: 2}, "001,004"},
		{Query{Tag: "BATCH1", Order: storage.OrderName, Limit: 3}, "001,003,005"},
		{Query{State: model.LeadReplied}, "005"},
		{Query{Replied: &yes}, "005"},
		{Query{Text: "initech", State: model.LeadNew, Order: storage.OrderName, Limit: 2}, "002,008"},
		{Query{Order: storage.OrderUpdated, Limit: 2}, "005,029"},
		{Query{CreatedFrom: t0.Add(29 * time.Minute), Order: storage.OrderOldest}, "028,029"},
		{Query{Text: "nobody"}, ""},
	} {
		p, err := s.Search(c.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := names(p); got != c.want {
			t.Errorf("%+v: %s, want %s", c.q, got, c.want)
		}
	}
	// Paging with the cursor visits every match exactly once.
	seen := map[uint64]bool{}
	q := Query{Text: "acme", Limit: 4, Order: storage.OrderName}
	for pages := 0; ; pages++ {
		p, err := s.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rows {
			if seen[r.ID] {
				t.Fatalf("lead %d on two pages", r.ID)
			}
			seen[r.ID] = true
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	if len(seen) != 10 {
		t.Fatalf("paged through %d of 10 Acme leads", len(seen))
	}
	if _, err := s.Search(Query{Cursor: "%%%"}); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatal("bad cursor accepted")
	}
}

func TestBulkActionsAreAllOrNothing(t *testing.T) {
	s, store, clock := fixture(t)
	leads := seed(t, s, clock, 4)
	ids := []uint64{leads[0].ID, leads[1].ID}
	if n, err := s.ApplyBulk(Bulk{IDs: ids, Action: "tag", Tag: "vip"}, who); err != nil || n != 2 {
		t.Fatalf("tag = %d %v", n, err)
	}
	if n, err := s.ApplyBulk(Bulk{IDs: ids, Action: "list", List: "Q1 targets"}, who); err != nil || n != 2 {
		t.Fatalf("list = %d %v", n, err)
	}
	if p, _ := s.Search(Query{Tag: "vip"}); len(p.Rows) != 2 || len(p.Rows[0].Lists) != 1 {
		t.Fatalf("after tag+list = %+v", p.Rows)
	}
	// One missing id: nothing changes.
	_, err := s.ApplyBulk(Bulk{IDs: []uint64{leads[2].ID, 999}, Action: "tag", Tag: "x"}, who)
	if model.ErrorCode(err) != model.CodeNotFound {
		t.Fatalf("bulk with a missing lead = %v", err)
	}
	if p, _ := s.Search(Query{Tag: "x"}); len(p.Rows) != 0 {
		t.Fatal("partial bulk applied")
	}
	s.ApplyBulk(Bulk{IDs: ids, Action: "untag", Tag: "VIP"}, who)
	if p, _ := s.Search(Query{Tag: "vip"}); len(p.Rows) != 0 {
		t.Fatal("untag failed")
	}
	if _, err := s.ApplyBulk(Bulk{IDs: ids, Action: "blacklist"}, who); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyBulk(Bulk{IDs: []uint64{leads[3].ID}, Action: "delete"}, who); err != nil {
		t.Fatal(err)
	}
	c := s.Counts()
	if c[model.LeadBlacklisted] != 2 || c[model.LeadNew] != 1 {
		t.Fatalf("counts = %v", c)
	}
	store.View(func(tx *storage.Tx) error {
		recs, _ := tx.RecentAudit(0, 2)
		if recs[0].Action != "lead_bulk_delete" || recs[1].Action != "lead_bulk_blacklist" {
			t.Errorf("audit = %s %s", recs[0].Action, recs[1].Action)
		}
		return nil
	})
	for _, bad := range []Bulk{{Action: "tag", Tag: "x"}, {IDs: ids, Action: "explode"}, {IDs: ids, Action: "tag"}, {IDs: make([]uint64, 1001), Action: "delete"}} {
		if _, err := s.ApplyBulk(bad, who); model.ErrorCode(err) != model.CodeInvalid {
			t.Errorf("%+v = %v", bad.Action, err)
		}
	}
	lists, _ := s.Lists()
	if len(lists) != 1 || lists[0].Size != 2 {
		t.Fatalf("lists = %+v", lists)
	}
}
