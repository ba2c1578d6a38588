//go:build linux

package main

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// browserActionSection turns the runs into the report table: per action
// the pooled p50 of each side, their ratio and their difference.
func browserActionSection(w *actionWorld, runs []actionRun) *section {
	s := &section{name: "browseraction", title: "browseraction: per-action overhead of the LinkedIn driver against bare playwright",
		intro: fmt.Sprintf("Each action of the driver (`linkedin.New`, the built-in selector pack, its contexts from `browser.Pool` as in production) against the LinkedIn-like test site (automation/sitetest, classic layout, English, `SlowPages` 0), "+
			"against the baseline: the same page loads (`Goto`, waiting for DOMContentLoaded as the driver does), clicks and post-condition done with bare playwright-go calls and fixed CSS locators on one reused page. "+
			"Both sides run in one headless browser (%s) in this process, each for its own signed-in account in its own context, taking turns to go first; %d actions of each kind per side and run, each send to a fresh profile. "+
			"The driver's pauses are deliberate waits and are left out: it runs with `Think` 1 ns (no pause before a click or before typing) and `Keystroke` 1 ns (a 0 ms delay between keys, so it still types key by key where the baseline uses `Fill`). "+
			"After every run the site's state is checked: every invite arrived once with its note and was withdrawn once, every message arrived once, on both sides. "+
			"p50 is over every measured action of every run, pooled (nearest rank); the per-run ratio is median [min–max] over the runs.",
			w.version, actionIters)}
	pooled := func(f func(actionRun) []time.Duration) []time.Duration {
		var all []time.Duration
		for _, r := range runs {
			all = append(all, f(r)...)
		}
		return all
	}
	for k, kind := range actionKinds {
		driver := pooled(func(r actionRun) []time.Duration { return r.times[k][driverSide] })
		bare := pooled(func(r actionRun) []time.Duration { return r.times[k][bareSide] })
		perRun := make(series, len(runs))
		for i, r := range runs {
			perRun[i] = float64(median(r.times[k][driverSide])) / float64(median(r.times[k][bareSide]))
		}
		d, b := median(driver), median(bare)
		s.add(fmt.Sprintf("%s (%d each): %s", kind.name, len(driver), kind.what),
			fmt.Sprintf("driver p50 %s, bare p50 %s: %s, overhead %s (per-run ratio %s)",
				fmtDur(d), fmtDur(b), fmtRatio(float64(d)/float64(b)), fmtDur(d-b), perRun.fmtWith(fmtRatio)))
	}
	p50 := func(f func(actionRun) []time.Duration) string { return fmtDur(median(pooled(f))) }
	s.add("part of every driver action: a fresh page in the account's context (`NewPage` + `Close`), p50",
		p50(func(r actionRun) []time.Duration { return r.page }))
	s.add("part of every driver action: the session save at its end, the action's page still open as the driver does (`Pool.Save`: storage state written, fsynced, renamed), p50",
		p50(func(r actionRun) []time.Duration { return r.saveOpen }))
	s.add("contrast: the same save after the page is closed (how the driver saved until 2026-12-04), p50",
		p50(func(r actionRun) []time.Duration { return r.save }))
	note, msg := utf8.RuneCountInString(actionNote), utf8.RuneCountInString(actionMessage)
	s.add(fmt.Sprintf("part of the invite: the %d-character note typed key by key (`PressSequentially`, delay 0) / filled (`Fill`), p50", note),
		fmt.Sprintf("%s / %s (the message has %d characters)", p50(func(r actionRun) []time.Duration { return r.typed }),
			p50(func(r actionRun) []time.Duration { return r.filled }), msg))
	s.note("No goal: the issue asks for the overhead to be reported, with no target. The ratio is the figure to compare across machines; the overhead in ms says what a person would notice.")
	s.note("The driver's overhead is what makes it safe on a changing LinkedIn: a fresh page per action and the session saved after it; the selector pack tried in order (role and accessible name in the page's language, then in the other languages, then CSS; each try one `IsVisible` round trip, and elements that are absent, such as a weekly-limit dialog, cost every try); the pushback checks after each page load (checkpoint, captcha, weekly limit); reading the whole top card before acting; and checking the result on the page afterwards, polling every 25 ms.")
	s.note("The parts are timed alone after each run's actions (%d of each), in the driver's context; the typing on a blank page. "+
		"A save reads each origin's local storage: from an open page of that origin, or else from a hidden page that Playwright opens and navigates for the purpose, which is what the save after a closed page pays.", actionComponentIters)
	return s
}
