package web

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parley/app/model"
	"parley/storage"
)

// logTries gives a job the action log of two tries, the first failed with
// a screenshot (which exists when shot is true).
func (f *fixture) logTries(j model.Job, shot bool) model.Job {
	f.t.Helper()
	const png = "account-1/20261204T101500.000Z-failed-invite.png"
	if shot {
		p := filepath.Join(f.paths.Evidence(), filepath.FromSlash(png))
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte("\x89PNG\r\n\x1a\n"), 0o600); err != nil {
			f.t.Fatal(err)
		}
	}
	at := time.Date(2026, 12, 4, 10, 15, 0, 0, time.UTC)
	j.AddAttempt(model.JobAttempt{Started: at, TookMS: 10_400, Failed: true, Evidence: png,
		Outcome: "failed (selector): the Connect button on a profile was not found (evidence: " + png + ")",
		Steps: []model.JobStep{{AtMS: 40, TookMS: 40, What: "opened a browser tab for invite"}, {AtMS: 900, TookMS: 860, What: "loaded https://www.linkedin.com/in/jane-doe/"},
			{AtMS: 10_400, TookMS: 9_500, What: `the Connect button on a profile was not found (selector pack element "profile.connect")`, Failed: true}}})
	j.AddAttempt(model.JobAttempt{Started: at.Add(time.Hour), TookMS: 2_100, Outcome: "invited Jane Doe",
		Steps: []model.JobStep{{AtMS: 2_000, TookMS: 300, What: "verified: the profile says Pending"}}})
	if err := f.store.Update(func(tx *storage.Tx) error { return tx.PutJob(j) }); err != nil {
		f.t.Fatal(err)
	}
	return j
}

// TestJobPages: the jobs list filters by account and state and pages; a
// job's page shows each try's steps with timings and the screenshot of a
// failed try (or says retention deleted it); the API returns the same log;
// bad filters and unknown jobs get clear errors.
func TestJobPages(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	read, _ := f.keys()
	a, c := f.activeCampaign("Q1 founders")
	jane := f.enrolled(c, "jane-doe", "Jane Doe")
	f.enrolled(c, "bob", "Bob Stone")
	jj := f.logTries(f.deadLetter(jane.ID, "the Connect button on a profile was not found"), true)

	body := unescaped(f.paced(req{path: "/jobs", session: true}).Body.String())
	for _, want := range []string{`href="/jobs" aria-current="page">Jobs`, "Jane Doe", "Bob Stone", fmt.Sprintf(`href="/jobs/%d"`, jj.ID), "dead", "queued"} {
		if !strings.Contains(body, want) {
			t.Errorf("jobs page lacks %q", want)
		}
	}
	body = unescaped(f.paced(req{path: "/jobs?state=dead&account=" + fmt.Sprint(a.ID), session: true}).Body.String())
	if !strings.Contains(body, "Jane Doe") || strings.Contains(body, "Bob Stone") {
		t.Error("the state filter does not filter")
	}
	if body := f.paced(req{path: "/jobs?account=999", session: true}).Body.String(); !strings.Contains(body, "No jobs match") {
		t.Error("another account's jobs are listed")
	}

	body = unescaped(f.paced(req{path: fmt.Sprintf("/jobs/%d", jj.ID), session: true}).Body.String())
	for _, want := range []string{
		"Visit the profile of Jane Doe, as " + a.Name, "Try 2", "Try 1", "invited Jane Doe", "verified: the profile says Pending",
		"loaded https://www.linkedin.com/in/jane-doe/", "860 ms", "9.5 s", "10.4 s", `(selector pack element "profile.connect")`,
		`<img src="/evidence/account-1/20261204T101500.000Z-failed-invite.png"`, `href="/evidence/account-1/20261204T101500.000Z-failed-invite.html">page copy`,
		fmt.Sprintf(`action="/jobs/%d/retry"`, jj.ID),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("job page lacks %q", want)
		}
	}
	if strings.Index(body, "Try 2") > strings.Index(body, "Try 1") {
		t.Error("the newest try is not first")
	}
	// The dead letters page links the job's log.
	if body := f.paced(req{path: "/jobs/dead", session: true}).Body.String(); !strings.Contains(body, fmt.Sprintf(`href="/jobs/%d"`, jj.ID)) {
		t.Error("the dead letters page does not link the job")
	}

	// The screenshot deleted by retention: the page says so.
	os.Remove(filepath.Join(f.paths.Evidence(), "account-1", "20261204T101500.000Z-failed-invite.png"))
	body = unescaped(f.paced(req{path: fmt.Sprintf("/jobs/%d", jj.ID), session: true}).Body.String())
	if strings.Contains(body, `<img src="/evidence`) || !strings.Contains(body, "was deleted by the evidence retention") {
		t.Error("a deleted screenshot is still shown")
	}

	rec := f.paced(req{path: fmt.Sprintf("/api/v1/jobs/%d", jj.ID), header: read})
	got := decode[struct {
		ID          uint64             `json:"id"`
		Description string             `json:"description"`
		Attempts    []model.JobAttempt `json:"attempts"`
	}](t, rec.Body.String())
	if rec.Code != 200 || got.ID != jj.ID || got.Description != "Visit the profile of Jane Doe" || len(got.Attempts) != 2 ||
		got.Attempts[0].N != 1 || !got.Attempts[0].Failed || len(got.Attempts[0].Steps) != 3 || got.Attempts[1].Outcome != "invited Jane Doe" {
		t.Fatalf("job API = %d %s", rec.Code, rec.Body)
	}
	rec = f.paced(req{path: "/api/v1/jobs?state=queued&limit=1", header: read})
	list := decode[struct {
		Jobs []struct {
			State       string `json:"state"`
			Description string `json:"description"`
		} `json:"jobs"`
		NextBefore uint64 `json:"next_before"`
	}](t, rec.Body.String())
	if rec.Code != 200 || len(list.Jobs) != 1 || list.Jobs[0].State != model.JobQueued {
		t.Fatalf("jobs API = %d %s", rec.Code, rec.Body)
	}

	for _, c := range []struct {
		path string
		code int
		want string
	}{
		{"/api/v1/jobs?state=lost", 400, "state must be one of queued, running, done, dead, cancelled"},
		{"/api/v1/jobs?account=abc", 400, "account must be an account number"},
		{"/api/v1/jobs?before=x", 400, "before must be a job number"},
		{"/api/v1/jobs?limit=0", 400, "limit"},
		{"/api/v1/jobs/9999", 404, "job 9999 does not exist"},
		{"/api/v1/jobs/abc", 404, ""},
	} {
		rec := f.paced(req{path: c.path, header: read})
		if rec.Code != c.code || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("%s = %d %s; want %d with %q", c.path, rec.Code, rec.Body, c.code, c.want)
		}
	}
	if rec := f.paced(req{path: "/jobs/9999", session: true}); rec.Code != http.StatusNotFound {
		t.Errorf("unknown job page = %d", rec.Code)
	}
	if rec := f.paced(req{path: "/jobs?state=lost", session: true}); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "state must be one of") {
		t.Errorf("bad filter page = %d", rec.Code)
	}
}
