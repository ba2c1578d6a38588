//go:build linux

package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/mxschmitt/playwright-go"

	"parley/automation"
	"parley/automation/browser"
	"parley/automation/linkedin"
	"parley/automation/selectors"
	"parley/automation/sitetest"
)

const (
	// actionIters is how many times each action runs per run and side.
	actionIters = 8
	// actionComponentIters is how many times each component (a fresh
	// page, a session save, typing the note) is timed per run.
	actionComponentIters = 20
	// inboxThreads is how many conversations have a new reply when the
	// inbox is read.
	inboxThreads = 2
	// actionTimeout bounds every wait, the driver's and the bare side's.
	actionTimeout = 10 * time.Second
	visitSlug     = "visit-target"
	// The note and the message are of a realistic length: typing them key
	// by key is part of what the driver pays.
	actionNote    = "Hi Ada, I enjoyed your talk on analytical engines at the fair last week. Glad to connect!"
	actionMessage = "Thanks for connecting, Ada! How are things at Analytical Engines? I would love to hear about the new mill."
)

// The two sides act for their own account, each in its own context of
// the same browser: the driver for account 1 (its context from the
// browser.Pool, as in production), the bare calls for account 2.
const (
	driverSide = iota
	bareSide
)

var (
	sideNames  = [2]string{"driver", "bare"}
	sideEmails = [2]string{"driver@example.com", "bare@example.com"}
	sideIDs    = [2]uint64{1, 2}
)

// actionWorld is the LinkedIn-like test site, the driver against it and
// the bare side's one page, all in one headless browser.
type actionWorld struct {
	site   *sitetest.Site
	base   string
	pool   *browser.Pool
	driver *linkedin.Driver
	sess   automation.Session
	// page is the bare side's page, reused by every bare action.
	page    playwright.Page
	version string
	// since is the inbox cursor of the current run.
	since time.Time
	names map[string]string // profile slug -> full name
}

// newActionWorld starts the site and the browser, fills the site with
// every profile the runs need and signs both accounts in.
func newActionWorld(ctx context.Context, e *env, runs int) (w *actionWorld, stop func(), err error) {
	b, err := automation.FindBrowser(os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	// SlowPages stays 0: the site answers at once, so every millisecond
	// measured is the browser's and the caller's.
	site := sitetest.New(sitetest.Options{SlowPages: 0})
	base, stopSite, err := site.Start()
	if err != nil {
		return nil, nil, err
	}
	w = &actionWorld{site: site, base: base, names: map[string]string{},
		sess: automation.Session{AccountID: sideIDs[driverSide], Name: "Driver"}}
	pool, err := browser.Open(browser.Options{Dir: filepath.Join(e.work, "browseraction-sessions"), Browser: b,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		stopSite()
		return nil, nil, err
	}
	w.pool = pool
	stop = func() { pool.Close(); stopSite() }
	defer func() {
		if err != nil {
			stop()
		}
	}()
	w.addProfiles(runs)
	if err := pool.Start(ctx); err != nil {
		return nil, nil, err
	}
	var bare playwright.BrowserContext
	for side := range sideIDs {
		site.AddAccount(sitetest.Account{Email: sideEmails[side], Password: "x", Name: "Sender " + sideNames[side]})
		bc, err := pool.Context(ctx, sideIDs[side])
		if err != nil {
			return nil, nil, err
		}
		ck := site.SessionCookie(sideEmails[side])
		if err := bc.AddCookies([]playwright.OptionalCookie{{Name: ck.Name, Value: ck.Value, URL: playwright.String(base)}}); err != nil {
			return nil, nil, err
		}
		w.version = bc.Browser().Version()
		if side == bareSide {
			bare = bc
		}
	}
	if w.page, err = bare.NewPage(); err != nil {
		return nil, nil, err
	}
	w.page.SetDefaultTimeout(float64(actionTimeout.Milliseconds()))
	pack, err := selectors.Default()
	if err != nil {
		return nil, nil, err
	}
	// The pauses before each click and between typed characters are
	// deliberate waits, left out of the figures: Keystroke of 1 ns is a
	// typing delay of 0 ms, Think of 1 ns no pause before a click.
	w.driver, err = linkedin.New(linkedin.Options{BaseURL: base, Contexts: pool, Pack: pack,
		EvidenceDir: filepath.Join(e.work, "browseraction-evidence"), Keystroke: time.Nanosecond, Think: time.Nanosecond,
		Timeout: actionTimeout})
	return w, stop, err
}

// addProfiles adds the profile every action visits, a fresh invite target
// (2nd degree) and message target (1st degree) per iteration, run and
// side, and the connections whose replies the inbox reads.
func (w *actionWorld) addProfiles(runs int) {
	add := func(slug string, degree int) {
		p := sitetest.Profile{Slug: slug, FirstName: "Ada", LastName: fmt.Sprintf("Lovelace %d", len(w.names)+1),
			Headline: "Analyst at Analytical Engines", Company: "Analytical Engines", Location: "London", Degree: degree}
		w.site.AddProfile(p)
		w.names[slug] = p.Name()
	}
	add(visitSlug, 2)
	for side := range sideNames {
		for k := range inboxThreads {
			add(inboxSlug(side, k), 1)
		}
		for run := 0; run <= runs; run++ {
			for i := range actionIters {
				add(targetSlug("invite", side, run, i), 2)
				add(targetSlug("message", side, run, i), 1)
			}
		}
	}
}

func targetSlug(kind string, side, run, i int) string {
	return fmt.Sprintf("%s-%s-%d-%02d", kind, sideNames[side], run, i)
}

func inboxSlug(side, k int) string { return fmt.Sprintf("inbox-%s-%d", sideNames[side], k) }

// linkedInURL is a lead's profile address as the runtime hands it to the
// driver (which maps it onto the site).
func linkedInURL(slug string) string { return linkedin.DefaultBaseURL + "/in/" + slug + "/" }

// prepareInbox waits for the next whole second, takes it as the inbox
// cursor and has every inbox connection reply: the inbox then shows
// inboxThreads conversations newer than the cursor, then older ones.
// (The site stamps whole seconds.)
func prepareInbox(ctx context.Context, w *actionWorld, run int) error {
	now := time.Now()
	next := now.Truncate(time.Second).Add(time.Second)
	if err := sleepCtx(ctx, next.Sub(now)); err != nil {
		return err
	}
	w.since = next
	for side := range sideEmails {
		for k := range inboxThreads {
			if err := w.site.Reply(sideEmails[side], inboxSlug(side, k), fmt.Sprintf("Reply %d, run %d", k, run)); err != nil {
				return err
			}
		}
	}
	return nil
}

// verifyRun checks on the site that every send of the run happened once,
// as asked: each invite with its note, then withdrawn, each message.
func (w *actionWorld) verifyRun(run int) error {
	invites, withdrawn, messages := map[string]int{}, map[string]int{}, map[string]int{}
	for _, in := range w.site.Invites() {
		if in.Note == actionNote {
			invites[in.Account+" "+in.Slug]++
		}
	}
	for _, wd := range w.site.Withdrawn() {
		withdrawn[wd.Account+" "+wd.Slug]++
	}
	for _, m := range w.site.Messages() {
		if m.Text == actionMessage {
			messages[m.Account+" "+m.Slug]++
		}
	}
	for side, email := range sideEmails {
		for i := range actionIters {
			inv, msg := targetSlug("invite", side, run, i), targetSlug("message", side, run, i)
			if n := invites[email+" "+inv]; n != 1 {
				return fmt.Errorf("%s side: the site has %d invites with the note to %s, want 1", sideNames[side], n, inv)
			}
			if n := withdrawn[email+" "+inv]; n != 1 {
				return fmt.Errorf("%s side: the site has %d withdrawals of %s, want 1", sideNames[side], n, inv)
			}
			if r := w.site.Relation(email, inv); r != sitetest.RelationNone {
				return fmt.Errorf("%s side: %s is %s after the withdrawal, want none", sideNames[side], inv, r)
			}
			if n := messages[email+" "+msg]; n != 1 {
				return fmt.Errorf("%s side: the site has %d messages to %s, want 1", sideNames[side], n, msg)
			}
		}
	}
	return nil
}
