// Package accounts manages the LinkedIn sender accounts: who sends, in
// which time zone and working hours, with which daily and weekly limits.
// Parley never asks for or stores a LinkedIn password.
package accounts

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"parley/app/model"
	"parley/app/runtime"
	"parley/storage"
)

// Service creates, edits and archives accounts; every change writes its
// event and audit record in the same transaction.
type Service struct {
	store *storage.Store
}

// New returns the service.
func New(store *storage.Store) *Service { return &Service{store: store} }

// Input is an account as a person fills it in.
type Input struct {
	Name     string         `json:"name"`
	TimeZone string         `json:"time_zone"`
	WorkDays []time.Weekday `json:"work_days"`
	// WorkStart and WorkEnd are "HH:MM" (24-hour) in the account's zone.
	WorkStart string       `json:"work_start"`
	WorkEnd   string       `json:"work_end"`
	Type      string       `json:"type"`
	Limits    model.Limits `json:"limits"`
	// WarmupStart is a date (YYYY-MM-DD); empty means today.
	WarmupStart string `json:"warmup_start"`
	Notes       string `json:"notes"`
}

// Defaults is the form for a new account: weekdays 09:00–17:30 in zone,
// conservative limits, warm-up from today (in that zone).
func Defaults(zone string, now time.Time) Input {
	today := now
	if loc, err := time.LoadLocation(zone); err == nil {
		today = now.In(loc)
	}
	return Input{
		TimeZone: zone, WorkDays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
		WorkStart: "09:00", WorkEnd: "17:30", Type: model.AccountFree, Limits: model.DefaultLimits(),
		WarmupStart: today.Format("2006-01-02"),
	}
}

// Create adds an account.
func (s *Service) Create(in Input, o model.Origin) (model.Account, error) {
	var a model.Account
	err := s.store.Update(func(tx *storage.Tx) error {
		var err error
		if a, err = apply(tx, model.Account{}, in); err != nil {
			return err
		}
		a.CreatedAt = tx.Now()
		if a, err = tx.CreateAccount(a); err != nil {
			return err
		}
		return record(tx, a, model.EventAccountCreated, "account_created", o)
	})
	return a, err
}

// Update replaces an account's settings.
func (s *Service) Update(id uint64, in Input, o model.Origin) (model.Account, error) {
	var a model.Account
	err := s.store.Update(func(tx *storage.Tx) error {
		cur, err := tx.Account(id)
		if err != nil {
			return err
		}
		if cur.Archived() {
			return model.Errorf(model.CodeConflict, "account %q is archived and cannot be changed", cur.Name)
		}
		if a, err = apply(tx, cur, in); err != nil {
			return err
		}
		if err := tx.PutAccount(a); err != nil {
			return err
		}
		return record(tx, a, model.EventAccountUpdated, "account_updated", o)
	})
	return a, err
}

// ShowBrowser chooses whether the account works in a visible browser
// window (show) or in the shared headless browser, the default.
func (s *Service) ShowBrowser(id uint64, show bool, o model.Origin) (model.Account, error) {
	var a model.Account
	err := s.store.Update(func(tx *storage.Tx) error {
		var err error
		if a, err = tx.Account(id); err != nil {
			return err
		}
		if a.Archived() {
			return model.Errorf(model.CodeConflict, "account %q is archived and cannot be changed", a.Name)
		}
		if a.ShowBrowser == show {
			return nil
		}
		a.ShowBrowser, a.UpdatedAt = show, tx.Now()
		if err := tx.PutAccount(a); err != nil {
			return err
		}
		action := "account_browser_hidden"
		if show {
			action = "account_browser_shown"
		}
		return record(tx, a, model.EventAccountUpdated, action, o)
	})
	return a, err
}

// Archive retires an account: it keeps its history but sends nothing more.
func (s *Service) Archive(id uint64, o model.Origin) (model.Account, error) {
	var a model.Account
	err := s.store.Update(func(tx *storage.Tx) error {
		var err error
		if a, err = tx.Account(id); err != nil {
			return err
		}
		if a.Archived() {
			return model.Errorf(model.CodeConflict, "account %q is already archived", a.Name)
		}
		a.ArchivedAt, a.UpdatedAt = tx.Now(), tx.Now()
		if err := tx.PutAccount(a); err != nil {
			return err
		}
		return record(tx, a, model.EventAccountArchived, "account_archived", o)
	})
	return a, err
}

// Get returns one account.
func (s *Service) Get(id uint64) (model.Account, error) {
	var a model.Account
	err := s.store.View(func(tx *storage.Tx) (err error) {
		a, err = tx.Account(id)
		return err
	})
	return a, err
}

// List returns the accounts, archived ones only when asked.
func (s *Service) List(withArchived bool) ([]model.Account, error) {
	var out []model.Account
	err := s.store.View(func(tx *storage.Tx) (err error) {
		out, err = tx.Accounts(withArchived)
		return err
	})
	return out, err
}

func record(tx *storage.Tx, a model.Account, event, action string, o model.Origin) error {
	data, _ := json.Marshal(map[string]any{"id": a.ID, "name": a.Name, "limits": a.Limits, "time_zone": a.TimeZone})
	if _, err := tx.AppendEvent(model.Event{Type: event, Subject: fmt.Sprintf("account:%d", a.ID), RequestID: o.RequestID, Data: data}); err != nil {
		return err
	}
	_, err := tx.AppendAudit(model.AuditRecord{
		Category: "account", Action: action, Actor: orAnonymous(o.Actor), AuthMethod: o.AuthMethod, PeerIP: o.PeerIP,
		RequestID: o.RequestID, Target: fmt.Sprintf("account:%d", a.ID), Outcome: model.OutcomeSuccess,
		Details: map[string]string{"name": a.Name},
	})
	return err
}

func orAnonymous(s string) string {
	if s == "" {
		return "anonymous"
	}
	return s
}

// apply validates in onto a (a new one or an existing one).
func apply(tx *storage.Tx, a model.Account, in Input) (model.Account, error) {
	now := tx.Now()
	name := strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(name); n < 1 || n > 80 {
		return a, invalid("name", "give the account a name of 1 to 80 characters, e.g. “Anna – sales”")
	}
	loc, err := time.LoadLocation(strings.TrimSpace(in.TimeZone))
	if in.TimeZone == "" || err != nil {
		return a, invalid("time zone", "%q is not an IANA time zone; use a name like Europe/Rome or America/New_York", in.TimeZone)
	}
	days, err := workDays(in.WorkDays)
	if err != nil {
		return a, err
	}
	start, err := clock(in.WorkStart, "working hours start")
	if err != nil {
		return a, err
	}
	end, err := clock(in.WorkEnd, "working hours end")
	if err != nil {
		return a, err
	}
	if end <= start {
		return a, invalid("working hours", "the end (%s) must be after the start (%s) on the same day", in.WorkEnd, in.WorkStart)
	}
	switch in.Type {
	case model.AccountFree, model.AccountPremium, model.AccountSalesNavigator:
	default:
		return a, invalid("account type", "must be free, premium or sales_navigator")
	}
	st, err := runtime.ReadSettings(tx)
	if err != nil {
		return a, err
	}
	if err := checkLimits(in.Limits, st.EnforceCeilings); err != nil {
		return a, err
	}
	warm := now.In(loc)
	if in.WarmupStart != "" {
		if warm, err = time.ParseInLocation("2006-01-02", in.WarmupStart, loc); err != nil {
			return a, invalid("warm-up start", "must be a date like 2026-12-03")
		}
	}
	if utf8.RuneCountInString(in.Notes) > 2000 {
		return a, invalid("notes", "keep notes under 2000 characters")
	}
	a.Name, a.TimeZone, a.WorkDays, a.Type, a.Limits = name, loc.String(), days, in.Type, in.Limits
	a.WorkStart, a.WorkEnd = fmt.Sprintf("%02d:%02d", start/60, start%60), fmt.Sprintf("%02d:%02d", end/60, end%60)
	a.WarmupStart = time.Date(warm.Year(), warm.Month(), warm.Day(), 0, 0, 0, 0, time.UTC)
	a.Notes, a.UpdatedAt = strings.TrimSpace(in.Notes), now
	return a, nil
}

func workDays(in []time.Weekday) ([]time.Weekday, error) {
	var seen [7]bool
	for _, d := range in {
		if d < time.Sunday || d > time.Saturday {
			return nil, invalid("working days", "%d is not a day of the week (0 = Sunday … 6 = Saturday)", d)
		}
		seen[d] = true
	}
	var out []time.Weekday
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if seen[d] {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, invalid("working days", "choose at least one day on which Parley may act")
	}
	return out, nil
}

// clock parses HH:MM into minutes after midnight.
func clock(s, field string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, invalid(field, "%q must be a time like 09:00 or 17:30", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// checkLimits refuses negative limits and anything above the compliance
// ceilings while they are enforced (the default): Parley keeps
// conservative limits. With enforcement off (audited, and shown as a
// banner) it still refuses values beyond what LinkedIn itself allows.
func checkLimits(l model.Limits, enforce bool) error {
	c := model.CeilingLimits()
	if !enforce {
		c = outerLimits
	}
	for _, f := range []struct {
		name       string
		value, max int
	}{
		{"invites per day", l.InvitesPerDay, c.InvitesPerDay},
		{"invites per week", l.InvitesPerWeek, c.InvitesPerWeek},
		{"messages per day", l.MessagesPerDay, c.MessagesPerDay},
		{"profile visits per day", l.VisitsPerDay, c.VisitsPerDay},
		{"withdrawals per day", l.WithdrawalsPerDay, c.WithdrawalsPerDay},
	} {
		if f.value < 0 {
			return invalid(f.name, "cannot be negative (0 turns the action off)")
		}
		if f.value > f.max && enforce {
			return invalid(f.name, "%d is above the compliance ceiling of %d; LinkedIn restricts accounts that go faster (an owner can turn enforcement off in the runtime settings, at the account's risk)", f.value, f.max)
		}
		if f.value > f.max {
			return invalid(f.name, "%d is above %d, more than LinkedIn itself allows even with the compliance ceilings off", f.value, f.max)
		}
	}
	if l.InvitesPerWeek > 0 && l.InvitesPerDay > l.InvitesPerWeek {
		return invalid("invites per day", "%d per day is more than the %d per week allowed", l.InvitesPerDay, l.InvitesPerWeek)
	}
	return nil
}

// outerLimits bound the limits when the compliance ceilings are off: no
// setting may exceed what LinkedIn itself tolerates from any account.
var outerLimits = model.Limits{InvitesPerDay: 100, InvitesPerWeek: 200, MessagesPerDay: 150, VisitsPerDay: 250, WithdrawalsPerDay: 100}

func invalid(field, format string, args ...any) error {
	return model.Errorf(model.CodeInvalid, "%s: %s", capitalize(field), fmt.Sprintf(format, args...))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
