package campaigns

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"parley/app/campaigns/csvin"
	"parley/app/model"
	"parley/storage"
)

func importCSV(t *testing.T, s *Service, csv string, opts ImportOptions) (model.ImportRun, error) {
	t.Helper()
	if opts.File == "" {
		opts.File = "leads.csv"
	}
	return s.Import(context.Background(), strings.NewReader(csv), opts, who)
}

func rejects(t *testing.T, s *Service, id uint64) []model.ImportReject {
	var out []model.ImportReject
	s.ImportRejects(id, func(r model.ImportReject) error { out = append(out, r); return nil })
	return out
}

const messy = "\ufeffLinkedIn URL;First Name;Company;Tags;Lead Score\n" +
	"https://www.linkedin.com/in/ada-l?trk=x;Ada;Analytical Engines;math, vip;90\n" +
	"linkedin.com/in/grace-h;Grace;Navy;\"code\nwriters\";80\n" + // a quoted newline: next record starts on line 5
	"https://www.linkedin.com/company/acme;Acme;Acme;;1\n" +
	"https://de.linkedin.com/in/Ada-L/;Ada again;;;\n" +
	"linkedin.com/in/evil;=HYPERLINK(A1);;;\n" +
	";Nobody;;;\n" +
	"linkedin.com/in/alan-t;Alan;Bletchley;;70;extra\n"

func TestImportMessyFile(t *testing.T) {
	s, store, _ := fixture(t)
	var progress []int
	run, err := importCSV(t, s, messy, ImportOptions{List: "Pioneers", Progress: func(r model.ImportRun) { progress = append(progress, r.Rows) }})
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != model.ImportDone || run.Rows != 7 || run.Imported != 2 || run.Skipped != 1 || run.Rejected != 4 ||
		run.Encoding != "UTF-8 (BOM)" || run.Delimiter != "semicolon" || len(progress) == 0 {
		t.Fatalf("run = %+v progress %v", run, progress)
	}
	want := map[int]string{5: "company", 6: "same person as line 2", 7: "formula", 8: "no LinkedIn profile URL", 9: "header has only 5 columns"}
	got := rejects(t, s, run.ID)
	if len(got) != len(want) {
		t.Fatalf("rejects = %+v", got)
	}
	for _, r := range got {
		if !strings.Contains(strings.ToLower(r.Reason), strings.ToLower(want[r.Line])) {
			t.Errorf("line %d: %q, want %q", r.Line, r.Reason, want[r.Line])
		}
	}
	p, _ := s.Search(Query{Text: "grace"})
	if len(p.Rows) != 1 {
		t.Fatal("grace not imported")
	}
	d, _ := s.Lead(p.Rows[0].ID)
	if d.Lead.Company != "Navy" || fmt.Sprint(d.Lead.Tags) != "[code writers]" && fmt.Sprint(d.Lead.Tags) != "[code\nwriters]" ||
		d.Lead.Custom["lead_score"] != "80" || len(d.Lists) != 1 || d.Lists[0].Name != "Pioneers" || d.Lead.Source != fmt.Sprintf("import:%d", run.ID) {
		t.Fatalf("grace = %+v lists %v", d.Lead, d.Lists)
	}
	if len(d.Timeline) != 1 || d.Timeline[0].Type != "import.progress" {
		t.Fatalf("timeline = %+v", d.Timeline)
	}
	store.View(func(tx *storage.Tx) error {
		evs, _ := tx.RecentEvents(1)
		if evs[0].Type != "import.finished" {
			t.Errorf("last event %s", evs[0].Type)
		}
		return nil
	})
}

func TestImportDuplicateRules(t *testing.T) {
	s, _, _ := fixture(t)
	s.CreateLead(LeadInput{ProfileURL: "linkedin.com/in/ada-l", FirstName: "Ada", Title: "Countess"}, who)
	csv := "Profile URL,First Name,Title,Company,Tags\nlinkedin.com/in/ada-l,Augusta,Mathematician,Engines,new\nlinkedin.com/in/bob,Bob,,,\nlinkedin.com/in/BOB/,Robert,CTO,,\n"
	run, _ := importCSV(t, s, csv, ImportOptions{List: "A"})
	if run.Imported != 1 || run.Skipped != 2 || run.Updated != 0 {
		t.Fatalf("skip rule = %+v", run)
	}
	run, _ = importCSV(t, s, csv, ImportOptions{List: "B", Duplicates: DuplicatesMerge})
	if run.Imported != 0 || run.Updated != 3 {
		t.Fatalf("merge rule = %+v", run)
	}
	p, _ := s.Search(Query{Text: "ada"})
	d, _ := s.Lead(p.Rows[0].ID)
	// Merge fills what is missing and never overwrites what is known.
	if d.Lead.FirstName != "Ada" || d.Lead.Title != "Countess" || d.Lead.Company != "Engines" || fmt.Sprint(d.Lead.Tags) != "[new]" || len(d.Lead.Lists) != 1 {
		t.Fatalf("merged = %+v", d.Lead)
	}
	p, _ = s.Search(Query{Text: "bob"})
	d, _ = s.Lead(p.Rows[0].ID)
	if d.Lead.Title != "CTO" || len(d.Lead.Lists) != 2 {
		t.Fatalf("bob = %+v", d.Lead)
	}
}

func TestImportRefusals(t *testing.T) {
	s, store, _ := fixture(t)
	cases := []struct{ csv, want string }{
		{"", "empty"},
		{"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"},
		{"Name,Company\nAda,Engines\n", "no column holds LinkedIn profile URLs"},
	}
	for _, c := range cases {
		if _, err := importCSV(t, s, c.csv, ImportOptions{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.want, err, c.want)
		}
	}
	if _, err := importCSV(t, s, "a,b\n1,2\n", ImportOptions{Mapping: []csvin.Field{csvin.FieldProfileURL, csvin.FieldProfileURL}}); err == nil || !strings.Contains(err.Error(), "two columns") {
		t.Errorf("double mapping = %v", err)
	}
	if _, err := importCSV(t, s, "a,b\n1,2\n", ImportOptions{Mapping: []csvin.Field{csvin.FieldProfileURL}}); err == nil {
		t.Error("short mapping accepted")
	}
	if _, err := importCSV(t, s, "url\nlinkedin.com/in/x\n", ImportOptions{Duplicates: "overwrite"}); err == nil {
		t.Error("unknown duplicate rule accepted")
	}
	// A column the reader did not recognise can be mapped by hand.
	run, err := importCSV(t, s, "Person,Who\nlinkedin.com/in/mapped,Mapped Person\n", ImportOptions{Mapping: []csvin.Field{csvin.FieldProfileURL, csvin.FieldFullName}})
	if err != nil || run.Imported != 1 {
		t.Fatalf("manual mapping = %+v %v", run, err)
	}
	// Erased people are refused unless overridden.
	store.Update(func(tx *storage.Tx) error { return tx.AddTombstone("gone") })
	run, _ = importCSV(t, s, "url\nlinkedin.com/in/gone\n", ImportOptions{})
	if run.Imported != 0 || run.Skipped != 1 || !strings.Contains(rejects(t, s, run.ID)[0].Reason, "erased") {
		t.Fatalf("erased = %+v", run)
	}
	run, _ = importCSV(t, s, "url\nlinkedin.com/in/gone\n", ImportOptions{AllowErased: true})
	if run.Imported != 1 {
		t.Fatalf("override = %+v", run)
	}
}

func TestImportBatchesCancellationAndRecovery(t *testing.T) {
	s, store, _ := fixture(t)
	var b strings.Builder
	b.WriteString("LinkedIn,Name\n")
	for i := range 1200 {
		fmt.Fprintf(&b, "linkedin.com/in/p%d,Person %d\n", i, i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	run, err := s.Import(ctx, strings.NewReader(b.String()), ImportOptions{BatchSize: 500, Progress: func(model.ImportRun) { cancel() }}, who)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != model.ImportCancelled || run.Imported != 500 || !strings.Contains(run.Error, "cancelled after") {
		t.Fatalf("cancelled = %+v", run)
	}
	if c := s.Counts()[model.LeadNew]; c != 500 {
		t.Fatalf("leads after cancel = %d", c)
	}
	// A run left "running" by a crash is marked failed at the next start.
	store.Update(func(tx *storage.Tx) error {
		_, err := tx.CreateImport(model.ImportRun{File: "x.csv", Status: model.ImportRunning, Rows: 42})
		return err
	})
	if err := s.RecoverImports(); err != nil {
		t.Fatal(err)
	}
	runs, _ := s.Imports(10)
	if runs[0].Status != model.ImportFailed || !strings.Contains(runs[0].Error, "interrupted after 42 rows") {
		t.Fatalf("recovered = %+v", runs[0])
	}
	// The rest imports in full, in three batches.
	calls := 0
	run, _ = s.Import(context.Background(), strings.NewReader(b.String()), ImportOptions{BatchSize: 500, Progress: func(model.ImportRun) { calls++ }}, who)
	if run.Imported != 700 || run.Skipped != 500 || calls != 3 {
		t.Fatalf("full = %+v, %d progress calls", run, calls)
	}
}

func TestPreviewCSV(t *testing.T) {
	p, err := PreviewCSV(strings.NewReader(messy), 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.Encoding != "UTF-8 (BOM)" || p.Delimiter != "semicolon" || len(p.Sample) != 2 || p.Mapping[0] != csvin.FieldProfileURL || p.Mapping[4] != csvin.CustomField("lead_score") {
		t.Fatalf("preview = %+v", p)
	}
}
