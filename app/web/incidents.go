package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/storage"
	"parley/views/pages"
)

// recentIncidents is how many incidents the pages and the API list.
const recentIncidents = 50

// incidentLists reads the open incidents (all of them, oldest first) and
// the most recent ones (newest first).
func (s *Server) incidentLists(limit int) (open, recent []model.Incident, err error) {
	rt, err := s.rt()
	if err != nil {
		return nil, nil, err
	}
	if recent, err = rt.Incidents(limit); err != nil {
		return nil, nil, err
	}
	err = s.o.Store.View(func(tx *storage.Tx) (err error) {
		open, err = tx.OpenIncidents()
		return err
	})
	return open, recent, err
}

// incidentsPage: GET /incidents
func (s *Server) incidentsPage(c echo.Context) error {
	open, recent, err := s.incidentLists(recentIncidents)
	if err != nil {
		return err
	}
	v := pages.IncidentsView{Now: s.o.Clock.Now()}
	err = s.o.Store.View(func(tx *storage.Tx) error {
		for _, in := range open {
			v.Open = append(v.Open, incidentRow(tx, in))
		}
		for _, in := range recent {
			if in.State == model.IncidentResolved {
				v.Resolved = append(v.Resolved, incidentRow(tx, in))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, pages.Incidents(s.layout(c, "Incidents", "incidents"), v))
}

// incidentPage: GET /incidents/:id
func (s *Server) incidentPage(c echo.Context) error {
	v := pages.IncidentView{}
	switch c.QueryParam("done") {
	case model.IncidentAcknowledged:
		v.Flash = &pages.Flash{Kind: "ok", Text: "Acknowledged: the timeline says you are on it."}
	case model.IncidentResolved:
		v.Flash = &pages.Flash{Kind: "ok", Text: "Resolved. The note is in the timeline and the audit trail."}
	}
	return s.renderIncident(c, http.StatusOK, v)
}

func (s *Server) renderIncident(c echo.Context, status int, v pages.IncidentView) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	id, err := pathID(c, "incident")
	if err != nil {
		return err
	}
	in, err := rt.Incident(id)
	if err != nil {
		return err
	}
	s.o.Store.View(func(tx *storage.Tx) error { v.Incident = incidentRow(tx, in); return nil })
	return s.render(c, status, pages.Incident(s.layout(c, fmt.Sprintf("Incident %d", id), "incidents"), v))
}

// acknowledgeIncidentForm: POST /incidents/:id/acknowledge (note optional).
func (s *Server) acknowledgeIncidentForm(c echo.Context) error {
	return s.incidentForm(c, model.IncidentAcknowledged)
}

// resolveIncidentForm: POST /incidents/:id/resolve (note required).
func (s *Server) resolveIncidentForm(c echo.Context) error {
	return s.incidentForm(c, model.IncidentResolved)
}

// incidentForm moves an incident; a refusal (no note, already resolved)
// shows the incident again with why, keeping the note as typed.
func (s *Server) incidentForm(c echo.Context, to string) error {
	if _, err := s.rt(); err != nil {
		return err
	}
	id, err := pathID(c, "incident")
	if err != nil {
		return err
	}
	note, err := reasonText(c.FormValue("note"), "note")
	if err == nil {
		_, err = s.moveIncident(id, to, note, s.originOf(c))
	}
	if err != nil {
		if status := s.statusOf(err); status < 500 && status != http.StatusNotFound {
			v := pages.IncidentView{Error: capitalise(model.PublicMessage(err)) + "."}
			if to == model.IncidentResolved {
				v.Note = truncate(c.FormValue("note"), 2000)
			}
			return s.renderIncident(c, status, v)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/incidents/%d?done=%s", id, to))
}

func (s *Server) moveIncident(id uint64, to, note string, o model.Origin) (model.Incident, error) {
	if to == model.IncidentResolved {
		return s.o.Runtime.ResolveIncident(id, note, o)
	}
	return s.o.Runtime.AcknowledgeIncident(id, note, o)
}

// apiIncidents: GET /api/v1/incidents[?limit=] → {"open":[…],"recent":[…]}
func (s *Server) apiIncidents(c echo.Context) error {
	limit, err := queryInt(c, "limit", recentIncidents, 1, 500)
	if err != nil {
		return err
	}
	open, recent, err := s.incidentLists(limit)
	if err != nil {
		return err
	}
	if open == nil {
		open = []model.Incident{}
	}
	if recent == nil {
		recent = []model.Incident{}
	}
	return c.JSON(http.StatusOK, map[string]any{"open": open, "recent": recent})
}

// apiIncident: GET /api/v1/incidents/:id
func (s *Server) apiIncident(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	id, err := pathID(c, "incident")
	if err != nil {
		return err
	}
	in, err := rt.Incident(id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, in)
}

// apiAcknowledgeIncident: POST /api/v1/incidents/:id/acknowledge
// [{"note"}] → the incident.
func (s *Server) apiAcknowledgeIncident(c echo.Context) error {
	return s.apiMoveIncident(c, model.IncidentAcknowledged)
}

// apiResolveIncident: POST /api/v1/incidents/:id/resolve {"note"} → the
// incident. The note is required.
func (s *Server) apiResolveIncident(c echo.Context) error {
	return s.apiMoveIncident(c, model.IncidentResolved)
}

func (s *Server) apiMoveIncident(c echo.Context, to string) error {
	if _, err := s.rt(); err != nil {
		return err
	}
	id, err := pathID(c, "incident")
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	// The body may be left out; resolving then fails for want of a note.
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	note, err := reasonText(in.Note, "note")
	if err != nil {
		return err
	}
	inc, err := s.moveIncident(id, to, note, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, inc)
}
