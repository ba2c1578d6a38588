package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/model"
)

type leadRowJSON struct {
	ID         uint64          `json:"id"`
	Name       string          `json:"name"`
	Title      string          `json:"title,omitempty"`
	Company    string          `json:"company,omitempty"`
	State      model.LeadState `json:"state"`
	Replied    bool            `json:"replied"`
	Tags       []string        `json:"tags,omitempty"`
	Lists      []uint64        `json:"lists,omitempty"`
	CampaignID uint64          `json:"campaign_id,omitempty"`
	AccountID  uint64          `json:"account_id,omitempty"`
	ProfileURL string          `json:"profile_url"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// apiLeads: GET /api/v1/leads with the filters of the Leads page.
func (s *Server) apiLeads(c echo.Context) error {
	q, _, err := leadQuery(c)
	if err != nil {
		return err
	}
	page, err := s.o.Campaigns.Search(q)
	if err != nil {
		return err
	}
	out := struct {
		Leads  []leadRowJSON `json:"leads"`
		Cursor string        `json:"next_cursor,omitempty"`
	}{Leads: []leadRowJSON{}, Cursor: page.Next}
	for _, r := range page.Rows {
		out.Leads = append(out.Leads, leadRowJSON{ID: r.ID, Name: r.Name, Title: r.Title, Company: r.Company, State: r.State,
			Replied: r.Replied, Tags: r.Tags, Lists: r.Lists, CampaignID: r.CampaignID, AccountID: r.AccountID,
			ProfileURL: r.ProfileURL, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
	}
	return c.JSON(http.StatusOK, out)
}

// apiCreateLead: POST /api/v1/leads
func (s *Server) apiCreateLead(c echo.Context) error {
	var in campaigns.LeadInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	l, err := s.o.Campaigns.CreateLead(in, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, l)
}

// apiLead: GET /api/v1/leads/:id (with notes and timeline)
func (s *Server) apiLead(c echo.Context) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	d, err := s.o.Campaigns.Lead(id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// apiMoveLead: POST /api/v1/leads/:id/state {"state","reason"}
func (s *Server) apiMoveLead(c echo.Context) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	var in struct {
		State  model.LeadState `json:"state"`
		Reason string          `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	l, err := s.o.Campaigns.Transition(id, in.State, in.Reason, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}

// apiLeadNote: POST /api/v1/leads/:id/notes {"text"}
func (s *Server) apiLeadNote(c echo.Context) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	var in struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	n, err := s.o.Campaigns.AddNote(id, in.Text, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, n)
}

// apiBulkLeads: POST /api/v1/leads/bulk {"ids","action","tag","list"}
func (s *Server) apiBulkLeads(c echo.Context) error {
	var b campaigns.Bulk
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	n, err := s.o.Campaigns.ApplyBulk(b, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"changed": n})
}

// apiLists: GET /api/v1/lists
func (s *Server) apiLists(c echo.Context) error {
	lists, err := s.o.Campaigns.Lists()
	if err != nil {
		return err
	}
	if lists == nil {
		lists = []campaigns.ListInfo{}
	}
	return c.JSON(http.StatusOK, map[string]any{"lists": lists})
}
