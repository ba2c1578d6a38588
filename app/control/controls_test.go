package control

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"parley/app/model"
	"parley/app/runtime"
	"parley/storage"
)

// startWithRuntime starts the control channel with a real runtime and one
// account (#1).
func startWithRuntime(t *testing.T) (*Client, *storage.Store) {
	t.Helper()
	paths, store := startServerWith(t, func(o *ServerOptions, s *storage.Store) {
		o.Runtime = runtime.New(runtime.Options{Store: s})
	})
	err := store.Update(func(tx *storage.Tx) error {
		_, err := tx.CreateAccount(model.Account{Name: "A", TimeZone: "UTC", Limits: model.DefaultLimits(), CreatedAt: tx.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Connect(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	return c, store
}

func controlAudit(t *testing.T, store *storage.Store) []model.AuditRecord {
	t.Helper()
	var recs []model.AuditRecord
	err := store.View(func(tx *storage.Tx) (err error) {
		recs, _, err = tx.SearchAudit(storage.AuditFilter{Category: "control"}, 0, 100, 10000)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestPauseResumeStatusOverTheChannel(t *testing.T) {
	c, store := startWithRuntime(t)
	ctx := context.Background()
	p, err := c.Pause(ctx, PauseRequest{Scope: model.ScopeAccount, ID: 1, For: "1h", Reason: "proxy change", RequestID: "cli-req-1"})
	if err != nil {
		t.Fatal(err)
	}
	if p.By != model.ActorCLI || p.Until.Sub(p.At).Hours() != 1 || p.Reason != "proxy change" {
		t.Fatalf("pause = %+v", p)
	}
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Accounts) != 1 || st.Accounts[0].State != runtime.BlockPaused || !strings.HasPrefix(st.Accounts[0].Text, "paused by cli until ") {
		t.Fatalf("status = %+v", st)
	}
	recs := controlAudit(t, store)
	if len(recs) != 1 || recs[0].Action != "paused" || recs[0].Target != "account:1" || recs[0].Actor != model.ActorCLI ||
		recs[0].AuthMethod != "cli" || recs[0].PeerIP != "127.0.0.1" || recs[0].RequestID != "cli-req-1" || recs[0].Details["until"] == "" {
		t.Fatalf("audit = %+v", recs)
	}

	if err := c.Resume(ctx, ResumeRequest{Scope: model.ScopeAccount, ID: 1, RequestID: "cli-req-2"}); err != nil {
		t.Fatal(err)
	}
	// A correlation id that does not look like one is replaced, not stored.
	if _, err := c.Pause(ctx, PauseRequest{Scope: model.ScopeGlobal, RequestID: "<b>x</b>"}); err != nil {
		t.Fatal(err)
	}
	recs = controlAudit(t, store)
	if len(recs) != 3 || recs[1].Action != "resumed" || recs[1].RequestID != "cli-req-2" ||
		recs[0].Target != "global" || recs[0].RequestID == "" || strings.Contains(recs[0].RequestID, "<") {
		t.Fatalf("audit = %+v", recs)
	}
}

func TestControlRoutesRefuseBadRequests(t *testing.T) {
	c, store := startWithRuntime(t)
	ctx := context.Background()
	cases := []struct {
		name string
		call func() error
		want string
	}{
		{"bad duration", func() error {
			_, err := c.Pause(ctx, PauseRequest{Scope: model.ScopeGlobal, For: "soon"})
			return err
		}, "for: use a duration such as 30m or 2h"},
		{"negative duration", func() error {
			_, err := c.Pause(ctx, PauseRequest{Scope: model.ScopeGlobal, For: "-1h"})
			return err
		}, "for: use a duration"},
		{"unknown scope", func() error {
			_, err := c.Pause(ctx, PauseRequest{Scope: "galaxy"})
			return err
		}, "not a pause scope"},
		{"unknown account", func() error {
			_, err := c.Pause(ctx, PauseRequest{Scope: model.ScopeAccount, ID: 7})
			return err
		}, "account 7 does not exist"},
		{"resume when not paused", func() error {
			return c.Resume(ctx, ResumeRequest{Scope: model.ScopeGlobal})
		}, "Parley (all accounts) is not paused"},
		{"unknown field", func() error {
			var out map[string]bool
			return c.do(ctx, http.MethodPost, "/v1/control/resume", map[string]any{"scope": "global", "all": true}, &out)
		}, "malformed request"},
	}
	for _, tc := range cases {
		if err := tc.call(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	if recs := controlAudit(t, store); len(recs) != 0 {
		t.Fatalf("refusals were audited as changes: %+v", recs)
	}
}

func TestControlRoutesNeedARuntime(t *testing.T) {
	paths, _ := startServer(t)
	c, err := Connect(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Status(context.Background()); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("status without a runtime: err = %v", err)
	}
}
