package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/campaigns/dnc"
	"parley/app/model"
	"parley/views/pages"
)

// dncRoutes are the pages and API of the do-not-contact list.
func (s *Server) dncRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, "/dnc", PermSession, classNone, s.dncPage},
		{post, "/dnc", PermSession, classControl, s.addDNC},
		{post, "/dnc/import", PermSession, classControl, s.importDNC},
		{get, "/dnc/export.csv", PermSession, classNone, s.exportDNC},
		{post, "/dnc/:id/remove", PermSession, classControl, s.removeDNC},

		{get, "/api/v1/dnc", PermAPIRead, classAPI, s.apiDNC},
		{post, "/api/v1/dnc", PermAPIControl, classControl, s.apiAddDNC},
		{http.MethodDelete, "/api/v1/dnc/:id", PermAPIControl, classControl, s.apiRemoveDNC},
		{post, "/api/v1/dnc/import", PermAPIControl, classControl, s.apiImportDNC},
		{get, "/api/v1/dnc/export.csv", PermAPIRead, classAPI, s.exportDNC},
	}
}

// dncShown bounds the rules listed on the page; the CSV has them all.
const dncShown = 500

// dncKinds are the kinds of rule as the add form explains them.
var dncKinds = []pages.DNCKind{
	{Value: model.DNCProfile, Label: "Profile", Example: "linkedin.com/in/jane-doe",
		Help: "One person, by their LinkedIn profile URL in any form it is copied in."},
	{Value: model.DNCCompany, Label: "Company", Example: "Acme Inc.",
		Help: "Everyone whose company has this name. Case, accents, punctuation and a legal form such as Inc, Ltd or GmbH make no difference; “Acmeworks” is another company."},
	{Value: model.DNCDomain, Label: "E-mail domain", Example: "acme.com",
		Help: "Everyone whose e-mail address is at this domain or a subdomain of it (jane@acme.com, joe@eu.acme.com)."},
	{Value: model.DNCTitle, Label: "Title keyword", Example: "intern",
		Help: "Everyone whose job title contains this word or phrase as whole words: “intern” stops “Marketing Intern”, not “International Sales”."},
}

func dncKindLabel(kind string) string {
	for _, k := range dncKinds {
		if k.Value == kind {
			return k.Label
		}
	}
	return kind
}

// dncRule is an entry as the table shows it.
func dncRule(e model.DNCEntry) pages.DNCRule {
	value := e.Value
	if kind, key, ok := strings.Cut(e.Value, ":"); ok && e.Kind == model.DNCProfile {
		value = key
		if kind != "profile" {
			value = strings.ReplaceAll(kind, "_", " ") + " " + key
		}
	}
	return pages.DNCRule{ID: e.ID, Kind: dncKindLabel(e.Kind), Value: value, Describe: dnc.Describe(e),
		Note: e.Note, CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt}
}

func (s *Server) dncPage(c echo.Context) error {
	v := pages.DNCView{Form: pages.DNCForm{Kind: model.DNCProfile}}
	switch q := c.QueryParams(); {
	case q.Has("added"):
		v.Flash = &pages.Flash{Kind: "ok", Text: addedText(q.Get("blacklisted"))}
	case q.Has("removed"):
		v.Flash = &pages.Flash{Kind: "ok", Text: "Rule removed. Leads it had blacklisted stay blacklisted; move one back to new from its page to contact it."}
	}
	return s.renderDNC(c, http.StatusOK, v)
}

func addedText(blacklisted string) string {
	switch n, _ := strconv.Atoi(blacklisted); n {
	case 0:
		return "Added; no lead matched it yet. Leads added later are checked against it."
	case 1:
		return "Added; 1 lead matched and was blacklisted."
	default:
		return fmt.Sprintf("Added; %d leads matched and were blacklisted.", n)
	}
}

// renderDNC fills in the rules and the kinds and renders the page.
func (s *Server) renderDNC(c echo.Context, status int, v pages.DNCView) error {
	entries, err := s.o.Campaigns.DNCEntries()
	if err != nil {
		return err
	}
	v.Kinds = dncKinds
	v.Filter = strings.TrimSpace(truncate(c.QueryParam("q"), 100))
	needle := strings.ToLower(v.Filter)
	for _, e := range slices.Backward(entries) {
		if needle != "" && !dncMatches(e, needle) {
			continue
		}
		v.Total++
		if len(v.Rules) < dncShown {
			v.Rules = append(v.Rules, dncRule(e))
		}
	}
	v.Limited = v.Total > len(v.Rules)
	return s.render(c, status, pages.DNC(s.layout(c, "Do not contact", "dnc"), v))
}

func dncMatches(e model.DNCEntry, needle string) bool {
	for _, f := range []string{e.Value, e.Note, e.CreatedBy, dncKindLabel(e.Kind), e.Kind} {
		if strings.Contains(strings.ToLower(f), needle) {
			return true
		}
	}
	return false
}

// addDNC: POST /dnc (kind, value, note).
func (s *Server) addDNC(c echo.Context) error {
	v := pages.DNCView{Form: pages.DNCForm{Kind: c.FormValue("kind"), Value: c.FormValue("value"), Note: c.FormValue("note")}}
	_, res, err := s.o.Campaigns.AddDNC(v.Form.Kind, v.Form.Value, v.Form.Note, s.originOf(c))
	if err != nil {
		if status := s.statusOf(err); status < 500 {
			v.FormError = model.PublicMessage(err)
			return s.renderDNC(c, status, v)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/dnc?added=1&blacklisted=%d", res.Blacklisted))
}

// importDNC: POST /dnc/import (multipart, field file). The result is
// shown on the page, with every line that gave no rule.
func (s *Server) importDNC(c echo.Context) error {
	fh, err := c.FormFile("file")
	if err != nil {
		v := pages.DNCView{Form: pages.DNCForm{Kind: model.DNCProfile}, ImportError: "Choose a CSV file of rules to upload."}
		status := http.StatusBadRequest
		if msg, ok := tooLarge(err); ok {
			v.ImportError, status = msg, http.StatusRequestEntityTooLarge
		}
		return s.renderDNC(c, status, v)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := s.o.Campaigns.ImportDNC(f, s.originOf(c))
	v := pages.DNCView{Form: pages.DNCForm{Kind: model.DNCProfile}}
	if err != nil {
		if status := s.statusOf(err); status < 500 {
			v.ImportError = fmt.Sprintf("%s: %s", truncate(fh.Filename, 100), model.PublicMessage(err))
			return s.renderDNC(c, status, v)
		}
		return err
	}
	r := pages.DNCImportResult{File: truncate(fh.Filename, 100), Added: res.Added, Duplicates: res.Duplicates, Blacklisted: res.Blacklisted}
	for i, x := range res.Rejects {
		if i == maxRejectsShown {
			r.MoreRejects = len(res.Rejects) - i
			break
		}
		r.Rejects = append(r.Rejects, pages.DNCReject{Line: x.Line, Reason: x.Reason})
	}
	v.Import = &r
	return s.renderDNC(c, http.StatusOK, v)
}

// tooLarge recognises a body cut off by the request size limit.
func tooLarge(err error) (string, bool) {
	var mb *http.MaxBytesError
	if !errors.As(err, &mb) {
		return "", false
	}
	return fmt.Sprintf("The file is too large to upload here (at most %d MB with the form); split it into smaller files.", mb.Limit>>20), true
}

// removeDNC: POST /dnc/:id/remove. Without confirm=yes it only asks.
func (s *Server) removeDNC(c echo.Context) error {
	id, err := pathID(c, "do-not-contact rule")
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		e, err := s.dncEntry(id)
		if err != nil {
			return err
		}
		r := dncRule(e)
		return s.renderDNC(c, http.StatusOK, pages.DNCView{Form: pages.DNCForm{Kind: model.DNCProfile}, Confirm: &r})
	}
	if err := s.o.Campaigns.RemoveDNC(id, s.originOf(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dnc?removed=1")
}

func (s *Server) dncEntry(id uint64) (model.DNCEntry, error) {
	entries, err := s.o.Campaigns.DNCEntries()
	if err != nil {
		return model.DNCEntry{}, err
	}
	for _, e := range entries {
		if e.ID == id {
			return e, nil
		}
	}
	return model.DNCEntry{}, model.Errorf(model.CodeNotFound, "there is no do-not-contact rule %d; it may have been removed already", id)
}

// exportDNC: GET /dnc/export.csv and /api/v1/dnc/export.csv.
func (s *Server) exportDNC(c echo.Context) error {
	w := &download{c: c, name: "parley-do-not-contact-" + s.o.Clock.Now().Format("2006-01-02") + ".csv", ctype: "text/csv; charset=utf-8"}
	return s.o.Campaigns.ExportDNC(w)
}

// download writes a file attachment. Headers are set at the first write,
// so an error before any output still gets a normal error page.
type download struct {
	c           echo.Context
	name, ctype string
	started     bool
}

func (d *download) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.c.Response().Header()
		h.Set("Content-Type", d.ctype)
		h.Set("Content-Disposition", `attachment; filename="`+d.name+`"; filename*=UTF-8''`+url.PathEscape(d.name))
		d.c.Response().WriteHeader(http.StatusOK)
	}
	return d.c.Response().Write(p)
}

// dncRuleJSON is a rule in the API, with its description.
type dncRuleJSON struct {
	model.DNCEntry
	Description string `json:"description"`
}

// dncResultJSON is campaigns.DNCResult with lower-case reject fields.
type dncResultJSON struct {
	Added       int             `json:"added"`
	Duplicates  int             `json:"duplicates"`
	Blacklisted int             `json:"blacklisted"`
	Rejects     []dncRejectJSON `json:"rejects"`
}

type dncRejectJSON struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// apiDNC: GET /api/v1/dnc — every rule, oldest first.
func (s *Server) apiDNC(c echo.Context) error {
	entries, err := s.o.Campaigns.DNCEntries()
	if err != nil {
		return err
	}
	out := []dncRuleJSON{}
	for _, e := range entries {
		out = append(out, dncRuleJSON{e, dnc.Describe(e)})
	}
	return c.JSON(http.StatusOK, map[string]any{"rules": out})
}

// apiAddDNC: POST /api/v1/dnc {"kind","value","note"}
func (s *Server) apiAddDNC(c echo.Context) error {
	var in struct {
		Kind  string `json:"kind"`
		Value string `json:"value"`
		Note  string `json:"note"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, res, err := s.o.Campaigns.AddDNC(in.Kind, in.Value, in.Note, s.originOf(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/dnc/%d", e.ID))
	return c.JSON(http.StatusCreated, map[string]any{"rule": dncRuleJSON{e, dnc.Describe(e)}, "blacklisted": res.Blacklisted})
}

// apiRemoveDNC: DELETE /api/v1/dnc/:id
func (s *Server) apiRemoveDNC(c echo.Context) error {
	id, err := pathID(c, "do-not-contact rule")
	if err != nil {
		return err
	}
	if err := s.o.Campaigns.RemoveDNC(id, s.originOf(c)); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"removed": id})
}

// apiImportDNC: POST /api/v1/dnc/import — the CSV as the body or as a
// multipart field called file.
func (s *Server) apiImportDNC(c echo.Context) error {
	var body io.Reader = c.Request().Body
	if strings.HasPrefix(c.Request().Header.Get("Content-Type"), "multipart/form-data") {
		fh, err := c.FormFile("file")
		if err != nil {
			if _, ok := tooLarge(err); ok {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The request is too large.")
			}
			return model.Errorf(model.CodeInvalid, "send the CSV in a multipart field called file, or as the body with Content-Type: text/csv")
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		body = f
	}
	res, err := s.o.Campaigns.ImportDNC(body, s.originOf(c))
	if err != nil {
		if _, ok := tooLarge(err); ok {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The request is too large.")
		}
		return err
	}
	return c.JSON(http.StatusOK, dncResultOf(res))
}

func dncResultOf(res campaigns.DNCResult) dncResultJSON {
	out := dncResultJSON{Added: res.Added, Duplicates: res.Duplicates, Blacklisted: res.Blacklisted, Rejects: []dncRejectJSON{}}
	for _, x := range res.Rejects {
		out.Rejects = append(out.Rejects, dncRejectJSON{x.Line, x.Reason})
	}
	return out
}
