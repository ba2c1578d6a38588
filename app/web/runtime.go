package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/app/runtime"
	"parley/storage"
)

// runtimeRoutes are the pages and API of the job runtime: controls,
// dead letters, incidents, account health and the runtime settings.
func (s *Server) runtimeRoutes() []route {
	get, post, put := http.MethodGet, http.MethodPost, http.MethodPut
	return []route{
		{get, "/dashboard/runtime", PermSession, classNone, s.runtimeFragment},
		{post, "/control/pause", PermSession, classControl, s.pauseForm},
		{post, "/control/resume", PermSession, classControl, s.resumeForm},
		{post, "/control/quarantine", PermSession, classControl, s.quarantineForm},
		{post, "/control/unquarantine", PermSession, classControl, s.unquarantineForm},
		{get, "/jobs", PermSession, classNone, s.jobsPage},
		{get, "/jobs/dead", PermSession, classNone, s.deadLettersPage},
		{get, "/jobs/:id", PermSession, classNone, s.jobPage},
		{post, "/jobs/:id/retry", PermSession, classControl, s.retryJobForm},
		{post, "/jobs/:id/cancel", PermSession, classControl, s.cancelJobForm},
		{get, "/incidents", PermSession, classNone, s.incidentsPage},
		{get, "/incidents/:id", PermSession, classNone, s.incidentPage},
		{post, "/incidents/:id/acknowledge", PermSession, classControl, s.acknowledgeIncidentForm},
		{post, "/incidents/:id/resolve", PermSession, classControl, s.resolveIncidentForm},
		{get, "/accounts/:id/health", PermSession, classNone, s.healthPage},
		{get, "/settings/runtime", PermSession, classNone, s.runtimeSettingsPage},
		{post, "/settings/runtime", PermSession, classControl, s.saveRuntimeSettings},

		{post, "/api/v1/control/pause", PermAPIControl, classControl, s.apiPause},
		{post, "/api/v1/control/resume", PermAPIControl, classControl, s.apiResume},
		{post, "/api/v1/control/quarantine", PermAPIControl, classControl, s.apiQuarantine},
		{post, "/api/v1/control/unquarantine", PermAPIControl, classControl, s.apiUnquarantine},
		{get, "/api/v1/jobs", PermAPIRead, classAPI, s.apiJobs},
		{get, "/api/v1/jobs/dead", PermAPIRead, classAPI, s.apiDeadLetters},
		{get, "/api/v1/jobs/:id", PermAPIRead, classAPI, s.apiJob},
		{post, "/api/v1/jobs/:id/retry", PermAPIControl, classControl, s.apiRetryJob},
		{post, "/api/v1/jobs/:id/cancel", PermAPIControl, classControl, s.apiCancelJob},
		{get, "/api/v1/incidents", PermAPIRead, classAPI, s.apiIncidents},
		{get, "/api/v1/incidents/:id", PermAPIRead, classAPI, s.apiIncident},
		{post, "/api/v1/incidents/:id/acknowledge", PermAPIControl, classControl, s.apiAcknowledgeIncident},
		{post, "/api/v1/incidents/:id/resolve", PermAPIControl, classControl, s.apiResolveIncident},
		{get, "/api/v1/accounts/:id/health", PermAPIRead, classAPI, s.apiHealth},
		{get, "/api/v1/runtime/settings", PermAPIRead, classAPI, s.apiRuntimeSettings},
		{put, "/api/v1/runtime/settings", PermAPIControl, classControl, s.apiSaveRuntimeSettings},
	}
}

// rt returns the runtime, or a 503 when this server runs without one.
func (s *Server) rt() (*runtime.Runtime, error) {
	if s.o.Runtime == nil {
		return nil, model.Errorf(model.CodeUnavailable, "the job runtime is not running in this Parley")
	}
	return s.o.Runtime, nil
}

// maxReason bounds free-text reasons and notes kept in records.
const maxReason = 500

// pauseInput is a pause or resume request as sent by a form or a script.
type pauseInput struct {
	Scope  string `json:"scope"`
	ID     uint64 `json:"id"`
	For    string `json:"for"`
	Reason string `json:"reason"`
}

// request checks the input before anything changes and builds the
// runtime's request.
func (in pauseInput) request() (runtime.PauseRequest, error) {
	scope := strings.ToLower(strings.TrimSpace(in.Scope))
	switch scope {
	case model.ScopeGlobal:
		if in.ID != 0 {
			return runtime.PauseRequest{}, model.Errorf(model.CodeInvalid, "a global pause takes no id; leave id out or use the scope account or campaign")
		}
	case model.ScopeAccount, model.ScopeCampaign:
		if in.ID == 0 {
			return runtime.PauseRequest{}, model.Errorf(model.CodeInvalid, "say which %s: send its id", scope)
		}
	case "":
		return runtime.PauseRequest{}, model.Errorf(model.CodeInvalid, "scope is required: global, account or campaign")
	default:
		return runtime.PauseRequest{}, model.Errorf(model.CodeInvalid, "%q is not a scope; use global, account or campaign", truncate(in.Scope, 20))
	}
	d, err := parseFor(in.For)
	if err != nil {
		return runtime.PauseRequest{}, err
	}
	reason, err := reasonText(in.Reason, "reason")
	if err != nil {
		return runtime.PauseRequest{}, err
	}
	return runtime.PauseRequest{Scope: scope, ID: in.ID, For: d, Reason: reason}, nil
}

// parseFor reads a pause duration: "" (until resumed), a Go duration such
// as 90m or 2h30m, or whole days such as 3d.
func parseFor(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	bad := model.Errorf(model.CodeInvalid, "for must be a duration such as 30m, 2h or 3d (up to 30 days), not %q", truncate(s, 20))
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n > 30 {
			return 0, bad
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, bad
		}
	}
	if d <= 0 {
		return 0, bad
	}
	return d, nil
}

// reasonText trims a free-text field and bounds its length.
func reasonText(s, what string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxReason {
		return "", model.Errorf(model.CodeInvalid, "the %s is too long (at most %d characters)", what, maxReason)
	}
	return s, nil
}

// formID reads an id form field; empty is 0.
func formID(c echo.Context, name string) (uint64, error) {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return 0, nil
	}
	return parseUint(v, name)
}

func parseUint(v, name string) (uint64, error) {
	id, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, model.Errorf(model.CodeInvalid, "%s must be a number, not %q", name, truncate(v, 20))
	}
	return id, nil
}

// queryInt reads an optional whole-number query parameter within bounds.
func queryInt(c echo.Context, name string, def, lo, hi int) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, model.Errorf(model.CodeInvalid, "%s must be a whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}

// runtimeCounts are the open incidents and dead letters shown beside the
// navigation (cheap reads, not the whole status).
func (s *Server) runtimeCounts() (incidents, dead int) {
	s.o.Store.View(func(tx *storage.Tx) error {
		open, err := tx.OpenIncidents()
		incidents, dead = len(open), tx.DeadJobCount()
		return err
	})
	return incidents, dead
}
