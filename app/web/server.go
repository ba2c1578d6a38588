// Package web is Parley's HTTP edge: one echo router for the HTML
// dashboard, /healthz and (later) /api/v1, with security headers, Host
// checks, correlation ids and one error handler on every response.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/backups"
	"parley/app/config"
	"parley/app/integrity"
	"parley/app/model"
	"parley/assets"
	"parley/storage"
)

// BackupService is what the web edge needs from backups.
type BackupService interface {
	Run(ctx context.Context, req backups.Request) (model.BackupRun, error)
	Status() (backups.Status, error)
}

// Options configure New.
type Options struct {
	Store     *storage.Store
	Backups   BackupService
	Integrity func() integrity.Result
	Logger    *slog.Logger
	Clock     model.Clock
	Config    config.Config
	Version   string
	StartedAt time.Time
	// ListenHost is the host Parley is bound to; it is accepted in the
	// Host header alongside the loopback names.
	ListenHost string
}

// Server is the dashboard's HTTP server.
type Server struct {
	o      Options
	e      *echo.Echo
	assets *assets.Set
	hosts  map[string]bool
	log    *slog.Logger
}

// New builds the router. It fails only if the embedded assets are broken.
func New(o Options) (*Server, error) {
	set, err := assets.Load()
	if err != nil {
		return nil, err
	}
	if o.Clock == nil {
		o.Clock = model.SystemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{o: o, assets: set, log: o.Logger, hosts: allowedHosts(o.ListenHost)}
	s.e = s.router()
	return s, nil
}

// Handler is the complete HTTP handler (for tests and the server).
func (s *Server) Handler() http.Handler { return s.e }

// Echo exposes the router (tests walk its routes).
func (s *Server) Echo() *echo.Echo { return s.e }

// Serve answers on ln until ctx ends, then shuts down gracefully within
// timeout: new connections stop at once, in-flight requests may finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener, timeout time.Duration) error {
	srv := &http.Server{
		Handler:           s.e,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		s.log.Warn("http: graceful shutdown timed out, closing connections", "error", err)
		srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func allowedHosts(listenHost string) map[string]bool {
	h := map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	if listenHost != "" {
		h[listenHost] = true
	}
	return h
}
