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
	"parley/storage"
)

// ServerOptions configure NewServer.
type ServerOptions struct {
	Token   string
	Store   *storage.Store
	Backups *backups.Service
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

func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	var req BackupRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "malformed request: "+err.Error())
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
