package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/campaigns/csvin"
	"parley/app/model"
	"parley/views/pages"
)

// maxRejectsShown bounds the rejected rows listed on the page; all of
// them are in the CSV download.
const maxRejectsShown = 200

func (s *Server) importPage(c echo.Context) error {
	return s.renderImportUpload(c, http.StatusOK, pages.ImportUploadView{})
}

func (s *Server) renderImportUpload(c echo.Context, status int, v pages.ImportUploadView) error {
	runs, err := s.o.Campaigns.Imports(20)
	if err != nil {
		return err
	}
	v.Imports = runs
	return s.render(c, status, pages.ImportUpload(s.layout(c, "Import leads", "leads"), v))
}

// uploadImport stores the file and shows the mapping step.
func (s *Server) uploadImport(c echo.Context) error {
	v := pages.ImportUploadView{List: c.FormValue("list"), Duplicates: c.FormValue("duplicates")}
	fh, err := c.FormFile("file")
	if err != nil {
		v.Error = "Choose a CSV file to upload."
		return s.renderImportUpload(c, http.StatusBadRequest, v)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	token, err := s.o.Imports.SaveUpload(f)
	if err != nil {
		if status := s.statusOf(err); status < 500 {
			v.Error = model.PublicMessage(err)
			return s.renderImportUpload(c, status, v)
		}
		return err
	}
	return s.renderImportMap(c, http.StatusOK, token, fh.Filename, v.List, v.Duplicates, nil, "")
}

func (s *Server) renderImportMap(c echo.Context, status int, token, file, list, dups string, chosen []csvin.Field, msg string) error {
	f, err := s.o.Imports.Open(token)
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := campaigns.PreviewCSV(f, 3)
	if err != nil {
		if st := s.statusOf(err); st < 500 {
			return s.renderImportUpload(c, st, pages.ImportUploadView{List: list, Duplicates: dups, Error: model.PublicMessage(err)})
		}
		return err
	}
	v := pages.ImportMapView{Token: token, File: file, List: list, Duplicates: dups, Encoding: p.Encoding, Delimiter: p.Delimiter, Sample: p.Sample, Error: msg}
	if v.Duplicates == "" {
		v.Duplicates = campaigns.DuplicatesSkip
	}
	for i, h := range p.Headers {
		field := p.Mapping[i]
		if chosen != nil && i < len(chosen) {
			field = chosen[i]
		}
		v.Columns = append(v.Columns, pages.ImportColumn{Index: i, Header: h, Field: string(field), Options: fieldOptions(p.Mapping[i])})
	}
	return s.render(c, status, pages.ImportMap(s.layout(c, "Check the columns", "leads"), v))
}

// fieldOptions are the choices for one column: the standard fields, the
// column's own custom field, or nothing.
func fieldOptions(proposed csvin.Field) [][2]string {
	opts := [][2]string{
		{string(csvin.FieldProfileURL), "LinkedIn profile URL"}, {string(csvin.FieldFirstName), "first name"},
		{string(csvin.FieldLastName), "last name"}, {string(csvin.FieldFullName), "full name"},
		{string(csvin.FieldCompany), "company"}, {string(csvin.FieldTitle), "title"}, {string(csvin.FieldEmail), "email"},
		{string(csvin.FieldLocation), "location"}, {string(csvin.FieldTags), "tags"},
	}
	if proposed.IsCustom() {
		opts = append(opts, [2]string{string(proposed), "custom field “" + proposed.CustomName() + "”"})
	}
	return append(opts, [2]string{"", "do not import"})
}

// startImport runs the import in the background and shows its page.
func (s *Server) startImport(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return model.Errorf(model.CodeInvalid, "the form could not be read")
	}
	token, file, list, dups := form.Get("upload"), form.Get("file"), form.Get("list"), form.Get("duplicates")
	f, err := s.o.Imports.Open(token)
	if err != nil {
		return err
	}
	p, err := campaigns.PreviewCSV(f, 0)
	f.Close()
	if err != nil {
		return err
	}
	mapping := make([]csvin.Field, len(p.Headers))
	for i := range mapping {
		v := form.Get(fmt.Sprintf("map_%d", i))
		if v != "" && !allowedField(v, p.Mapping[i]) {
			return model.Errorf(model.CodeInvalid, "%q is not a field a column can be imported as", truncate(v, 40))
		}
		mapping[i] = csvin.Field(v)
	}
	run, err := s.o.Imports.Start(token, campaigns.ImportOptions{
		File: truncate(file, 200), List: list, Duplicates: dups, Mapping: mapping, AllowErased: form.Get("allow_erased") == "1",
	}, s.originOf(c))
	if err != nil {
		if status := s.statusOf(err); status < 500 && status != 404 {
			return s.renderImportMap(c, status, token, file, list, dups, mapping, model.PublicMessage(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/imports/%d", run.ID))
}

func allowedField(v string, proposed csvin.Field) bool {
	for _, o := range fieldOptions(proposed) {
		if o[0] == v {
			return true
		}
	}
	return false
}

func (s *Server) importRunPage(c echo.Context) error {
	id, err := pathID(c, "import")
	if err != nil {
		return err
	}
	run, err := s.o.Campaigns.ImportRun(id)
	if err != nil {
		return err
	}
	v := pages.ImportRunView{Run: run}
	err = s.o.Campaigns.ImportRejects(id, func(r model.ImportReject) error {
		if len(v.Rejects) == maxRejectsShown {
			v.More = true
			return errStopScan
		}
		v.Rejects = append(v.Rejects, r)
		return nil
	})
	if err != nil && err != errStopScan {
		return err
	}
	return s.render(c, http.StatusOK, pages.ImportRun(s.layout(c, fmt.Sprintf("Import %d", id), "leads"), v))
}

var errStopScan = model.Errorf(model.CodeInternal, "stop")

func (s *Server) cancelImport(c echo.Context) error {
	id, err := pathID(c, "import")
	if err != nil {
		return err
	}
	if err := s.o.Imports.Cancel(id); err != nil && model.ErrorCode(err) != model.CodeConflict {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/imports/%d", id))
}

// importRejectsCSV downloads every refused or skipped row, with cells a
// spreadsheet could run neutralised.
func (s *Server) importRejectsCSV(c echo.Context) error {
	id, err := pathID(c, "import")
	if err != nil {
		return err
	}
	if _, err := s.o.Campaigns.ImportRun(id); err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"line", "outcome", "reason", "profile"})
	err = s.o.Campaigns.ImportRejects(id, func(r model.ImportReject) error {
		outcome := "rejected"
		if r.Skipped {
			outcome = "skipped"
		}
		return w.Write([]string{fmt.Sprint(r.Line), outcome, csvin.NeutraliseCell(r.Reason), csvin.NeutraliseCell(r.Profile)})
	})
	if err != nil {
		return err
	}
	w.Flush()
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="import-%d-rows-not-imported.csv"`, id))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// importEvents streams an import's progress as HTML fragments until it
// ends (event "done" closes the stream on the page).
func (s *Server) importEvents(c echo.Context) error {
	id, err := pathID(c, "import")
	if err != nil {
		return err
	}
	subject := fmt.Sprintf("import:%d", id)
	sub, err := s.o.Hub.Subscribe(0)
	if err != nil {
		return err
	}
	defer sub.Close()
	w := c.Response()
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	w.Flush()
	ctx := c.Request().Context()
	send := func(name string, run model.ImportRun) error {
		var buf bytes.Buffer
		if err := pages.ImportProgress(run).Render(ctx, &buf); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, strings.ReplaceAll(buf.String(), "\n", ""))
		w.Flush()
		return err
	}
	// The run may have finished before the page subscribed.
	if run, err := s.o.Campaigns.ImportRun(id); err == nil && run.Status != model.ImportRunning {
		send("progress", run)
		return send("done", run)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.closing:
			return nil
		case e, ok := <-sub.C:
			if !ok {
				return nil
			}
			if e.Subject != subject {
				continue
			}
			run, err := s.o.Campaigns.ImportRun(id)
			if err != nil {
				return nil
			}
			if err := send("progress", run); err != nil || run.Status != model.ImportRunning {
				send("done", run)
				return nil
			}
		}
	}
}

// apiImport: POST /api/v1/imports — the CSV as a multipart "file" field or
// as the body (Content-Type: text/csv); query: list, duplicates, mapping
// (comma-separated fields, one per column), allow_erased, wait. Without
// wait it answers 202 at once; with wait=1 it answers 200 when done.
func (s *Server) apiImport(c echo.Context) error {
	q := c.QueryParams()
	r := c.Request()
	var token string
	var err error
	name := "upload.csv"
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		fh, ferr := c.FormFile("file")
		if ferr != nil {
			return model.Errorf(model.CodeInvalid, "send the CSV in a multipart field called file, or as the body with Content-Type: text/csv")
		}
		f, ferr := fh.Open()
		if ferr != nil {
			return ferr
		}
		defer f.Close()
		name = fh.Filename
		token, err = s.o.Imports.SaveUpload(f)
	} else {
		token, err = s.o.Imports.SaveUpload(r.Body)
	}
	if err != nil {
		return err
	}
	opts := campaigns.ImportOptions{File: truncate(name, 200), List: q.Get("list"), Duplicates: q.Get("duplicates"), AllowErased: q.Get("allow_erased") == "1"}
	if m := q.Get("mapping"); m != "" {
		for _, f := range strings.Split(m, ",") {
			opts.Mapping = append(opts.Mapping, csvin.Field(strings.TrimSpace(f)))
		}
	}
	run, err := s.o.Imports.Start(token, opts, s.originOf(c))
	if err != nil {
		return err
	}
	if q.Get("wait") != "1" {
		c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/imports/%d", run.ID))
		return c.JSON(http.StatusAccepted, run)
	}
	for run.Status == model.ImportRunning {
		select {
		case <-r.Context().Done():
			return nil
		case <-time.After(50 * time.Millisecond):
		}
		if run, err = s.o.Campaigns.ImportRun(run.ID); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, run)
}

// apiImports: GET /api/v1/imports — recent runs.
func (s *Server) apiImports(c echo.Context) error {
	runs, err := s.o.Campaigns.Imports(50)
	if err != nil {
		return err
	}
	if runs == nil {
		runs = []model.ImportRun{}
	}
	return c.JSON(http.StatusOK, map[string]any{"imports": runs})
}

// apiImportRun: GET /api/v1/imports/:id
func (s *Server) apiImportRun(c echo.Context) error {
	id, err := pathID(c, "import")
	if err != nil {
		return err
	}
	run, err := s.o.Campaigns.ImportRun(id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, run)
}
