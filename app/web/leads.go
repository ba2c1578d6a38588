package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/campaigns/csvin"
	"parley/app/model"
	"parley/storage"
	"parley/views/pages"
)

// leadQuery reads the list filter from the query string (shared by the
// page and GET /api/v1/leads).
func leadQuery(c echo.Context) (campaigns.Query, pages.LeadFilter, error) {
	p := c.QueryParams()
	f := pages.LeadFilter{
		Text: p.Get("q"), State: p.Get("state"), List: p.Get("list"), Campaign: p.Get("campaign"), Account: p.Get("account"),
		Tag: p.Get("tag"), Order: p.Get("sort"), Replied: p.Get("replied"), From: p.Get("from"), To: p.Get("to"),
	}
	q, err := campaigns.ParseQuery(p)
	return q, f, err
}

func (s *Server) leadsPage(c echo.Context) error {
	v := pages.LeadsView{}
	q, f, err := leadQuery(c)
	v.Filter = f
	status := http.StatusOK
	if err != nil {
		v.Error, status = model.PublicMessage(err), http.StatusBadRequest
	} else {
		page, err := s.o.Campaigns.Search(q)
		if err != nil {
			if s.statusOf(err) >= 500 {
				return err
			}
			v.Error, status = model.PublicMessage(err), s.statusOf(err)
		}
		if v.Next = page.Next; v.Next != "" {
			params := c.QueryParams()
			params.Set("cursor", page.Next)
			v.Query = params.Encode()
		}
		v.Rows, err = s.leadRows(page.Rows)
		if err != nil {
			return err
		}
	}
	lists, err := s.o.Campaigns.Lists()
	if err != nil {
		return err
	}
	for _, l := range lists {
		v.Lists = append(v.Lists, pages.ListOption{ID: l.ID, Name: l.Name, Size: l.Size})
	}
	counts := s.o.Campaigns.Counts()
	for _, st := range model.LeadStates() {
		v.States = append(v.States, pages.StateCount{State: st, Count: counts[st]})
	}
	if err := s.leadFilterOptions(&v); err != nil {
		return err
	}
	v.ExportQuery = campaigns.FilterString(c.QueryParams())
	if n := c.QueryParam("done"); n != "" {
		v.Flash = &pages.Flash{Kind: "ok", Text: fmt.Sprintf("Done: %s lead(s) changed.", truncate(n, 8))}
	}
	if n := c.QueryParam("enrolled"); n != "" {
		v.Flash = &pages.Flash{Kind: "ok", Text: enrolledText(c.QueryParam("enrolled"), c.QueryParam("of"))}
	}
	return s.render(c, status, pages.Leads(s.layout(c, "Leads", "leads"), v))
}

// leadFilterOptions fills the campaign and account selects: every
// campaign and account for the filter (archived ones keep their leads),
// active and paused campaigns for "add to campaign".
func (s *Server) leadFilterOptions(v *pages.LeadsView) error {
	cs, err := s.o.Campaigns.Campaigns(true)
	if err != nil {
		return err
	}
	for _, c := range cs {
		o := pages.LeadFilterOption{ID: c.ID, Name: c.Name}
		if c.State != model.CampaignActive {
			o.Note = c.State
		}
		v.Campaigns = append(v.Campaigns, o)
		if c.State == model.CampaignActive || c.State == model.CampaignPaused {
			v.Enrol = append(v.Enrol, o)
		}
	}
	as, err := s.o.Accounts.List(true)
	if err != nil {
		return err
	}
	for _, a := range as {
		o := pages.LeadFilterOption{ID: a.ID, Name: a.Name}
		if a.Archived() {
			o.Note = "archived"
		}
		v.Accounts = append(v.Accounts, o)
	}
	return nil
}

func enrolledText(enrolled, of string) string {
	n, _ := strconv.Atoi(enrolled)
	total, _ := strconv.Atoi(of)
	text := fmt.Sprintf("%d lead(s) added to the campaign.", n)
	if total > n {
		text = fmt.Sprintf("%d of %d selected leads added to the campaign; the others were not new, already in a sequence or on the do-not-contact list.", n, total)
	}
	return text
}

func (s *Server) leadRows(rows []storage.LeadRow) ([]pages.LeadRow, error) {
	lists, err := s.o.Campaigns.Lists()
	if err != nil {
		return nil, err
	}
	names := map[uint64]string{}
	for _, l := range lists {
		names[l.ID] = l.Name
	}
	out := make([]pages.LeadRow, 0, len(rows))
	for _, r := range rows {
		row := pages.LeadRow{ID: r.ID, Name: r.Name, Title: r.Title, Company: r.Company, State: r.State, Tags: r.Tags, UpdatedAt: r.UpdatedAt, Profile: r.ProfileURL}
		for _, id := range r.Lists {
			row.Lists = append(row.Lists, names[id])
		}
		out = append(out, row)
	}
	return out, nil
}

func (s *Server) newLeadPage(c echo.Context) error {
	return s.render(c, http.StatusOK, pages.LeadForm(s.layout(c, "Add a lead", "leads"), pages.LeadFormView{}))
}

func (s *Server) createLead(c echo.Context) error {
	v := pages.LeadFormView{
		ProfileURL: c.FormValue("profile_url"), FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"),
		Company: c.FormValue("company"), Title: c.FormValue("title"), Email: c.FormValue("email"),
		Location: c.FormValue("location"), Tags: c.FormValue("tags"), List: c.FormValue("list"),
	}
	l, err := s.o.Campaigns.CreateLead(campaigns.LeadInput{
		ProfileURL: v.ProfileURL, FirstName: v.FirstName, LastName: v.LastName, Company: v.Company, Title: v.Title,
		Email: v.Email, Location: v.Location, Tags: csvin.SplitTags(v.Tags), List: v.List,
	}, s.originOf(c))
	if err != nil {
		if status := s.statusOf(err); status < 500 {
			v.Error = model.PublicMessage(err)
			return s.render(c, status, pages.LeadForm(s.layout(c, "Add a lead", "leads"), v))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/leads/%d", l.ID))
}

func (s *Server) leadPage(c echo.Context) error {
	var flash *pages.Flash
	if c.QueryParam("erased") != "" {
		flash = &pages.Flash{Kind: "ok", Text: "Personal data erased. The audit trail records who did it and why."}
	}
	return s.renderLead(c, http.StatusOK, flash, "")
}

func (s *Server) renderLead(c echo.Context, status int, flash *pages.Flash, msg string) error {
	return s.renderLeadView(c, status, pages.LeadView{Flash: flash, Error: msg})
}

// renderLeadErase shows the lead page with the erase form as it was sent.
func (s *Server) renderLeadErase(c echo.Context, status int, reason, msg string) error {
	return s.renderLeadView(c, status, pages.LeadView{EraseReason: reason, EraseError: msg})
}

func (s *Server) renderLeadView(c echo.Context, status int, v pages.LeadView) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	d, err := s.o.Campaigns.Lead(id)
	if err != nil {
		return err
	}
	v.Lead, v.Notes, v.Timeline = d.Lead, d.Notes, d.Timeline
	if v.Enrolments, err = s.leadEnrolments(d.Enrolments); err != nil {
		return err
	}
	for _, l := range d.Lists {
		v.Lists = append(v.Lists, l.Name)
	}
	for _, st := range model.LeadStates() {
		// By hand: the moves a person makes (including "already a
		// connection", so a campaign goes straight to messaging); sends and
		// replies are recorded by the runtime.
		switch st {
		case model.LeadNew, model.LeadConnected, model.LeadSkipped, model.LeadBlacklisted, model.LeadReviewRequired:
			if model.CanTransition(d.Lead.State, st) {
				v.Next = append(v.Next, st)
			}
		}
	}
	return s.render(c, status, pages.LeadPage(s.layout(c, d.Lead.Name(), "leads"), v))
}

func (s *Server) moveLead(c echo.Context) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	if _, err := s.o.Campaigns.Transition(id, model.LeadState(c.FormValue("state")), strings.TrimSpace(c.FormValue("reason")), s.originOf(c)); err != nil {
		if status := s.statusOf(err); status < 500 && status != 404 {
			return s.renderLead(c, status, nil, model.PublicMessage(err))
		}
		return err
	}
	return s.renderLead(c, http.StatusOK, &pages.Flash{Kind: "ok", Text: "State changed."}, "")
}

func (s *Server) addLeadNote(c echo.Context) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	if _, err := s.o.Campaigns.AddNote(id, c.FormValue("text"), s.originOf(c)); err != nil {
		if status := s.statusOf(err); status < 500 && status != 404 {
			return s.renderLead(c, status, nil, model.PublicMessage(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/leads/%d", id))
}

func (s *Server) bulkLeads(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return model.Errorf(model.CodeInvalid, "the form could not be read")
	}
	b := campaigns.Bulk{Action: form.Get("action"), Tag: form.Get("value"), List: form.Get("value")}
	for _, v := range form["ids"] {
		id, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return model.Errorf(model.CodeInvalid, "%q is not a lead number", truncate(v, 20))
		}
		b.IDs = append(b.IDs, id)
	}
	if b.Action == "campaign" {
		id, err := strconv.ParseUint(form.Get("campaign"), 10, 64)
		if err != nil || id == 0 {
			return model.Errorf(model.CodeInvalid, "choose the campaign to add the selected leads to")
		}
		b.Campaign = id
	}
	n, err := s.o.Campaigns.ApplyBulk(b, s.originOf(c))
	if err != nil {
		return err
	}
	if b.Action == "campaign" {
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/leads?enrolled=%d&of=%d", n, len(b.IDs)))
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/leads?done=%d", n))
}

// leadEnrolments are a lead's campaigns as its page shows them, newest
// first.
func (s *Server) leadEnrolments(es []model.Enrolment) ([]pages.LeadEnrolment, error) {
	if len(es) == 0 {
		return nil, nil
	}
	cs, err := s.o.Campaigns.Campaigns(true)
	if err != nil {
		return nil, err
	}
	byID := map[uint64]model.Campaign{}
	for _, c := range cs {
		byID[c.ID] = c.Campaign
	}
	es = slices.Clone(es)
	slices.SortStableFunc(es, func(a, b model.Enrolment) int { return b.EnrolledAt.Compare(a.EnrolledAt) })
	out := make([]pages.LeadEnrolment, 0, len(es))
	for _, e := range es {
		c := byID[e.CampaignID]
		le := pages.LeadEnrolment{CampaignID: e.CampaignID, CampaignName: c.Name, Status: e.Status, Step: e.Step,
			Steps: len(c.Steps), Reason: e.Reason, Enrolled: e.EnrolledAt, Updated: e.UpdatedAt}
		if le.CampaignName == "" {
			le.CampaignName = fmt.Sprintf("campaign %d", e.CampaignID)
		}
		if e.Step < len(c.Steps) {
			le.StepKind = c.Steps[e.Step].Kind
		}
		out = append(out, le)
	}
	return out, nil
}

func pathID(c echo.Context, what string) (uint64, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, model.Errorf(model.CodeNotFound, "there is no %s %q", what, truncate(c.Param("id"), 20))
	}
	return id, nil
}
