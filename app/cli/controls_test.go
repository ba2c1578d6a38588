package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"parley/app/config"
	"parley/app/control"
	"parley/app/model"
	"parley/app/runtime"
	"parley/storage"
	"parley/storage/storagetest"
)

// world is a data directory with one account ("A", #1) and one campaign
// ("Q1", #1), and a Context whose output the test reads.
type world struct {
	t     *testing.T
	paths config.Paths
	out   *bytes.Buffer
	c     Context
}

func newWorld(t *testing.T) *world {
	t.Helper()
	paths := config.Paths{Root: t.TempDir()}
	if err := paths.Ensure(); err != nil {
		t.Fatal(err)
	}
	store := openStore(t, paths)
	err := store.Update(func(tx *storage.Tx) error {
		if _, err := tx.CreateAccount(model.Account{Name: "A", TimeZone: "UTC", Limits: model.DefaultLimits(), CreatedAt: tx.Now()}); err != nil {
			return err
		}
		_, err := tx.CreateCampaign(model.Campaign{Name: "Q1", State: model.CampaignDraft, CreatedAt: tx.Now(), StateAt: tx.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	storagetest.CheckAndClose(t, store)
	out := &bytes.Buffer{}
	return &world{t: t, paths: paths, out: out, c: Context{
		Config: config.Config{Paths: paths}, Logger: slog.New(slog.DiscardHandler), Stdout: out, Version: "test",
	}}
}

func openStore(t *testing.T, paths config.Paths) *storage.Store {
	t.Helper()
	store, err := storage.Open(storage.Options{Path: paths.DB(), SnapshotDir: paths.Backups(), AppVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// run calls one command and returns what it printed.
func (w *world) run(cmd func(context.Context, Context, ControlArgs) error, a ControlArgs) (string, error) {
	w.t.Helper()
	w.out.Reset()
	err := cmd(context.Background(), w.c, a)
	if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
		w.t.Errorf("error is not one line: %q", err)
	}
	return w.out.String(), err
}

func (w *world) mustRun(cmd func(context.Context, Context, ControlArgs) error, a ControlArgs) string {
	w.t.Helper()
	out, err := w.run(cmd, a)
	if err != nil {
		w.t.Fatalf("%+v: %v", a, err)
	}
	return out
}

func (w *world) status() runtime.Status {
	w.t.Helper()
	var st runtime.Status
	if err := json.Unmarshal([]byte(w.mustRun(Status, ControlArgs{JSON: true})), &st); err != nil {
		w.t.Fatal(err)
	}
	return st
}

// controlAudit returns the control audit records, oldest first, reading
// the store given or, when nil, opening the data directory's.
func (w *world) controlAudit(store *storage.Store) []model.AuditRecord {
	w.t.Helper()
	if store == nil {
		store = openStore(w.t, w.paths)
		defer storagetest.CheckAndClose(w.t, store)
	}
	var recs []model.AuditRecord
	err := store.View(func(tx *storage.Tx) (err error) {
		recs, _, err = tx.SearchAudit(storage.AuditFilter{Category: "control"}, 0, 100, 10000)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	for i, j := 0, len(recs)-1; i < j; i, j = i+1, j-1 {
		recs[i], recs[j] = recs[j], recs[i]
	}
	return recs
}

// checkAudit wants one control record per successful change, each by the
// CLI with its own correlation id.
func checkAudit(t *testing.T, recs []model.AuditRecord, want []string) {
	t.Helper()
	if len(recs) != len(want) {
		t.Fatalf("%d control audit records, want %d: %+v", len(recs), len(want), recs)
	}
	ids := map[string]bool{}
	for i, r := range recs {
		if got := r.Action + " " + r.Target; got != want[i] {
			t.Errorf("audit %d = %q, want %q", i, got, want[i])
		}
		if r.Actor != model.ActorCLI || r.AuthMethod != "cli" || r.PeerIP != "127.0.0.1" || r.Outcome != model.OutcomeSuccess {
			t.Errorf("audit %d = %+v; want actor cli from 127.0.0.1", i, r)
		}
		if r.RequestID == "" || ids[r.RequestID] {
			t.Errorf("audit %d: correlation id %q is missing or reused", i, r.RequestID)
		}
		ids[r.RequestID] = true
	}
}

func TestPauseResumeStatusOffline(t *testing.T) {
	w := newWorld(t)
	before := time.Now()
	out := w.mustRun(Pause, ControlArgs{For: 2 * time.Hour, Reason: "lunch"})
	if !strings.HasPrefix(out, "Paused all accounts until ") || !strings.Contains(out, "Parley is not running") {
		t.Fatalf("pause printed %q", out)
	}
	st := w.status()
	if st.Paused == nil || st.Paused.By != "cli" || st.Paused.Reason != "lunch" ||
		st.Paused.Until.Before(before.Add(2*time.Hour)) || st.Paused.Until.After(time.Now().Add(2*time.Hour)) {
		t.Fatalf("global pause = %+v", st.Paused)
	}
	if len(st.Accounts) != 1 || st.Accounts[0].State != runtime.BlockGlobalPause {
		t.Fatalf("accounts = %+v", st.Accounts)
	}
	out = w.mustRun(Status, ControlArgs{})
	for _, want := range []string{
		"Parley is not running",
		"All accounts are paused by cli until ",
		"A (#1)  all accounts are paused by cli until ",
		"— 0 queued",
		"No open incidents.",
		"Dead letters: 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	if out := w.mustRun(Resume, ControlArgs{}); out != "Resumed all accounts.\n" {
		t.Fatalf("resume printed %q", out)
	}

	out = w.mustRun(Pause, ControlArgs{Account: 1})
	if !strings.HasPrefix(out, "Paused account 1 until resumed (parley resume --account 1).") {
		t.Fatalf("pause printed %q", out)
	}
	st = w.status()
	if st.Paused != nil || st.Accounts[0].State != runtime.BlockPaused || st.Accounts[0].Text != "paused by cli" {
		t.Fatalf("status = %+v", st)
	}
	if out := w.mustRun(Status, ControlArgs{}); !strings.Contains(out, "No global pause.\nA (#1)  paused by cli — 0 queued\n") {
		t.Fatalf("status printed:\n%s", out)
	}
	w.mustRun(Resume, ControlArgs{Account: 1})

	w.mustRun(Pause, ControlArgs{Campaign: 1, For: 30 * time.Minute})
	if out := w.mustRun(Status, ControlArgs{}); !strings.Contains(out, "Campaign 1 is paused by cli until ") {
		t.Fatalf("status printed:\n%s", out)
	}
	w.mustRun(Resume, ControlArgs{Campaign: 1})
	if st := w.status(); st.Paused != nil || len(st.CampaignPauses) != 0 || st.Accounts[0].State == runtime.BlockPaused {
		t.Fatalf("still paused: %+v", st)
	}

	checkAudit(t, w.controlAudit(nil), []string{
		"paused global", "resumed global",
		"paused account:1", "resumed account:1",
		"paused campaign:1", "resumed campaign:1",
	})
}

func TestControlsRefuseBadInput(t *testing.T) {
	w := newWorld(t)
	w.mustRun(Pause, ControlArgs{Account: 1})
	cases := []struct {
		name string
		cmd  func(context.Context, Context, ControlArgs) error
		args ControlArgs
		want string
	}{
		{"unknown account", Pause, ControlArgs{Account: 7}, "account 7 does not exist"},
		{"unknown campaign", Resume, ControlArgs{Campaign: 9}, "campaign 9 does not exist"},
		{"both scopes", Pause, ControlArgs{Account: 1, Campaign: 1}, "use --account or --campaign, not both"},
		{"both scopes on resume", Resume, ControlArgs{Account: 1, Campaign: 1}, "not both"},
		{"negative duration", Pause, ControlArgs{For: -time.Hour}, "--for: use a duration such as 30m or 2h"},
		{"too long", Pause, ControlArgs{For: 31 * 24 * time.Hour}, "up to 30 days"},
		{"already paused", Pause, ControlArgs{Account: 1}, "already paused by cli"},
		{"resume when not paused", Resume, ControlArgs{}, "is not paused"},
		{"resume another account's pause", Resume, ControlArgs{Campaign: 1}, "is not paused"},
	}
	for _, c := range cases {
		out, err := w.run(c.cmd, c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
		if out != "" {
			t.Errorf("%s: printed %q on failure", c.name, out)
		}
	}
	// Refusals change nothing and record nothing.
	checkAudit(t, w.controlAudit(nil), []string{"paused account:1"})

	empty := Context{Config: config.Config{Paths: config.Paths{Root: t.TempDir()}}, Logger: w.c.Logger, Stdout: w.out}
	if err := Status(context.Background(), empty, ControlArgs{}); err == nil || !strings.Contains(err.Error(), "there is no database") {
		t.Errorf("no database: err = %v", err)
	}
}

// runningInstance holds the database as a running Parley does and answers
// on the control channel with a real runtime.
func runningInstance(t *testing.T, w *world) *storage.Store {
	t.Helper()
	store := openStore(t, w.paths)
	rt := runtime.New(runtime.Options{Store: store})
	tok, err := control.NewToken(w.paths)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	inst := control.Instance{PID: os.Getpid(), URL: "http://127.0.0.1:1", ControlURL: "http://" + ln.Addr().String(), Version: "test"}
	srv := control.NewServer(control.ServerOptions{Token: tok, Store: store, Runtime: rt, Instance: func() control.Instance { return inst }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done; storagetest.CheckAndClose(t, store) })
	if err := control.WriteInstance(w.paths, inst); err != nil {
		t.Fatal(err)
	}
	return store
}

func TestControlsThroughRunningInstance(t *testing.T) {
	w := newWorld(t)
	store := runningInstance(t, w)

	out := w.mustRun(Pause, ControlArgs{Account: 1, For: 30 * time.Minute, Reason: "new proxy"})
	if !strings.HasPrefix(out, "Paused account 1 until ") || strings.Contains(out, "not running") {
		t.Fatalf("pause printed %q", out)
	}
	st := w.status()
	a := st.Accounts[0]
	if a.State != runtime.BlockPaused || !strings.HasPrefix(a.Text, "paused by cli until ") || !strings.HasSuffix(a.Text, ": new proxy") {
		t.Fatalf("account = %+v", a)
	}
	if d := time.Until(a.Until); d < 29*time.Minute || d > 30*time.Minute {
		t.Fatalf("paused until %v, want in 30 minutes", a.Until)
	}
	out = w.mustRun(Status, ControlArgs{})
	if strings.Contains(out, "not running") || !strings.Contains(out, "A (#1)  paused by cli until ") {
		t.Fatalf("status printed:\n%s", out)
	}
	for _, c := range []struct {
		cmd  func(context.Context, Context, ControlArgs) error
		args ControlArgs
		want string
	}{
		{Pause, ControlArgs{Account: 7}, "account 7 does not exist"},
		{Pause, ControlArgs{Account: 1}, "already paused"},
		{Resume, ControlArgs{}, "is not paused"},
		{Pause, ControlArgs{For: 40 * 24 * time.Hour}, "up to 30 days"},
	} {
		if _, err := w.run(c.cmd, c.args); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want %q", c.args, err, c.want)
		}
	}
	if out := w.mustRun(Resume, ControlArgs{Account: 1}); out != "Resumed account 1.\n" {
		t.Fatalf("resume printed %q", out)
	}
	w.mustRun(Pause, ControlArgs{})
	if st := w.status(); st.Paused == nil || st.Paused.By != "cli" || !st.Paused.Until.IsZero() {
		t.Fatalf("global pause = %+v", st.Paused)
	}
	checkAudit(t, w.controlAudit(store), []string{"paused account:1", "resumed account:1", "paused global"})
}
