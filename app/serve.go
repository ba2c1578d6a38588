package app

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"parley/app/accounts"
	"parley/app/backups"
	"parley/app/campaigns"
	"parley/app/cli"
	"parley/app/config"
	"parley/app/control"
	"parley/app/desktop"
	"parley/app/integrity"
	"parley/app/live"
	"parley/app/logging"
	"parley/app/model"
	"parley/app/runtime"
	"parley/app/security"
	"parley/app/web"
	"parley/automation"
	"parley/automation/browser"
	"parley/automation/linkedin"
	"parley/automation/selectors"
	"parley/storage"
)

// serve runs Parley until ctx ends (SIGINT/SIGTERM).
// runtimeTuning changes the runtime's pace (the demo checks acceptances
// and the inbox every few seconds); zero values keep the defaults.
type runtimeTuning struct {
	AcceptEvery, InboxEvery time.Duration
}

func serve(ctx context.Context, env Env, cfg config.Config, tune runtimeTuning) (err error) {
	clock := model.SystemClock{}
	started := clock.Now()
	redactor := logging.NewRedactor(cfg.Secrets()...)
	log, logCloser, err := logging.New(logging.Options{
		// The terminal shows warnings and errors; the file keeps everything
		// at PARLEY_LOG_LEVEL.
		Level: cfg.LogLevel, Stderr: env.Stderr, StderrJSON: cfg.LogFormat == "json", StderrLevel: slog.LevelWarn,
		File: cfg.Paths.LogFile(), MaxMB: cfg.LogMaxMB, MaxFiles: cfg.LogMaxFiles, Redactor: redactor,
	})
	if err != nil {
		return fmt.Errorf("cannot open the log in %s: %v", cfg.Paths.Logs(), err)
	}
	defer logCloser.Close()
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}
	openBrowser := env.OpenBrowser
	if openBrowser == nil {
		openBrowser = desktop.OpenBrowser
	}

	store, err := storage.Open(storage.Options{
		Path: cfg.Paths.DB(), Clock: clock, Logger: log,
		SnapshotDir: cfg.Paths.Backups(), AppVersion: env.Version,
	})
	if errors.Is(err, storage.ErrLocked) {
		return handOff(ctx, env, cfg, openBrowser)
	}
	if err != nil {
		return explainOpenError(cfg, err)
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	ln, err := desktop.Listen(cfg.Addr, !cfg.AddrExplicit)
	if err != nil {
		return err
	}
	if ln.Addr().String() != cfg.Addr && !cfg.AddrExplicit {
		log.Warn("the default address is in use; listening on a free port instead", "wanted", cfg.Addr, "got", ln.Addr().String())
	}
	ctlLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ln.Close()
		return fmt.Errorf("cannot open the local control channel: %v", err)
	}
	// Until the services own the listeners, a failed step closes them.
	serving := false
	defer func() {
		if !serving {
			ln.Close()
			ctlLn.Close()
		}
	}()
	token, err := control.NewToken(cfg.Paths)
	if err != nil {
		return err
	}
	redactor.Add(token)

	scheme := "http"
	if cfg.TLS() {
		tlsCfg, err := security.TLSConfig(cfg.TLSCert, cfg.TLSKey, cfg.Paths.TLS(), certHosts(cfg, ln), clock.Now())
		if err != nil {
			return err
		}
		ln = tls.NewListener(ln, tlsCfg)
		scheme = "https"
	}
	url := scheme + "://" + dialAddr(ln.Addr().String())
	inst := control.Instance{
		PID: os.Getpid(), URL: url, ControlURL: "http://" + ctlLn.Addr().String(),
		Version: env.Version, StartedAt: started,
	}

	// The LinkedIn driver runs when a browser is found; without one the
	// runtime still plans and queues work, and every account says it is
	// waiting for a browser (Settings → Browser says how to get one).
	drv, pool := linkedInSite(cfg, clock, log)
	var site automation.Site // nil without a browser: accounts wait for one
	if pool != nil {
		site = drv
		defer pool.Close() // after the runtime has stopped: it saves every session
	}
	rt := runtime.New(runtime.Options{
		Store: store, Site: site, Clock: clock, Logger: log.With("service", "runtime"),
		MaxJobsPerRun: cfg.AccountMaxJobsPerRun, Concurrency: cfg.RuntimeConcurrency,
		AcceptEvery: tune.AcceptEvery, InboxEvery: tune.InboxEvery, EvidenceDir: cfg.Paths.Evidence(),
		SignedIn: func(id uint64) bool {
			_, err := os.Stat(browser.StateFile(cfg.Paths.BrowserProfiles(), id))
			return err == nil
		},
	})
	bk, err := backups.New(backups.Options{
		Store: store, Paths: cfg.Paths, Clock: clock, Logger: log.With("service", "backups"),
		Interval: cfg.BackupInterval, Keep: cfg.BackupKeep,
		OnFailure: func(run model.BackupRun) {
			if err := rt.BackupFailed(run.Error); err != nil {
				log.Error("cannot open an incident for a failed backup", "error", err)
			}
		},
	})
	if err != nil {
		return err
	}
	sec := security.New(security.Options{
		Store: store, Clock: clock, Logger: log.With("service", "security"),
		IdleTimeout: cfg.SessionIdle, AbsoluteTimeout: cfg.SessionMaxAge,
		OnLock: func(target string) {
			if err := rt.AuthAnomaly("sign-in locked for " + target); err != nil {
				log.Error("cannot record an authentication anomaly", "error", err)
			}
		},
	})
	setupCode, err := sec.EnsureOwner(security.Meta{})
	if err != nil {
		return err
	}
	var sessions web.LinkedInSessions
	if pool != nil {
		ls := &linkedInSessions{ctx: ctx, pool: pool, driver: drv, rt: rt, store: store, dir: cfg.Paths.BrowserProfiles(),
			log: log.With("service", "linkedin"), signing: map[uint64]bool{}}
		if err := ls.showWindows(); err != nil {
			return err
		}
		sessions = ls
	}
	hub := live.New(store, log.With("service", "live"))
	leads := campaigns.New(store).WithEvidence(cfg.Paths.Evidence(), log.With("service", "leads"))
	if err := leads.RecoverImports(); err != nil {
		return err
	}
	imports := campaigns.NewRunner(leads, cfg.Paths.Imports(), log.With("service", "imports"))
	checker := &integrity.Checker{Store: store, Clock: clock, Logger: log.With("service", "integrity"), Delay: 5 * time.Second}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	webSrv, err := web.New(web.Options{
		Store: store, Backups: bk, Integrity: checker.Result, Security: sec, Accounts: accounts.New(store), Campaigns: leads, Imports: imports, Runtime: rt, LinkedIn: sessions, Hub: hub, Logger: log.With("service", "http"), Clock: clock,
		Config: cfg, Version: env.Version, StartedAt: started, ListenHost: host,
	})
	if err != nil {
		return err
	}
	ctl := control.NewServer(control.ServerOptions{
		Token: token, Store: store, Backups: bk, Security: sec, Runtime: rt, Logger: log.With("service", "control"),
		Import: func(ctx context.Context, req control.ImportRequest) (control.ImportResponse, error) {
			run, rejects, err := cli.ImportFile(ctx, leads, req.Path, cli.ImportArgs{List: req.List, Duplicates: req.Duplicates},
				model.Origin{Actor: model.ActorCLI, AuthMethod: "cli", PeerIP: "127.0.0.1"})
			return control.ImportResponse{Run: run, Rejects: rejects}, err
		},
		Instance: func() control.Instance { return inst },
	})

	if err := recordStart(store, inst); err != nil {
		return err
	}
	if err := control.WriteInstance(cfg.Paths, inst); err != nil {
		return err
	}
	defer control.RemoveInstance(cfg.Paths, inst.PID)
	defer os.Remove(cfg.Paths.ControlToken())

	log.Info("Parley started", "url", url, "data_dir", cfg.Paths.Root, "version", env.Version, "startup", time.Since(started))
	fmt.Fprintf(env.Stdout, "Parley is running at %s\n", url)
	open := url
	if setupCode != "" {
		// First run: no default credentials. The link is printed, never
		// logged; it works once, for 15 minutes.
		open = url + "/setup?code=" + setupCode
		fmt.Fprintf(env.Stdout, "First run: choose the owner's password at %s (one-time link, valid 15 minutes; or run: parley admin set-password --user admin --password-stdin)\n", open)
	}
	if !cfg.NoBrowser {
		if err := openBrowser(open); err != nil {
			log.Warn("could not open the browser; open the address by hand", "url", url, "error", err)
		}
	}

	serving = true
	// Start order is deepest first; runServices stops in reverse, so HTTP
	// stops accepting first and the backup scheduler last. The store is
	// closed after all of them (deferred above).
	err = runServices(ctx, log, []service{
		{"backups", bk.Serve},
		{"integrity", checker.Serve},
		{"sessions", sec.Serve},
		{"imports", imports.Serve},
		{"retention", func(ctx context.Context) error {
			return leads.ServeRetention(ctx, clock, log.With("service", "retention"))
		}},
		{"runtime", rt.Serve},
		{"live", hub.Serve},
		{"control", func(ctx context.Context) error { return ctl.Serve(ctx, ctlLn) }},
		{"http", func(ctx context.Context) error { return webSrv.Serve(ctx, ln, cfg.ShutdownTimeout) }},
	})
	log.Info("Parley stopped")
	return err
}

// handOff is the second launch: another Parley holds the database, so
// open the browser on it and exit successfully.
// linkedInSite is the LinkedIn driver on a pool of browser sessions, or
// no site (nil, nil) when no browser can be found.
func linkedInSite(cfg config.Config, clock model.Clock, log *slog.Logger) (*linkedin.Driver, *browser.Pool) {
	getenv := func(k string) string {
		if k == automation.BrowserEnv && cfg.BrowserPath != "" {
			return cfg.BrowserPath
		}
		return os.Getenv(k)
	}
	b, err := automation.FindBrowser(getenv)
	if err != nil {
		log.Warn("LinkedIn automation waits for a browser", "problem", err)
		return nil, nil
	}
	pool, err := browser.Open(browser.Options{Dir: cfg.Paths.BrowserProfiles(), Browser: b, Logger: log.With("service", "browser")})
	if err != nil {
		log.Warn("LinkedIn automation waits for a browser", "problem", err)
		return nil, nil
	}
	pack, src, err := selectors.Load(cfg.Paths.Root)
	if err != nil {
		log.Error("the selector pack cannot be loaded", "error", err)
		pool.Close()
		return nil, nil
	}
	if src.Warning != "" {
		log.Warn(src.Warning)
	}
	drv, err := linkedin.New(linkedin.Options{BaseURL: cfg.LinkedInBaseURL, Contexts: pool, Pack: pack,
		EvidenceDir: cfg.Paths.Evidence(), Clock: clock, Logger: log.With("service", "linkedin")})
	if err != nil {
		log.Error("the LinkedIn driver cannot start", "error", err)
		pool.Close()
		return nil, nil
	}
	return drv, pool
}

func handOff(ctx context.Context, env Env, cfg config.Config, openBrowser func(string) error) error {
	var client *control.Client
	var err error
	// The other instance may still be starting; give it a moment to publish
	// its address.
	for range 20 {
		if client, err = control.Connect(ctx, cfg.Paths); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(150 * time.Millisecond):
		}
	}
	if client == nil {
		return fmt.Errorf("%s is in use by another program, and no running Parley answers for %s; close the other program or use another --data-dir", cfg.Paths.DB(), cfg.Paths.Root)
	}
	fmt.Fprintf(env.Stdout, "Parley is already running at %s\n", client.Instance.URL)
	if !cfg.NoBrowser {
		if err := openBrowser(client.Instance.URL); err != nil {
			fmt.Fprintf(env.Stdout, "Open %s in your browser.\n", client.Instance.URL)
		}
	}
	return nil
}

// explainOpenError turns a refused database into one actionable line.
func explainOpenError(cfg config.Config, err error) error {
	var ce *storage.CorruptError
	if errors.As(err, &ce) {
		msg := fmt.Sprintf("%s is damaged (%s)", cfg.Paths.DB(), ce.Reason)
		if good, ok := backups.NewestGood(cfg.Paths); ok {
			return fmt.Errorf("%s; the newest good snapshot is %s: restore it with: parley --data-dir %q --restore %q", msg, good, cfg.Paths.Root, good)
		}
		return fmt.Errorf("%s, and no snapshot with a matching checksum was found in %s; move the file aside to start afresh, or restore a copy with parley --restore FILE", msg, cfg.Paths.Backups())
	}
	var se *storage.SchemaError
	if errors.As(err, &se) {
		return err
	}
	return fmt.Errorf("cannot open the database: %v", err)
}

func recordStart(store *storage.Store, inst control.Instance) error {
	data, _ := json.Marshal(map[string]any{"version": inst.Version, "url": inst.URL, "pid": inst.PID})
	return store.Update(func(tx *storage.Tx) error {
		_, err := tx.AppendEvent(model.Event{Type: model.EventAppStarted, Data: data})
		return err
	})
}

// certHosts are the names a self-signed certificate must cover.
func certHosts(cfg config.Config, ln net.Listener) []string {
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if host, _, err := net.SplitHostPort(ln.Addr().String()); err == nil && host != "0.0.0.0" && host != "::" {
		hosts = append(hosts, host)
	}
	return append(hosts, cfg.AllowedHosts...)
}

// dialAddr turns a listen address into one a browser can open: a
// wildcard bind is reached through localhost.
func dialAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return net.JoinHostPort("localhost", port)
	}
	return addr
}
