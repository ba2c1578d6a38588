// Package web is Parley's HTTP edge: one echo router for the HTML
// dashboard, /healthz and /api/v1. Every response passes the IP and Host
// checks and carries the security headers; every route declares the
// permission it needs; cookie-authenticated changes need the session's
// CSRF token; one error handler answers every failure.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/accounts"
	"parley/app/backups"
	"parley/app/campaigns"
	"parley/app/config"
	"parley/app/integrity"
	"parley/app/live"
	"parley/app/model"
	"parley/app/runtime"
	"parley/app/security"
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
	Security  *security.Service
	Accounts  *accounts.Service
	Campaigns *campaigns.Service
	Imports   *campaigns.Runner
	Runtime   *runtime.Runtime
	// LinkedIn signs accounts in and out of LinkedIn (nil: no browser).
	LinkedIn  LinkedInSessions
	Hub       *live.Hub
	Logger    *slog.Logger
	Clock     model.Clock
	Config    config.Config
	Version   string
	StartedAt time.Time
	// ListenHost is the host Parley is bound to; it is accepted in the
	// Host header alongside the loopback names and PARLEY_ALLOWED_HOSTS.
	ListenHost string
}

// Server is the dashboard's HTTP server.
type Server struct {
	o        Options
	e        *echo.Echo
	assets   *assets.Set
	hosts    map[string]bool
	log      *slog.Logger
	sessions *security.SessionStore
	cookie   string
	ips      *security.IPPolicy
	limits   map[class]*security.Limiter
	// closing is closed when shutdown starts, ending event streams.
	closing chan struct{}
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
	tls := o.Config.TLS()
	s := &Server{
		o: o, assets: set, log: o.Logger, hosts: allowedHosts(o.ListenHost, o.Config.AllowedHosts),
		sessions: security.NewSessionStore(o.Security, tls), cookie: security.CookieName(tls),
		ips: security.NewIPPolicy(o.Config.TrustedIPs), limits: newLimits(o.Clock), closing: make(chan struct{}),
	}
	s.e = s.router()
	return s, nil
}

// Handler is the complete HTTP handler (for tests and the server).
func (s *Server) Handler() http.Handler { return s.e }

// Echo exposes the router (tests walk its routes).
func (s *Server) Echo() *echo.Echo { return s.e }

// Serve answers on ln until ctx ends, then shuts down gracefully within
// timeout: event streams end at once, in-flight requests may finish.
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
	close(s.closing)
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

func allowedHosts(listenHost string, extra []string) map[string]bool {
	h := map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}
	if listenHost != "" && listenHost != "0.0.0.0" && listenHost != "::" {
		h[listenHost] = true
	}
	for _, name := range extra {
		h[name] = true
	}
	return h
}
