package control

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"

	"parley/app/model"
	"parley/app/runtime"
)

// Controller is what the control channel needs from the worker runtime
// (parley pause, resume and status).
type Controller interface {
	Pause(req runtime.PauseRequest, o model.Origin) (model.Pause, error)
	Resume(scope string, id uint64, o model.Origin) error
	Status() (runtime.Status, error)
}

// PauseRequest pauses a scope in the running instance (parley pause).
type PauseRequest struct {
	// Scope is global, account or campaign; ID names the account or
	// campaign.
	Scope string `json:"scope"`
	ID    uint64 `json:"id,omitempty"`
	// For is a Go duration ("2h"); empty pauses until resumed.
	For    string `json:"for,omitempty"`
	Reason string `json:"reason,omitempty"`
	// RequestID is the command's correlation id, kept in the audit record.
	RequestID string `json:"request_id,omitempty"`
}

// ResumeRequest lifts a pause in the running instance (parley resume).
type ResumeRequest struct {
	Scope     string `json:"scope"`
	ID        uint64 `json:"id,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// NewRequestID returns a fresh correlation id for one CLI command.
func NewRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// cliOrigin is who a control request acts as. The token proves the caller
// runs as the data directory's owner, so its correlation id is kept when it
// looks like one; otherwise the instance makes its own.
func cliOrigin(r *http.Request, requestID string) model.Origin {
	if !validRequestID(requestID) {
		requestID = NewRequestID()
	}
	return model.Origin{Actor: model.ActorCLI, AuthMethod: "cli", PeerIP: peer(r), RequestID: requestID}
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (s *Server) pause(w http.ResponseWriter, r *http.Request) {
	var req PauseRequest
	if !decodeRequest(w, r, &req) {
		return
	}
	var d time.Duration
	if req.For != "" {
		var err error
		if d, err = time.ParseDuration(req.For); err != nil || d <= 0 {
			writeError(w, http.StatusBadRequest, "for: use a duration such as 30m or 2h")
			return
		}
	}
	p, err := s.o.Runtime.Pause(runtime.PauseRequest{Scope: req.Scope, ID: req.ID, For: d, Reason: req.Reason}, cliOrigin(r, req.RequestID))
	if err != nil {
		s.refuse(w, "pause", err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) resume(w http.ResponseWriter, r *http.Request) {
	var req ResumeRequest
	if !decodeRequest(w, r, &req) {
		return
	}
	if err := s.o.Runtime.Resume(req.Scope, req.ID, cliOrigin(r, req.RequestID)); err != nil {
		s.refuse(w, "resume", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	st, err := s.o.Runtime.Status()
	if err != nil {
		s.refuse(w, "status", err)
		return
	}
	writeJSON(w, http.StatusOK, st)
}

// refuse answers with the error's public message; only internal errors
// are logged, the others are the caller's to read.
func (s *Server) refuse(w http.ResponseWriter, what string, err error) {
	if model.ErrorCode(err) == model.CodeInternal {
		s.o.Logger.Error("control: "+what+" failed", "error", err)
	}
	writeError(w, statusFor(err), model.PublicMessage(err))
}

// Pause pauses a scope in the running instance and returns the pause.
func (c *Client) Pause(ctx context.Context, req PauseRequest) (model.Pause, error) {
	var out model.Pause
	err := c.do(ctx, http.MethodPost, "/v1/control/pause", req, &out)
	return out, err
}

// Resume lifts a pause in the running instance.
func (c *Client) Resume(ctx context.Context, req ResumeRequest) error {
	var out map[string]bool
	return c.do(ctx, http.MethodPost, "/v1/control/resume", req, &out)
}

// Status returns the running instance's runtime status.
func (c *Client) Status(ctx context.Context) (runtime.Status, error) {
	var out runtime.Status
	err := c.do(ctx, http.MethodGet, "/v1/status", nil, &out)
	return out, err
}
