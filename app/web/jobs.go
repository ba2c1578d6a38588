package web

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/storage"
	"parley/views/pages"
)

// deadLettersPerPage is the page size of the dead letters page.
const deadLettersPerPage = 50

// deadLettersPage: GET /jobs/dead[?before=ID]
func (s *Server) deadLettersPage(c echo.Context) error {
	v := pages.DeadLettersView{}
	switch c.QueryParam("done") {
	case "retried":
		v.Flash = &pages.Flash{Kind: "ok", Text: "Job " + truncate(c.QueryParam("job"), 20) + " is back in its queue with a fresh retry budget."}
	case "cancelled":
		v.Flash = &pages.Flash{Kind: "ok", Text: "Job " + truncate(c.QueryParam("job"), 20) + " is cancelled."}
	}
	return s.renderDeadLetters(c, http.StatusOK, v)
}

func (s *Server) renderDeadLetters(c echo.Context, status int, v pages.DeadLettersView) error {
	before, err := beforeParam(c, "a job number")
	if err != nil {
		return err
	}
	jobs, next, err := s.deadLetters(before, deadLettersPerPage)
	if err != nil {
		return err
	}
	v.NextBefore = next
	err = s.o.Store.View(func(tx *storage.Tx) error {
		for _, j := range jobs {
			v.Rows = append(v.Rows, jobRow(tx, j))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.render(c, status, pages.DeadLetters(s.layout(c, "Dead letters", "dead"), v))
}

// deadLetters reads one page of dead letters and the cursor of the next.
func (s *Server) deadLetters(before uint64, limit int) ([]model.Job, uint64, error) {
	rt, err := s.rt()
	if err != nil {
		return nil, 0, err
	}
	jobs, err := rt.DeadLetters(before, limit+1)
	if err != nil {
		return nil, 0, err
	}
	var next uint64
	if len(jobs) > limit {
		jobs = jobs[:limit]
		next = jobs[limit-1].ID
	}
	return jobs, next, nil
}

func jobRow(tx *storage.Tx, j model.Job) pages.JobRow {
	r := pages.JobRow{Job: j, What: j.Kind, Account: pages.AccountRef{ID: j.AccountID, Name: fmt.Sprintf("account %d", j.AccountID)}}
	if a, err := tx.Account(j.AccountID); err == nil {
		r.Account.Name = a.Name
	}
	if j.LeadID != 0 {
		r.LeadName = fmt.Sprintf("lead %d", j.LeadID)
		if l, err := tx.Lead(j.LeadID); err == nil {
			r.LeadName = l.Name()
			r.What = j.Kind + " for " + l.Name()
		}
	}
	if j.CampaignID != 0 {
		r.CampaignName = fmt.Sprintf("campaign %d", j.CampaignID)
		if camp, err := tx.Campaign(j.CampaignID); err == nil {
			r.CampaignName = camp.Name
		}
	}
	return r
}

func beforeParam(c echo.Context, what string) (uint64, error) {
	b := c.QueryParam("before")
	if b == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(b, 10, 64)
	if err != nil {
		return 0, model.Errorf(model.CodeInvalid, "before must be %s", what)
	}
	return n, nil
}

// retryJobForm: POST /jobs/:id/retry
func (s *Server) retryJobForm(c echo.Context) error {
	return s.jobFormAction(c, "retried", func(id uint64, o model.Origin) error { return s.o.Runtime.RetryJob(id, o) })
}

// cancelJobForm: POST /jobs/:id/cancel
func (s *Server) cancelJobForm(c echo.Context) error {
	return s.jobFormAction(c, "cancelled", func(id uint64, o model.Origin) error { return s.o.Runtime.CancelJob(id, o) })
}

// jobFormAction runs a job control from the dead letters page. A refusal
// (the job is no longer a dead letter) shows the page again with why.
func (s *Server) jobFormAction(c echo.Context, done string, act func(uint64, model.Origin) error) error {
	if _, err := s.rt(); err != nil {
		return err
	}
	id, err := pathID(c, "job")
	if err != nil {
		return err
	}
	if err := act(id, s.originOf(c)); err != nil {
		if status := s.statusOf(err); status < 500 && status != http.StatusNotFound {
			c.Request().URL.RawQuery = ""
			return s.renderDeadLetters(c, status, pages.DeadLettersView{Error: capitalise(model.PublicMessage(err)) + "."})
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/jobs/dead?done=%s&job=%d", done, id))
}

// jobJSON is a job as the API shows it, with a description for people.
type jobJSON struct {
	model.Job
	Description string `json:"description"`
}

// apiDeadLetters: GET /api/v1/jobs/dead?before=&limit=
func (s *Server) apiDeadLetters(c echo.Context) error {
	limit, err := queryInt(c, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	before, err := beforeParam(c, "a job number")
	if err != nil {
		return err
	}
	jobs, next, err := s.deadLetters(before, limit)
	if err != nil {
		return err
	}
	out := struct {
		Jobs       []jobJSON `json:"jobs"`
		NextBefore uint64    `json:"next_before,omitempty"`
	}{Jobs: []jobJSON{}, NextBefore: next}
	for _, j := range jobs {
		out.Jobs = append(out.Jobs, jobJSON{Job: j, Description: s.o.Runtime.DescribeJob(j)})
	}
	return c.JSON(http.StatusOK, out)
}

// apiRetryJob: POST /api/v1/jobs/:id/retry → the job, queued again.
func (s *Server) apiRetryJob(c echo.Context) error {
	return s.apiJobAction(c, func(id uint64, o model.Origin) error { return s.o.Runtime.RetryJob(id, o) })
}

// apiCancelJob: POST /api/v1/jobs/:id/cancel → the job, cancelled.
func (s *Server) apiCancelJob(c echo.Context) error {
	return s.apiJobAction(c, func(id uint64, o model.Origin) error { return s.o.Runtime.CancelJob(id, o) })
}

func (s *Server) apiJobAction(c echo.Context, act func(uint64, model.Origin) error) error {
	if _, err := s.rt(); err != nil {
		return err
	}
	id, err := pathID(c, "job")
	if err != nil {
		return err
	}
	if err := act(id, s.originOf(c)); err != nil {
		return err
	}
	var j model.Job
	if err := s.o.Store.View(func(tx *storage.Tx) (err error) { j, err = tx.Job(id); return err }); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, jobJSON{Job: j, Description: s.o.Runtime.DescribeJob(j)})
}

// jobsPerPage is the page size of the jobs page and API.
const jobsPerPage = 50

// jobFilter reads the jobs page's filters: ?account=ID&state=S.
func jobFilter(c echo.Context) (uint64, string, func(model.Job) bool, error) {
	var account uint64
	if a := c.QueryParam("account"); a != "" {
		n, err := strconv.ParseUint(a, 10, 64)
		if err != nil || n == 0 {
			return 0, "", nil, model.Errorf(model.CodeInvalid, "account must be an account number, not %q", truncate(a, 40))
		}
		account = n
	}
	state := c.QueryParam("state")
	if state != "" && !slices.Contains(pages.JobStates, state) {
		return 0, "", nil, model.Errorf(model.CodeInvalid, "state must be one of %s, not %q", strings.Join(pages.JobStates, ", "), truncate(state, 40))
	}
	keep := func(j model.Job) bool {
		return (account == 0 || j.AccountID == account) && (state == "" || j.State == state)
	}
	return account, state, keep, nil
}

// recentJobs reads one page of jobs matching the request's filters.
func (s *Server) recentJobs(c echo.Context, limit int) (pages.JobsView, error) {
	v := pages.JobsView{}
	account, state, keep, err := jobFilter(c)
	if err != nil {
		return v, err
	}
	before, err := beforeParam(c, "a job number")
	if err != nil {
		return v, err
	}
	v.Account, v.State = account, state
	err = s.o.Store.View(func(tx *storage.Tx) error {
		jobs, next, err := tx.RecentJobs(before, limit, keep)
		if err != nil {
			return err
		}
		v.NextBefore = next
		for _, j := range jobs {
			v.Rows = append(v.Rows, jobRow(tx, j))
		}
		return nil
	})
	return v, err
}

// jobsPage: GET /jobs[?account=ID][&state=S][&before=ID]
func (s *Server) jobsPage(c echo.Context) error {
	v, err := s.recentJobs(c, jobsPerPage)
	if err != nil {
		return err
	}
	// The account filter's choices (the API needs none).
	accounts, err := s.o.Accounts.List(true)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		v.Accounts = append(v.Accounts, pages.AccountRef{ID: a.ID, Name: a.Name})
	}
	return s.render(c, http.StatusOK, pages.Jobs(s.layout(c, "Jobs", "jobs"), v))
}

// jobView reads a job with the names around it and notes which of its
// evidence files retention has deleted.
func (s *Server) jobView(c echo.Context) (pages.JobView, error) {
	id, err := pathID(c, "job")
	if err != nil {
		return pages.JobView{}, err
	}
	v := pages.JobView{Gone: map[string]bool{}}
	err = s.o.Store.View(func(tx *storage.Tx) error {
		j, err := tx.Job(id)
		if err != nil {
			return err
		}
		v.Row = jobRow(tx, j)
		return nil
	})
	if err != nil {
		return v, err
	}
	v.Description = pages.JobTitle(v.Row) + ", as " + v.Row.Account.Name + "."
	for _, a := range v.Row.Job.Attempts {
		if a.Evidence == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(s.o.Config.Paths.Evidence(), filepath.FromSlash(a.Evidence))); err != nil {
			v.Gone[a.Evidence] = true
		}
	}
	return v, nil
}

// jobPage: GET /jobs/:id, the job with its action log and screenshots.
func (s *Server) jobPage(c echo.Context) error {
	v, err := s.jobView(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.Job(s.layout(c, fmt.Sprintf("Job %d", v.Row.Job.ID), "jobs"), v))
}

// apiJobs: GET /api/v1/jobs?account=&state=&before=&limit=
func (s *Server) apiJobs(c echo.Context) error {
	limit, err := queryInt(c, "limit", jobsPerPage, 1, 500)
	if err != nil {
		return err
	}
	v, err := s.recentJobs(c, limit)
	if err != nil {
		return err
	}
	out := struct {
		Jobs       []jobJSON `json:"jobs"`
		NextBefore uint64    `json:"next_before,omitempty"`
	}{Jobs: []jobJSON{}, NextBefore: v.NextBefore}
	for _, r := range v.Rows {
		out.Jobs = append(out.Jobs, jobJSON{Job: r.Job, Description: pages.JobTitle(r)})
	}
	return c.JSON(http.StatusOK, out)
}

// apiJob: GET /api/v1/jobs/:id, with the action log of its latest tries.
func (s *Server) apiJob(c echo.Context) error {
	v, err := s.jobView(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, jobJSON{Job: v.Row.Job, Description: pages.JobTitle(v.Row)})
}
