package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/campaigns/tmpl"
	"parley/app/model"
	"parley/views/pages"
)

// templateRoutes are the pages and API of message and note templates.
func (s *Server) templateRoutes() []route {
	get, post, put := http.MethodGet, http.MethodPost, http.MethodPut
	return []route{
		{get, "/templates", PermSession, classNone, s.templatesPage},
		{get, "/templates/new", PermSession, classNone, s.newTemplatePage},
		{post, "/templates", PermSession, classControl, s.saveTemplate},
		{get, "/templates/:id", PermSession, classNone, s.editTemplatePage},
		{post, "/templates/:id", PermSession, classControl, s.saveTemplate},
		{post, "/templates/:id/archive", PermSession, classControl, s.archiveTemplate},

		{get, "/api/v1/templates", PermAPIRead, classAPI, s.apiTemplates},
		{post, "/api/v1/templates", PermAPIControl, classControl, s.apiSaveTemplate},
		// Preview changes nothing, so a read key may use it.
		{post, "/api/v1/templates/preview", PermAPIRead, classAPI, s.apiPreviewTemplate},
		{get, "/api/v1/templates/:id", PermAPIRead, classAPI, s.apiTemplate},
		{put, "/api/v1/templates/:id", PermAPIControl, classControl, s.apiSaveTemplate},
		{post, "/api/v1/templates/:id/archive", PermAPIControl, classControl, s.apiArchiveTemplate},
	}
}

// maxPreviewLeads bounds the leads one preview renders for.
const maxPreviewLeads = 20

func (s *Server) templatesPage(c echo.Context) error {
	archived := c.QueryParam("archived") == "1"
	list, err := s.o.Campaigns.Templates(archived)
	if err != nil {
		return err
	}
	st, err := s.o.Campaigns.Settings()
	if err != nil {
		return err
	}
	v := pages.TemplatesView{Archived: archived}
	for _, t := range list {
		v.Templates = append(v.Templates, pages.TemplateRow{ID: t.ID, Name: t.Name, Kind: t.Kind, Body: t.Body,
			Chars: tmpl.Count(t.Body), Limit: tmpl.Limit(t.Kind, st.MessageMaxChars), UpdatedAt: t.UpdatedAt, Archived: !t.ArchivedAt.IsZero()})
	}
	switch c.QueryParam("done") {
	case "saved":
		v.Flash = &pages.Flash{Kind: "ok", Text: "Template saved."}
	case "archived":
		v.Flash = &pages.Flash{Kind: "ok", Text: "Template archived. Campaigns that use it keep working; new steps cannot pick it."}
	}
	return s.render(c, http.StatusOK, pages.Templates(s.layout(c, "Templates", "templates"), v))
}

func (s *Server) newTemplatePage(c echo.Context) error {
	v := pages.TemplateFormView{Kind: model.TextNote}
	if k := c.QueryParam("kind"); k == model.TextMessage {
		v.Kind = k
	}
	return s.renderTemplateForm(c, http.StatusOK, v)
}

func (s *Server) editTemplatePage(c echo.Context) error {
	id, err := pathID(c, "template")
	if err != nil {
		return err
	}
	t, err := s.o.Campaigns.Template(id)
	if err != nil {
		return err
	}
	return s.renderTemplateForm(c, http.StatusOK, templateFormOf(t))
}

func templateFormOf(t model.Template) pages.TemplateFormView {
	return pages.TemplateFormView{ID: t.ID, Name: t.Name, Kind: t.Kind, Body: t.Body, Archived: !t.ArchivedAt.IsZero()}
}

// renderTemplateForm adds what the help box needs to a form view.
func (s *Server) renderTemplateForm(c echo.Context, status int, v pages.TemplateFormView) error {
	st, err := s.o.Campaigns.Settings()
	if err != nil {
		return err
	}
	v.Vars, v.CustomVars, v.MessageMax = tmpl.StandardVars(), s.o.Campaigns.LeadFields(), st.MessageMaxChars
	title := "New template"
	if v.ID != 0 {
		title = "Edit template"
	}
	return s.render(c, status, pages.TemplateForm(s.layout(c, title, "templates"), v))
}

// saveTemplate handles the new and edit forms, and their Preview button
// (action=preview), which renders the typed text for real leads without
// saving it.
func (s *Server) saveTemplate(c echo.Context) error {
	v := pages.TemplateFormView{Name: c.FormValue("name"), Kind: c.FormValue("kind"),
		Body: strings.ReplaceAll(c.FormValue("body"), "\r\n", "\n"), LeadIDs: c.FormValue("lead_ids")}
	if c.Param("id") != "" {
		id, err := pathID(c, "template")
		if err != nil {
			return err
		}
		t, err := s.o.Campaigns.Template(id)
		if err != nil {
			return err
		}
		v.ID, v.Archived = id, !t.ArchivedAt.IsZero()
	}
	if c.FormValue("action") == "preview" {
		return s.previewTemplateForm(c, v)
	}
	in := campaigns.TemplateInput{Name: v.Name, Kind: v.Kind, Body: v.Body}
	var err error
	if v.ID == 0 {
		_, err = s.o.Campaigns.CreateTemplate(in, s.originOf(c))
	} else {
		_, err = s.o.Campaigns.UpdateTemplate(v.ID, in, s.originOf(c))
	}
	if err != nil {
		if status := s.statusOf(err); status < 500 && status != http.StatusNotFound {
			v.Error = model.PublicMessage(err)
			return s.renderTemplateForm(c, status, v)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/templates?done=saved")
}

// previewTemplateForm re-renders the form with the typed body rendered for
// the leads asked for (or the newest ones).
func (s *Server) previewTemplateForm(c echo.Context, v pages.TemplateFormView) error {
	v.Previewed = true
	ids, err := parseLeadIDs(v.LeadIDs)
	if err == nil {
		var previews []campaigns.TextPreview
		if previews, err = s.o.Campaigns.PreviewTemplate(v.Body, v.Kind, ids); err == nil {
			for _, p := range previews {
				v.Previews = append(v.Previews, pages.TemplatePreview{LeadID: p.LeadID, Lead: p.Lead, Text: p.Text, Chars: p.Chars, Limit: p.Limit, Problem: p.Problem})
			}
			return s.renderTemplateForm(c, http.StatusOK, v)
		}
	}
	status := s.statusOf(err)
	if status >= 500 {
		return err
	}
	v.Error = model.PublicMessage(err)
	return s.renderTemplateForm(c, status, v)
}

// parseLeadIDs reads the "preview for lead ids" field: numbers separated
// by commas or spaces.
func parseLeadIDs(s string) ([]uint64, error) {
	var ids []uint64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r' }) {
		f = strings.TrimPrefix(f, "#")
		id, err := strconv.ParseUint(f, 10, 64)
		if err != nil || id == 0 {
			return nil, model.Errorf(model.CodeInvalid, "%q is not a lead number; type lead numbers (as in the address /leads/12) separated by commas, or leave the field empty to use the newest leads", truncate(f, 20))
		}
		ids = append(ids, id)
	}
	return checkLeadIDs(ids)
}

func checkLeadIDs(ids []uint64) ([]uint64, error) {
	if len(ids) > maxPreviewLeads {
		return nil, model.Errorf(model.CodeInvalid, "a preview shows at most %d leads; you asked for %d", maxPreviewLeads, len(ids))
	}
	return ids, nil
}

func (s *Server) archiveTemplate(c echo.Context) error {
	id, err := pathID(c, "template")
	if err != nil {
		return err
	}
	if _, err := s.o.Campaigns.ArchiveTemplate(id, s.originOf(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/templates?done=archived")
}

// API: GET /api/v1/templates[?archived=1]
func (s *Server) apiTemplates(c echo.Context) error {
	list, err := s.o.Campaigns.Templates(c.QueryParam("archived") == "1")
	if err != nil {
		return err
	}
	if list == nil {
		list = []model.Template{}
	}
	return c.JSON(http.StatusOK, map[string]any{"templates": list})
}

// API: GET /api/v1/templates/:id
func (s *Server) apiTemplate(c echo.Context) error {
	id, err := pathID(c, "template")
	if err != nil {
		return err
	}
	t, err := s.o.Campaigns.Template(id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

// API: POST /api/v1/templates (create) and PUT /api/v1/templates/:id.
func (s *Server) apiSaveTemplate(c echo.Context) error {
	var in campaigns.TemplateInput
	if c.Param("id") == "" {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		t, err := s.o.Campaigns.CreateTemplate(in, s.originOf(c))
		if err != nil {
			return err
		}
		c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/templates/%d", t.ID))
		return c.JSON(http.StatusCreated, t)
	}
	id, err := pathID(c, "template")
	if err != nil {
		return err
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := s.o.Campaigns.UpdateTemplate(id, in, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

// API: POST /api/v1/templates/:id/archive
func (s *Server) apiArchiveTemplate(c echo.Context) error {
	id, err := pathID(c, "template")
	if err != nil {
		return err
	}
	t, err := s.o.Campaigns.ArchiveTemplate(id, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

// API: POST /api/v1/templates/preview {"body","kind","lead_ids"}
func (s *Server) apiPreviewTemplate(c echo.Context) error {
	var in struct {
		Body    string   `json:"body"`
		Kind    string   `json:"kind"`
		LeadIDs []uint64 `json:"lead_ids"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Kind != "" && in.Kind != model.TextNote && in.Kind != model.TextMessage {
		return model.Errorf(model.CodeInvalid, "kind must be %q or %q (or left out for a message)", model.TextNote, model.TextMessage)
	}
	ids, err := checkLeadIDs(in.LeadIDs)
	if err != nil {
		return err
	}
	previews, err := s.o.Campaigns.PreviewTemplate(in.Body, in.Kind, ids)
	if err != nil {
		return err
	}
	if previews == nil {
		previews = []campaigns.TextPreview{}
	}
	return c.JSON(http.StatusOK, map[string]any{"previews": previews})
}
