package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"parley/app/model"
	"parley/app/runtime"
	"parley/automation"
	"parley/automation/browser"
	"parley/automation/linkedin"
	"parley/storage"
)

// loginTimeout bounds how long a sign-in window waits for the person.
const loginTimeout = 15 * time.Minute

// linkedInSessions signs accounts in and out of LinkedIn for the account
// page (web.LinkedInSessions).
type linkedInSessions struct {
	ctx    context.Context
	pool   *browser.Pool
	driver *linkedin.Driver
	rt     *runtime.Runtime
	store  *storage.Store
	dir    string
	log    *slog.Logger

	mu      sync.Mutex
	signing map[uint64]bool
}

func (l *linkedInSessions) Session(id uint64) (bool, time.Time, bool) {
	l.mu.Lock()
	signing := l.signing[id]
	l.mu.Unlock()
	fi, err := os.Stat(browser.StateFile(l.dir, id))
	if err != nil {
		return false, time.Time{}, signing
	}
	return true, fi.ModTime(), signing
}

func (l *linkedInSessions) StartLogin(id uint64, o model.Origin) error {
	if why := automation.NoDisplay(os.Getenv); why != "" {
		return model.Errorf(model.CodeConflict, "the sign-in window cannot open: %s. Start Parley from a desktop session to sign in (the saved session then works headless anywhere, the data folder copied along)", why)
	}
	l.mu.Lock()
	if l.signing[id] {
		l.mu.Unlock()
		return model.Errorf(model.CodeConflict, "a sign-in window is already open for this account")
	}
	l.signing[id] = true
	l.mu.Unlock()
	go func() {
		defer func() { l.mu.Lock(); delete(l.signing, id); l.mu.Unlock() }()
		ctx, cancel := context.WithTimeout(l.ctx, loginTimeout)
		defer cancel()
		err := l.pool.LoginWindow(ctx, id, l.driver.LoginURL(), l.driver.SignedIn)
		if err != nil {
			l.log.Warn("LinkedIn sign-in did not finish", "account", id, "error", err)
			l.record(id, o, "linkedin_sign_in_failed", model.OutcomeFailure, map[string]string{"why": signInWhy(err)})
			return
		}
		l.record(id, o, "linkedin_signed_in", model.OutcomeSuccess, nil)
		// A "login needed" quarantine ends with the sign-in.
		var loginNeeded bool
		l.store.View(func(tx *storage.Tx) error {
			q, ok, err := tx.Quarantine(id)
			loginNeeded = ok && q.LoginNeeded
			return err
		})
		if loginNeeded {
			if err := l.rt.Unquarantine(id, o); err != nil {
				l.log.Warn("lifting the login-needed quarantine failed", "account", id, "error", err)
			}
		}
		l.rt.Wake()
	}()
	return nil
}

func (l *linkedInSessions) ShowWindow(id uint64, show bool) error {
	if why := automation.NoDisplay(os.Getenv); show && why != "" {
		return model.Errorf(model.CodeConflict, "the account cannot work in a window: %s", why)
	}
	return l.pool.SetVisible(id, show)
}

// showWindows puts the accounts switched to a visible window there, at
// start.
func (l *linkedInSessions) showWindows() error {
	var ids []uint64
	err := l.store.View(func(tx *storage.Tx) error {
		accounts, err := tx.Accounts(false)
		for _, a := range accounts {
			if a.ShowBrowser {
				ids = append(ids, a.ID)
			}
		}
		return err
	})
	for _, id := range ids {
		if err := l.ShowWindow(id, true); err != nil {
			l.log.Warn("the account works headless", "account", id, "why", model.PublicMessage(err))
		}
	}
	return err
}

func (l *linkedInSessions) LogOut(id uint64, o model.Origin) error {
	if err := l.pool.Forget(id); err != nil {
		return err
	}
	l.record(id, o, "linkedin_signed_out", model.OutcomeSuccess, nil)
	return nil
}

// signInWhy words a sign-in that did not finish.
func signInWhy(err error) string {
	switch {
	case errors.Is(err, browser.ErrWindowClosed):
		return "the window was closed before the sign-in finished"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no sign-in within %s", loginTimeout)
	}
	return err.Error()
}

// record writes the event and the audit record of a session change.
func (l *linkedInSessions) record(id uint64, o model.Origin, action, outcome string, details map[string]string) {
	err := l.store.Update(func(tx *storage.Tx) error {
		data := map[string]any{"account": id}
		for k, v := range details {
			data[k] = v
		}
		e := model.Event{Type: "account." + action, Subject: fmt.Sprintf("account:%d", id), RequestID: o.RequestID}
		e.Data, _ = json.Marshal(data)
		if _, err := tx.AppendEvent(e); err != nil {
			return err
		}
		actor := o.Actor
		if actor == "" {
			actor = "anonymous"
		}
		_, err := tx.AppendAudit(model.AuditRecord{Category: "account", Action: action, Actor: actor, AuthMethod: o.AuthMethod,
			PeerIP: o.PeerIP, RequestID: o.RequestID, Target: fmt.Sprintf("account:%d", id), Outcome: outcome, Details: details})
		return err
	})
	if err != nil {
		l.log.Error("recording a LinkedIn session change failed", "account", id, "error", err)
	}
}
