package cli

import (
	"fmt"
	"io"
	"strings"

	"parley/app/model"
	"parley/app/runtime"
)

// printStatus writes the runtime status for a person: one line per
// account saying what it does or why it is idle, then what needs a look.
func printStatus(w io.Writer, s runtime.Status, running bool) {
	if !running {
		fmt.Fprintln(w, "Parley is not running: nothing is sent until it starts.")
	}
	if s.Paused != nil {
		fmt.Fprintf(w, "All accounts are %s (parley resume lifts it).\n", pauseWords(*s.Paused))
	} else {
		fmt.Fprintln(w, "No global pause.")
	}
	if len(s.Accounts) == 0 {
		fmt.Fprintln(w, "No accounts yet: add one on the dashboard's Accounts page.")
	}
	for _, a := range s.Accounts {
		fmt.Fprintf(w, "%s (#%d)  %s — %s\n", a.Name, a.AccountID, a.Text, counts(a))
	}
	for _, p := range s.CampaignPauses {
		fmt.Fprintf(w, "Campaign %d is %s (parley resume --campaign %d lifts it).\n", p.ID, pauseWords(p), p.ID)
	}
	if len(s.Incidents) == 0 {
		fmt.Fprintln(w, "No open incidents.")
	}
	for _, in := range s.Incidents {
		fmt.Fprintf(w, "Incident #%d %s (%s since %s): %s\n", in.ID, in.Severity, in.State,
			in.OpenedAt.UTC().Format("Mon 2 Jan 15:04 UTC"), in.Title)
	}
	fmt.Fprintf(w, "Dead letters: %d", s.DeadLetters)
	if s.DeadLetters > 0 {
		fmt.Fprint(w, " (retry or cancel them on the dashboard)")
	}
	fmt.Fprintln(w)
}

// pauseWords says who paused, until when and why: "paused by cli until
// Mon 2 Jan 14:00 UTC: lunch".
func pauseWords(p model.Pause) string {
	s := "paused by " + p.By
	if !p.Until.IsZero() {
		s += " until " + p.Until.UTC().Format("Mon 2 Jan 15:04 UTC")
	}
	if p.Reason != "" {
		s += ": " + p.Reason
	}
	return s
}

// counts is the account's queue in a few words.
func counts(a runtime.AccountStatus) string {
	parts := []string{fmt.Sprintf("%d queued", a.Queued)}
	if a.Dead > 0 {
		parts = append(parts, fmt.Sprintf("%d dead", a.Dead))
	}
	for _, u := range a.Usage {
		if u.Used > 0 {
			parts = append(parts, fmt.Sprintf("%s %d/%d today", u.Label, u.Used, u.Limit))
		}
	}
	return strings.Join(parts, ", ")
}
