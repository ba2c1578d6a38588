package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"parley/app/control"
	"parley/app/model"
	"parley/app/runtime"
	"parley/storage"
)

// ControlArgs are the options of parley pause, resume and status.
type ControlArgs struct {
	// Account or Campaign names the scope; neither means every account.
	Account  uint64
	Campaign uint64
	// For ends the pause by itself after a while (0: until resumed).
	For    time.Duration
	Reason string
	// JSON prints the status as runtime.Status JSON.
	JSON bool
}

// scope is the pause scope the arguments name.
func (a ControlArgs) scope() (string, uint64, error) {
	switch {
	case a.Account != 0 && a.Campaign != 0:
		return "", 0, errors.New("use --account or --campaign, not both")
	case a.Account != 0:
		return model.ScopeAccount, a.Account, nil
	case a.Campaign != 0:
		return model.ScopeCampaign, a.Campaign, nil
	}
	return model.ScopeGlobal, 0, nil
}

// controls are the runtime's controls, in this process or in the running
// instance.
type controls interface {
	Pause(ctx context.Context, req runtime.PauseRequest, o model.Origin) (model.Pause, error)
	Resume(ctx context.Context, scope string, id uint64, o model.Origin) error
	Status(ctx context.Context) (runtime.Status, error)
}

// Pause runs parley pause: through the running instance when there is one,
// else on the database directly. The runtime audits it as actor "cli".
func Pause(ctx context.Context, c Context, a ControlArgs) error {
	scope, id, err := a.scope()
	if err != nil {
		return err
	}
	if a.For < 0 {
		return errors.New("--for: use a duration such as 30m or 2h")
	}
	o := cliOrigin()
	return withControls(ctx, c, func(ctl controls, running bool) error {
		p, err := ctl.Pause(ctx, runtime.PauseRequest{Scope: scope, ID: id, For: a.For, Reason: a.Reason}, o)
		if err != nil {
			return err
		}
		c.Logger.Info("paused from the command line", "scope", scope, "id", id, "until", p.Until, "request_id", o.RequestID)
		msg := "Paused " + scopeName(scope, id)
		if p.Until.IsZero() {
			msg += " until resumed (parley resume" + scopeFlag(scope, id) + ")."
		} else {
			msg += " until " + p.Until.UTC().Format("Mon 2 Jan 15:04 UTC") + "."
		}
		fmt.Fprintln(c.Stdout, msg)
		if !running {
			fmt.Fprintln(c.Stdout, "Parley is not running; the pause holds when it starts.")
		}
		return nil
	})
}

// Resume runs parley resume, like Pause.
func Resume(ctx context.Context, c Context, a ControlArgs) error {
	scope, id, err := a.scope()
	if err != nil {
		return err
	}
	o := cliOrigin()
	return withControls(ctx, c, func(ctl controls, running bool) error {
		if err := ctl.Resume(ctx, scope, id, o); err != nil {
			return err
		}
		c.Logger.Info("resumed from the command line", "scope", scope, "id", id, "request_id", o.RequestID)
		fmt.Fprintf(c.Stdout, "Resumed %s.\n", scopeName(scope, id))
		return nil
	})
}

// Status runs parley status: every account's state or why it is idle, the
// pauses, open incidents and dead letters; with JSON, the runtime.Status
// document scripts read.
func Status(ctx context.Context, c Context, a ControlArgs) error {
	return withControls(ctx, c, func(ctl controls, running bool) error {
		st, err := ctl.Status(ctx)
		if err != nil {
			return err
		}
		if a.JSON {
			// Scripts iterate over these: an empty list, never null.
			if st.Accounts == nil {
				st.Accounts = []runtime.AccountStatus{}
			}
			if st.Incidents == nil {
				st.Incidents = []model.Incident{}
			}
			enc := json.NewEncoder(c.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(st)
		}
		printStatus(c.Stdout, st, running)
		return nil
	})
}

// withControls runs fn against the running instance when it holds the
// database, else against a runtime on the database opened here.
func withControls(ctx context.Context, c Context, fn func(ctl controls, running bool) error) error {
	p := c.Config.Paths
	if _, err := os.Stat(p.DB()); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("there is no database at %s yet; start Parley once, or pass the right --data-dir", p.DB())
	}
	store, err := storage.Open(storage.Options{Path: p.DB(), Logger: c.Logger, SnapshotDir: p.Backups(), AppVersion: c.Version})
	if errors.Is(err, storage.ErrLocked) {
		client, cerr := control.Connect(ctx, p)
		if cerr != nil {
			return fmt.Errorf("the database is in use by another process and no running Parley answers for %s", p.Root)
		}
		return fn(remoteControls{client}, true)
	}
	if err != nil {
		return fmt.Errorf("cannot open the database: %v", err)
	}
	defer store.Close()
	// No Site: this runtime never runs a job, it only reads and changes
	// the controls.
	rt := runtime.New(runtime.Options{Store: store, Logger: c.Logger.With("service", "runtime")})
	return fn(localControls{rt}, false)
}

// cliOrigin is the audit origin of one command, with its own correlation id.
func cliOrigin() model.Origin {
	return model.Origin{Actor: model.ActorCLI, AuthMethod: "cli", PeerIP: "127.0.0.1", RequestID: control.NewRequestID()}
}

type localControls struct{ rt *runtime.Runtime }

func (l localControls) Pause(_ context.Context, req runtime.PauseRequest, o model.Origin) (model.Pause, error) {
	p, err := l.rt.Pause(req, o)
	return p, publicError(err)
}

func (l localControls) Resume(_ context.Context, scope string, id uint64, o model.Origin) error {
	return publicError(l.rt.Resume(scope, id, o))
}

func (l localControls) Status(context.Context) (runtime.Status, error) {
	st, err := l.rt.Status()
	return st, publicError(err)
}

type remoteControls struct{ c *control.Client }

func (r remoteControls) Pause(ctx context.Context, req runtime.PauseRequest, o model.Origin) (model.Pause, error) {
	var d string
	if req.For > 0 {
		d = req.For.String()
	}
	return r.c.Pause(ctx, control.PauseRequest{Scope: req.Scope, ID: req.ID, For: d, Reason: req.Reason, RequestID: o.RequestID})
}

func (r remoteControls) Resume(ctx context.Context, scope string, id uint64, o model.Origin) error {
	return r.c.Resume(ctx, control.ResumeRequest{Scope: scope, ID: id, RequestID: o.RequestID})
}

func (r remoteControls) Status(ctx context.Context) (runtime.Status, error) {
	return r.c.Status(ctx)
}

// scopeName names a pause scope in a sentence.
func scopeName(scope string, id uint64) string {
	switch scope {
	case model.ScopeAccount:
		return fmt.Sprintf("account %d", id)
	case model.ScopeCampaign:
		return fmt.Sprintf("campaign %d", id)
	}
	return "all accounts"
}

// scopeFlag is the flag that names the scope again.
func scopeFlag(scope string, id uint64) string {
	if scope == model.ScopeGlobal {
		return ""
	}
	return fmt.Sprintf(" --%s %d", scope, id)
}
