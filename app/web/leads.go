package web

import (
	"fmt"
	"net/http"
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
	if n := c.QueryParam("done"); n != "" {
		v.Flash = &pages.Flash{Kind: "ok", Text: fmt.Sprintf("Done: %s lead(s) changed.", truncate(n, 8))}
	}
	return s.render(c, status, pages.Leads(s.layout(c, "Leads", "leads"), v))
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
	return s.renderLead(c, http.StatusOK, nil, "")
}

func (s *Server) renderLead(c echo.Context, status int, flash *pages.Flash, msg string) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	d, err := s.o.Campaigns.Lead(id)
	if err != nil {
		return err
	}
	v := pages.LeadView{Lead: d.Lead, Notes: d.Notes, Timeline: d.Timeline, Flash: flash, Error: msg}
	for _, l := range d.Lists {
		v.Lists = append(v.Lists, l.Name)
	}
	for _, st := range model.LeadStates() {
		// By hand: the moves a person makes; sends and replies are recorded
		// by the runtime.
		switch st {
		case model.LeadNew, model.LeadSkipped, model.LeadBlacklisted, model.LeadReviewRequired:
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
	n, err := s.o.Campaigns.ApplyBulk(b, s.originOf(c))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/leads?done=%d", n))
}

func pathID(c echo.Context, what string) (uint64, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, model.Errorf(model.CodeNotFound, "there is no %s %q", what, truncate(c.Param("id"), 20))
	}
	return id, nil
}
