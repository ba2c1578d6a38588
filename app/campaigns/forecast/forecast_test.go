package forecast

import (
	"math"
	"strings"
	"testing"
	"time"

	"parley/app/model"
)

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// account is a Mon–Fri 09:00–17:00 sender with the default limits (15
// invites a day, 80 a week, 20 messages, 40 visits) and no warm-up.
func account(id uint64, name, tz string) model.Account {
	return model.Account{ID: id, Name: name, TimeZone: tz, WorkDays: weekdays,
		WorkStart: "09:00", WorkEnd: "17:00", Limits: model.DefaultLimits()}
}

// invites is an invite-only campaign input for 100 new leads at 15 a day.
func invites(now time.Time, accounts ...model.Account) Input {
	return Input{
		Now:         now,
		Steps:       []model.Step{{Kind: model.StepInvite}},
		Accounts:    accounts,
		Limits:      model.CampaignLimits{InvitesPerDay: 15, MessagesPerDay: 20, VisitsPerDay: 40},
		Warmup:      model.DefaultWarmup(),
		NotEnrolled: 100,
	}
}

func TestInviteFinishDates(t *testing.T) {
	rome := zone(t, "Europe/Rome")
	utc := time.UTC
	anna := account(1, "Anna", "Europe/Rome")
	warming := anna
	warming.WarmupStart = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	weekly := anna
	weekly.Limits.InvitesPerDay, weekly.Limits.InvitesPerWeek = 20, 50
	ny, tokyo := account(2, "Ned", "America/New_York"), account(3, "Tomo", "Asia/Tokyo")

	tests := []struct {
		name   string
		in     Input
		want   string // Done date of the invite step, in the first account's zone
		bottle string
	}{{
		// 15 a day from Mon 2 Nov: 75 by Fri 6, 90 Mon 9, 100 on Tue 10 Nov
		// (the 7th working day).
		name: "monday morning", want: "2026-11-10", bottle: "15 invites a day",
		in: invites(time.Date(2026, 11, 2, 8, 0, 0, 0, rome), anna),
	}, {
		// Today is over: Tue 3 to Fri 6 give 60, Mon 9 to Wed 11 give 45.
		name: "after work end", want: "2026-11-11",
		in: invites(time.Date(2026, 11, 2, 18, 0, 0, 0, rome), anna),
	}, {
		// Saturday and Sunday do not count: Mon 9 … Fri 13 give 75, Mon 16
		// 90, Tue 17 100.
		name: "weekend start", want: "2026-11-17",
		in: invites(time.Date(2026, 11, 7, 10, 0, 0, 0, rome), anna),
	}, {
		// 10 of today's 15 already used: 5 + 60 (Tue–Fri) + 15 + 15 + 5.
		name: "used today", want: "2026-11-11",
		in: func() Input {
			in := invites(time.Date(2026, 11, 2, 12, 0, 0, 0, rome), anna)
			in.UsedToday = map[uint64]model.CampaignLimits{1: {InvitesPerDay: 10}}
			return in
		}(),
	}, {
		// Warm-up started Mon 2 Nov at 5 a day, +1 each calendar day:
		// Mon–Fri 5+6+7+8+9 = 35; Sat and Sun (caps 10, 11) are not
		// worked; Mon 12 → 47, Tue 13 → 60, Wed 14 → 74, Thu 15 → 89,
		// Fri 13 Nov 15 → 104 ≥ 99.5.
		name: "warm-up", want: "2026-11-13", bottle: "warm-up: 5 invites a day, rising to 15 by 12 Nov",
		in: invites(time.Date(2026, 11, 2, 8, 0, 0, 0, rome), warming),
	}, {
		// 20 a day but 50 a week: Mon 20, Tue 20, Wed 10, then nothing until
		// Mon 9: 70, Tue 90, Wed 11 Nov 100.
		name: "weekly cap", want: "2026-11-11", bottle: "weekly cap: 50 invites a week",
		in: func() Input {
			in := invites(time.Date(2026, 11, 2, 8, 0, 0, 0, rome), weekly)
			in.Limits.InvitesPerDay = 20
			return in
		}(),
	}, {
		// Sat 7 Nov 12:00 UTC is Saturday in both zones. One account: Mon 9
		// … Tue 17 as in "weekend start".
		name: "new york alone", want: "2026-11-17",
		in: invites(time.Date(2026, 11, 7, 12, 0, 0, 0, utc), ny),
	}, {
		// Two accounts give 30 a day: Mon 9 30, Tue 60, Wed 90, Thu 12 120.
		name: "new york and tokyo", want: "2026-11-12", bottle: "15 invites a day per account × 2 accounts",
		in: invites(time.Date(2026, 11, 7, 12, 0, 0, 0, utc), ny, tokyo),
	}, {
		// Clocks go forward on Sun 29 Mar: Mon 23 … Fri 27 give 75, Mon 30
		// 90, Tue 31 Mar 100.
		name: "spring DST week", want: "2026-03-31",
		in: invites(time.Date(2026, 3, 23, 8, 0, 0, 0, rome), anna),
	}, {
		// 00:30 UTC on the DST night is Sunday 01:30 in Rome: Mon 30 Mar …
		// Fri 3 Apr 75, Mon 6 90, Tue 7 Apr 100.
		name: "spring DST night in UTC", want: "2026-04-07",
		in: invites(time.Date(2026, 3, 29, 0, 30, 0, 0, utc), anna),
	}, {
		// Clocks go back on Sun 25 Oct: Mon 19 … Fri 23 75, Mon 26 90,
		// Tue 27 Oct 100.
		name: "autumn DST week", want: "2026-10-27",
		in: invites(time.Date(2026, 10, 19, 8, 0, 0, 0, rome), anna),
	}, {
		// Sunday 23:30 UTC is already Monday 00:30 in Rome (CET), so Monday
		// counts: Mon 26 … Fri 30 75, Mon 2 Nov 90, Tue 3 Nov 100.
		name: "sunday night in UTC is monday in Rome", want: "2026-11-03",
		in: invites(time.Date(2026, 10, 25, 23, 30, 0, 0, utc), anna),
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Run(tc.in)
			if r.Beyond || len(r.Steps) != 1 {
				t.Fatalf("Beyond %v, %d steps; summary %q", r.Beyond, len(r.Steps), r.Summary)
			}
			s := r.Steps[0]
			if got := s.Done.Format("2006-01-02"); got != tc.want {
				t.Errorf("Done = %s, want %s (bottleneck %q)", s.Done, tc.want, s.Bottleneck)
			}
			if s.Done.Hour() != 17 || s.Done.Location().String() != tc.in.Accounts[0].TimeZone {
				t.Errorf("Done = %s, want 17:00 in %s", s.Done, tc.in.Accounts[0].TimeZone)
			}
			if !r.Finish.Equal(s.Done) {
				t.Errorf("Finish = %s, want %s", r.Finish, s.Done)
			}
			if s.Leads != 100 {
				t.Errorf("Leads = %v, want 100", s.Leads)
			}
			if tc.bottle != "" && s.Bottleneck != tc.bottle {
				t.Errorf("Bottleneck = %q, want %q", s.Bottleneck, tc.bottle)
			}
		})
	}
}

func TestSequence(t *testing.T) {
	rome := zone(t, "Europe/Rome")
	in := invites(time.Date(2026, 11, 2, 8, 0, 0, 0, rome), account(1, "Anna", "Europe/Rome"))
	in.Steps = []model.Step{
		{Kind: model.StepInvite},
		{Kind: model.StepWaitAccept, WaitDays: 14, OnTimeout: model.TimeoutWithdraw},
		{Kind: model.StepMessage, DelayDays: 2},
		{Kind: model.StepFollowUp, DelayDays: 4},
	}
	r := Run(in)
	if r.Beyond {
		t.Fatalf("Beyond; summary %q", r.Summary)
	}
	// Invites end Tue 10 Nov as in TestInviteFinishDates. Leads invited
	// that day (10) are accepted Fri 13 (3), reach the message step Sun 15
	// and are messaged Mon 16; the rest (7) leave Tue 24 Nov, after 14
	// days. Follow-ups come 4 days after Mon 16: Fri 20 Nov.
	want := []struct {
		leads float64
		done  string
	}{{100, "2026-11-10"}, {100, "2026-11-24"}, {30, "2026-11-16"}, {27, "2026-11-20"}}
	for i, w := range want {
		s := r.Steps[i]
		if math.Abs(s.Leads-w.leads) > 1e-9 {
			t.Errorf("step %d (%s): Leads = %v, want %v", i, s.Kind, s.Leads, w.leads)
		}
		if got := s.Done.Format("2006-01-02"); got != w.done {
			t.Errorf("step %d (%s): Done = %s, want %s", i, s.Kind, got, w.done)
		}
	}
	invite, message := r.Steps[0].Done, r.Steps[2].Done
	if earliest := invite.AddDate(0, 0, DefaultAssumptions().AcceptAfterDays+2); message.Before(earliest) {
		t.Errorf("message Done %s before invite Done + 3 + 2 days (%s)", message, earliest)
	}
	if got := r.Finish.Format("2006-01-02"); got != "2026-11-24" {
		t.Errorf("Finish = %s, want the end of the last wait, 2026-11-24", got)
	}
	if r.Summary != "At current limits this campaign finishes around 24 Nov." {
		t.Errorf("Summary = %q", r.Summary)
	}
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{"30% of invites are accepted, 3 days", "10% of leads reply", "withdrawn"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestMeasuredAssumptions(t *testing.T) {
	rome := zone(t, "Europe/Rome")
	in := invites(time.Date(2026, 11, 2, 8, 0, 0, 0, rome), account(1, "Anna", "Europe/Rome"))
	in.Steps = []model.Step{{Kind: model.StepInvite}, {Kind: model.StepMessage}, {Kind: model.StepFollowUp, DelayDays: 3}}
	in.Waiting = []int{0, 10}
	in.Assume = Assumptions{AcceptRate: 0.5, AcceptAfterDays: 2, ReplyRate: 0.2}
	r := Run(in)
	// No wait_accept step: half of the 100 invited accept, plus the 10
	// already waiting for their message; 80% of those get a follow-up.
	for i, want := range []float64{100, 60, 48} {
		if got := r.Steps[i].Leads; math.Abs(got-want) > 1e-9 {
			t.Errorf("step %d: Leads = %v, want %v", i, got, want)
		}
	}
}

func TestCannotFinish(t *testing.T) {
	rome := zone(t, "Europe/Rome")
	now := time.Date(2026, 11, 2, 8, 0, 0, 0, rome)
	anna := account(1, "Anna", "Europe/Rome")
	archived := anna
	archived.ArchivedAt = now.Add(-time.Hour)
	idle := anna
	idle.WorkDays = nil
	muted := anna
	muted.Limits.InvitesPerDay = 0
	frozen := anna
	frozen.WarmupStart = now

	tests := []struct {
		name string
		in   Input
		want string // in the Summary
	}{
		{"no accounts", invites(now), "has no sender account"},
		{"archived only", invites(now, archived), "are archived"},
		{"no working days", invites(now, idle), "has working days"},
		{"campaign invite limit 0", func() Input {
			in := invites(now, anna)
			in.Limits.InvitesPerDay = 0
			return in
		}(), "The campaign's daily invite limit is 0"},
		{"account invite limit 0", invites(now, muted), "daily invite limit is 0"},
		{"warm-up never starts", func() Input {
			in := invites(now, frozen)
			in.Warmup = model.Warmup{}
			return in
		}(), "The warm-up allows 0 invites a day"},
		{"message limit 0", func() Input {
			in := invites(now, anna)
			in.Steps = append(in.Steps, model.Step{Kind: model.StepMessage})
			in.Limits.MessagesPerDay = 0
			return in
		}(), "daily message limit is 0, so no messages can be sent"},
		{"beyond the horizon", func() Input {
			in := invites(now, anna)
			in.NotEnrolled = 10000
			return in
		}(), "would take more than a year"},
		{"beyond a short horizon", func() Input {
			in := invites(now, anna)
			in.Horizon = 5
			return in
		}(), "would take more than 5 days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Run(tc.in)
			if !r.Beyond || !r.Finish.IsZero() {
				t.Errorf("Beyond = %v, Finish = %v; want true and zero", r.Beyond, r.Finish)
			}
			if !strings.Contains(r.Summary, tc.want) {
				t.Errorf("Summary = %q, want it to contain %q", r.Summary, tc.want)
			}
			if last := r.Steps[len(r.Steps)-1]; !last.Done.IsZero() {
				t.Errorf("last step Done = %s, want zero", last.Done)
			}
		})
	}
}

func TestBlockedStepKeepsEarlierDates(t *testing.T) {
	rome := zone(t, "Europe/Rome")
	in := invites(time.Date(2026, 11, 2, 8, 0, 0, 0, rome), account(1, "Anna", "Europe/Rome"))
	in.Steps = append(in.Steps, model.Step{Kind: model.StepMessage})
	in.Limits.MessagesPerDay = 0
	r := Run(in)
	if got := r.Steps[0].Done.Format("2006-01-02"); got != "2026-11-10" {
		t.Errorf("invite Done = %s, want 2026-11-10", got)
	}
	if got := r.Steps[1].Bottleneck; got != "the campaign's message limit is 0" {
		t.Errorf("message Bottleneck = %q", got)
	}
}

func TestNoLeads(t *testing.T) {
	rome := zone(t, "Europe/Rome")
	in := invites(time.Date(2026, 11, 2, 8, 0, 0, 0, rome))
	in.NotEnrolled = 0
	in.Steps = append(in.Steps, model.Step{Kind: model.StepMessage})
	r := Run(in)
	if r.Beyond || r.Summary != "No leads are waiting in this campaign." {
		t.Fatalf("Beyond %v, Summary %q", r.Beyond, r.Summary)
	}
	for _, s := range r.Steps {
		if !s.Done.Equal(in.Now) || s.Leads != 0 {
			t.Errorf("step %d: Done %s, Leads %v; want now and 0", s.Step, s.Done, s.Leads)
		}
	}
	if !r.Finish.Equal(in.Now) {
		t.Errorf("Finish = %s, want now", r.Finish)
	}
}

func TestSummaryYear(t *testing.T) {
	rome := zone(t, "Europe/Rome")
	// Mon 28 Dec 2026, 75 leads: Mon 28 … Fri 1 Jan 2027.
	in := invites(time.Date(2026, 12, 28, 8, 0, 0, 0, rome), account(1, "Anna", "Europe/Rome"))
	in.NotEnrolled = 75
	r := Run(in)
	if want := "At current limits this campaign finishes around 1 Jan 2027."; r.Summary != want {
		t.Errorf("Summary = %q, want %q", r.Summary, want)
	}
}

func TestWarmupNote(t *testing.T) {
	rome := zone(t, "Europe/Rome")
	anna := account(1, "Anna", "Europe/Rome")
	anna.WarmupStart = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	r := Run(invites(time.Date(2026, 11, 4, 8, 0, 0, 0, rome), anna))
	want := "Anna is warming up: at most 7 invites a day for now, full limits from 12 Nov."
	if len(r.Notes) == 0 || r.Notes[0] != want {
		t.Errorf("Notes = %q, want first %q", r.Notes, want)
	}
}

func TestVisitStep(t *testing.T) {
	rome := zone(t, "Europe/Rome")
	in := invites(time.Date(2026, 11, 2, 8, 0, 0, 0, rome), account(1, "Anna", "Europe/Rome"))
	in.Steps = []model.Step{{Kind: model.StepVisit}, {Kind: model.StepInvite}}
	in.Limits.VisitsPerDay = 10
	r := Run(in)
	// Visits are the slower budget (10 a day): 100 visits take 10 working
	// days, Mon 2 … Fri 13 Nov; invites keep up the same day.
	for i, want := range []string{"2026-11-13", "2026-11-13"} {
		if got := r.Steps[i].Done.Format("2006-01-02"); got != want {
			t.Errorf("step %d Done = %s, want %s", i, got, want)
		}
	}
	if got := r.Steps[1].Bottleneck; got != "no limit reached; paced by the steps before it" {
		t.Errorf("invite Bottleneck = %q", got)
	}
}

func BenchmarkRun100k(b *testing.B) {
	now := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	in := invites(now, account(1, "Anna", "Europe/Rome"), account(2, "Ned", "America/New_York"), account(3, "Tomo", "Asia/Tokyo"))
	in.Accounts[1].WarmupStart = now
	in.Steps = []model.Step{
		{Kind: model.StepVisit},
		{Kind: model.StepInvite},
		{Kind: model.StepWaitAccept, WaitDays: 21, OnTimeout: model.TimeoutWithdraw},
		{Kind: model.StepMessage, DelayDays: 1},
		{Kind: model.StepFollowUp, DelayDays: 4},
		{Kind: model.StepFollowUp, DelayDays: 7},
	}
	in.NotEnrolled = 100_000
	in.Waiting = []int{0, 500, 800, 300, 200, 100}
	b.ReportAllocs()
	for b.Loop() {
		if r := Run(in); !r.Beyond {
			b.Fatal("100k leads should not finish within a year")
		}
	}
}

func TestOddInputs(t *testing.T) {
	now := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	lost := account(1, "Lost", "Mars/Olympus")
	lost.WorkEnd = "late"
	in := invites(now, lost)
	in.Steps = []model.Step{{Kind: "dance"}, {Kind: model.StepInvite}}
	in.Waiting = []int{-5, 10, 99} // negative and extra entries are ignored
	in.Horizon = -1
	r := Run(in)
	if r.Beyond || len(r.Steps) != 2 || r.Steps[1].Leads != 110 {
		t.Fatalf("Beyond %v, steps %+v", r.Beyond, r.Steps)
	}
	// UTC is used for the unknown zone and today counts (no valid end of
	// working hours): Mon 2 … Fri 6 75, Mon 9 90, Tue 10 105, Wed 11 110.
	if got := r.Steps[1].Done.Format("2006-01-02 15:04"); got != "2026-11-11 23:59" {
		t.Errorf("invite Done = %s", got)
	}
	if !strings.Contains(r.Notes[0], "no valid time zone") {
		t.Errorf("Notes = %q", r.Notes)
	}
	if r := Run(Input{Now: now}); r.Summary != "This campaign has no steps yet." || r.Beyond {
		t.Errorf("no steps: %+v", r)
	}
}
