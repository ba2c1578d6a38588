package control

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"parley/app/backups"
	"parley/app/health"
	"parley/app/model"
	"parley/app/security"
	"parley/storage"
)

// ServerOptions configure NewServer.
type ServerOptions struct {
	Token    string
	Store    *storage.Store
	Backups  *backups.Service
	Security *security.Service
	// Import runs parley import in the instance (nil: not offered).
	Import func(ctx context.Context, req ImportRequest) (ImportResponse, error)
	// Runtime answers parley pause, resume and status (nil: not offered).
	Runtime Controller
	Logger  *slog.Logger
	// Instance returns what ping reports.
	Instance func() Instance
}

// Server answers control requests on a loopback listener.
type Server struct {
	o   ServerOptions
	mux *http.ServeMux
}

// NewServer builds the control server.
func NewServer(o ServerOptions) *Server {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{o: o, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /v1/ping", s.ping)
	s.mux.HandleFunc("POST /v1/backup", s.backup)
	s.mux.HandleFunc("GET /v1/health", s.health)
	s.mux.HandleFunc("POST /v1/admin/set-password", s.setPassword)
	s.mux.HandleFunc("POST /v1/admin/api-keys", s.createAPIKey)
	s.mux.HandleFunc("POST /v1/admin/unlock", s.unlock)
	if o.Import != nil {
		s.mux.HandleFunc("POST /v1/import", s.importFile)
	}
	if o.Runtime != nil {
		s.mux.HandleFunc("POST /v1/control/pause", s.pause)
		s.mux.HandleFunc("POST /v1/control/resume", s.resume)
		s.mux.HandleFunc("GET /v1/status", s.status)
	}
	return s
}

// Handler is the authenticated control API.
func (s *Server) Handler() http.Handler { return s.authenticate(s.mux) }

// Serve answers on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) authenticate(next http.Handler) http.Handler {
	want := []byte("Bearer " + s.o.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, _ := net.SplitHostPort(r.Host)
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			writeError(w, http.StatusForbidden, "the control channel only answers on a loopback address")
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			writeError(w, http.StatusUnauthorized, "missing or wrong control token")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		next.ServeHTTP(w, r)
	})
}

func (s *Server) ping(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.o.Instance())
}

// BackupRequest asks the running instance for a snapshot.
type BackupRequest struct {
	// Path is an absolute directory or file name; empty means backups/.
	Path string `json:"path"`
}

// BackupResponse reports the snapshot written.
type BackupResponse struct {
	Run    uint64 `json:"run"`
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

func decodeRequest(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "malformed request: "+err.Error())
		return false
	}
	return true
}

// cliMeta is the audit origin of CLI commands arriving over the channel.
func cliMeta(r *http.Request) security.Meta { return security.Meta{PeerIP: peer(r)} }

// SetPasswordRequest sets a user's password (parley admin set-password).
type SetPasswordRequest struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) {
	var req SetPasswordRequest
	if !decodeRequest(w, r, &req) {
		return
	}
	if err := s.o.Security.SetPassword(req.User, req.Password, model.ActorCLI, cliMeta(r)); err != nil {
		writeError(w, statusFor(err), model.PublicMessage(err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// APIKeyRequest creates an API key (parley admin create-api-key).
type APIKeyRequest struct {
	Name  string `json:"name"`
	Scope string `json:"scope"`
}

// APIKeyResponse carries the new key, shown once.
type APIKeyResponse struct {
	ID  uint64 `json:"id"`
	Key string `json:"key"`
}

func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) {
	var req APIKeyRequest
	if !decodeRequest(w, r, &req) {
		return
	}
	secret, key, err := s.o.Security.CreateAPIKey(req.Name, req.Scope, model.ActorCLI, cliMeta(r))
	if err != nil {
		writeError(w, statusFor(err), model.PublicMessage(err))
		return
	}
	writeJSON(w, http.StatusOK, APIKeyResponse{ID: key.ID, Key: secret})
}

// UnlockRequest clears a lockout (parley admin unlock).
type UnlockRequest struct {
	User string `json:"user"`
	IP   string `json:"ip"`
}

func (s *Server) unlock(w http.ResponseWriter, r *http.Request) {
	var req UnlockRequest
	if !decodeRequest(w, r, &req) {
		return
	}
	if err := s.o.Security.Unlock(req.User, req.IP, model.ActorCLI, cliMeta(r)); err != nil {
		writeError(w, statusFor(err), model.PublicMessage(err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// ImportRequest asks the instance to import a local CSV file.
type ImportRequest struct {
	Path       string `json:"path"`
	List       string `json:"list"`
	Duplicates string `json:"duplicates"`
}

// ImportResponse is the finished run and its first rejected rows.
type ImportResponse struct {
	Run     model.ImportRun      `json:"run"`
	Rejects []model.ImportReject `json:"rejects"`
}

func (s *Server) importFile(w http.ResponseWriter, r *http.Request) {
	var req ImportRequest
	if !decodeRequest(w, r, &req) {
		return
	}
	res, err := s.o.Import(r.Context(), req)
	if err != nil {
		writeError(w, statusFor(err), model.PublicMessage(err))
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	var req BackupRequest
	if !decodeRequest(w, r, &req) {
		return
	}
	run, err := s.o.Backups.Run(r.Context(), backups.Request{
		Trigger: model.TriggerCLI, Actor: model.ActorCLI, Dest: req.Path, PeerIP: peer(r),
	})
	if err != nil {
		s.o.Logger.Warn("control: backup failed", "error", err)
		writeError(w, statusFor(err), model.PublicMessage(err))
		return
	}
	writeJSON(w, http.StatusOK, BackupResponse{Run: run.ID, Path: run.Path, Size: run.Size, SHA256: run.SHA256})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	rep, err := health.Examine(s.o.Store)
	if err != nil {
		s.o.Logger.Error("control: health examination failed", "error", err)
		writeError(w, http.StatusInternalServerError, model.PublicMessage(err))
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func peer(r *http.Request) string {
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	return host
}

func statusFor(err error) int {
	switch model.ErrorCode(err) {
	case model.CodeInvalid:
		return http.StatusBadRequest
	case model.CodeConflict:
		return http.StatusConflict
	case model.CodeNotFound:
		return http.StatusNotFound
	case model.CodeUnavailable:
		return http.StatusServiceUnavailable
	case model.CodeForbidden, model.CodeUnauthorized:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

type errorBody struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: strings.TrimSpace(msg)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
