package storage

import (
	"fmt"
	"testing"
	"time"

	"parley/app/clocktest"
	"parley/app/model"
)

func newLead(i int, name string) model.Lead {
	return model.Lead{
		ProfileURL: fmt.Sprintf("https://www.linkedin.com/in/p%d/", i), ProfileKind: "profile", ProfileKey: fmt.Sprintf("p%d", i),
		FullName: name, Company: "Co", State: model.LeadNew, CreatedAt: t0, UpdatedAt: t0.Add(time.Duration(i) * time.Second),
	}
}

func TestLeadsIndexesStayInStep(t *testing.T) {
	s := openTemp(t, Options{Clock: clocktest.New(t0)})
	names := []string{"Zoe", "adam", "Mia"}
	err := s.Update(func(tx *Tx) error {
		list, err := tx.CreateList("Prospects")
		if err != nil {
			return err
		}
		for i, n := range names {
			l := newLead(i, n)
			l.Lists = []uint64{list.ID}
			if _, err := tx.CreateLead(l); err != nil {
				return err
			}
		}
		if _, err := tx.CreateLead(newLead(0, "dup")); model.ErrorCode(err) != model.CodeConflict {
			t.Errorf("duplicate profile = %v", err)
		}
		if _, err := tx.CreateList("prospects"); model.ErrorCode(err) != model.CodeConflict {
			t.Errorf("duplicate list = %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	order := func(o LeadOrder, after []byte) (out []string, last []byte) {
		s.View(func(tx *Tx) error {
			tx.ScanLeadRows(o, after, func(k, raw []byte) bool {
				var r LeadRow
				if err := LeadRowOf(raw, &r); err != nil {
					t.Fatal(err)
				}
				out = append(out, r.Name)
				last = append([]byte(nil), k...)
				return len(out) < 2
			})
			return nil
		})
		return out, last
	}
	check := func(o LeadOrder, want ...string) {
		t.Helper()
		first, cursor := order(o, nil)
		rest, _ := order(o, cursor)
		got := append(first, rest...)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("order %d = %v, want %v", o, got, want)
		}
	}
	check(OrderNewest, "Mia", "adam", "Zoe")
	check(OrderOldest, "Zoe", "adam", "Mia")
	check(OrderName, "adam", "Mia", "Zoe")
	check(OrderUpdated, "Mia", "adam", "Zoe")

	// Renaming and moving a lead updates every index and the counts.
	s.Update(func(tx *Tx) error {
		l, _ := tx.Lead(1)
		l.FullName, l.State, l.UpdatedAt = "Bea", model.LeadQueued, t0.Add(time.Hour)
		return tx.SaveLead(l)
	})
	check(OrderName, "adam", "Bea", "Mia")
	check(OrderUpdated, "Bea", "Mia", "adam")
	s.View(func(tx *Tx) error {
		c := tx.LeadCounts()
		if c[model.LeadNew] != 2 || c[model.LeadQueued] != 1 {
			t.Errorf("counts = %v", c)
		}
		if l, ok, _ := tx.LeadByProfile("profile", "p2"); !ok || l.FullName != "Mia" {
			t.Errorf("by profile = %+v", l)
		}
		lists, _ := tx.Lists()
		if len(lists) != 1 || tx.ListSize(lists[0].ID) != 3 {
			t.Errorf("lists = %+v", lists)
		}
		return nil
	})

	// Timeline and notes, then deletion removes everything.
	s.Update(func(tx *Tx) error {
		tx.AppendLeadEvent(2, model.Event{Type: "lead.note"})
		tx.AppendEvent(model.Event{Type: "other"})
		tx.AppendLeadEvent(2, model.Event{Type: "lead.queued"})
		tx.AppendLeadEvent(3, model.Event{Type: "lead.queued"})
		tx.AddLeadNote(model.LeadNote{LeadID: 2, Text: "first"})
		tx.AddLeadNote(model.LeadNote{LeadID: 2, Text: "second"})
		return nil
	})
	s.View(func(tx *Tx) error {
		tl, _ := tx.LeadTimeline(2, 10)
		if len(tl) != 2 || tl[0].Type != "lead.queued" || tl[0].Subject != "lead:2" {
			t.Errorf("timeline = %+v", tl)
		}
		notes, _ := tx.LeadNotes(2)
		if len(notes) != 2 || notes[0].Text != "second" {
			t.Errorf("notes = %+v", notes)
		}
		return nil
	})
	s.Update(func(tx *Tx) error { return tx.DeleteLead(2) }) // adam
	check(OrderName, "Bea", "Mia")
	s.View(func(tx *Tx) error {
		if tl, _ := tx.LeadTimeline(2, 10); len(tl) != 0 {
			t.Error("timeline survived deletion")
		}
		if n, _ := tx.LeadNotes(2); len(n) != 0 {
			t.Error("notes survived deletion")
		}
		if _, ok, _ := tx.LeadByProfile("profile", "p1"); ok {
			t.Error("deleted lead still found by profile")
		}
		if _, ok, _ := tx.LeadByProfile("profile", "p0"); !ok {
			t.Error("wrong lead deleted")
		}
		if tx.ListSize(1) != 2 || tx.LeadCounts()[model.LeadNew] != 1 {
			t.Errorf("after delete: list %d counts %v", tx.ListSize(1), tx.LeadCounts())
		}
		if tl, _ := tx.LeadTimeline(3, 10); len(tl) != 1 {
			t.Error("another lead's timeline was touched")
		}
		return nil
	})
}

// TestCountersCountPendingChanges: counters are written once at commit but
// read correctly inside the transaction, and nothing is written when the
// transaction fails.
func TestCountersCountPendingChanges(t *testing.T) {
	s := openTemp(t, Options{Clock: clocktest.New(t0)})
	var listID uint64
	err := s.Update(func(tx *Tx) error {
		list, err := tx.CreateList("A")
		if err != nil {
			return err
		}
		listID = list.ID
		for i := range 3 {
			l := newLead(i, "x")
			l.Lists = []uint64{list.ID}
			if _, err := tx.CreateLead(l); err != nil {
				return err
			}
		}
		l, _ := tx.Lead(1)
		l.State = model.LeadSkipped
		if err := tx.SaveLead(l); err != nil {
			return err
		}
		if c := tx.LeadCounts(); c[model.LeadNew] != 2 || c[model.LeadSkipped] != 1 || tx.ListSize(list.ID) != 3 {
			t.Errorf("inside the transaction: %v, list %d", c, tx.ListSize(list.ID))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Update(func(tx *Tx) error {
		if err := tx.DeleteLead(2); err != nil {
			t.Fatal(err)
		}
		return fmt.Errorf("roll back")
	})
	s.View(func(tx *Tx) error {
		if c := tx.LeadCounts(); c[model.LeadNew] != 2 || c[model.LeadSkipped] != 1 || tx.ListSize(listID) != 3 {
			t.Errorf("after commit and a rolled-back delete: %v, list %d", c, tx.ListSize(listID))
		}
		return nil
	})
}
