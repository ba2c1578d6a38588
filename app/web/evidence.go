package web

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/automation"
)

// incidentEvidence lists the evidence files an incident names, in order.
func incidentEvidence(in model.Incident) []string {
	texts := []string{in.Title}
	for _, e := range in.Timeline {
		texts = append(texts, e.What)
	}
	return automation.EvidenceIn(texts...)
}

// evidenceFile: GET /evidence/* serves a screenshot (image/png) or the
// trimmed page copy (as plain text, so the saved LinkedIn page never runs
// as Parley's) kept when LinkedIn pushed back on an account.
func (s *Server) evidenceFile(c echo.Context) error {
	rel := path.Clean("/" + c.Param("*"))[1:]
	ext := path.Ext(rel)
	if rel == "" || strings.HasPrefix(rel, ".") || (ext != ".png" && ext != ".html") {
		return model.Errorf(model.CodeNotFound, "there is no evidence file %q", c.Param("*"))
	}
	file := filepath.Join(s.o.Config.Paths.Evidence(), filepath.FromSlash(rel))
	if _, err := os.Stat(file); err != nil {
		return model.Errorf(model.CodeNotFound, "there is no evidence file %q (evidence is kept in the data folder's evidence/ until deleted)", rel)
	}
	if ext == ".html" {
		c.Response().Header().Set(echo.HeaderContentType, "text/plain; charset=utf-8")
		c.Response().Header().Set("Content-Security-Policy", "sandbox")
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, "text/plain; charset=utf-8", b)
	}
	return c.File(file)
}
