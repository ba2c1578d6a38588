//go:build linux

package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mxschmitt/playwright-go"
)

// actionRun is one run's timings.
type actionRun struct {
	// times are by action kind (index in actionKinds), then side.
	times [][2][]time.Duration
	// The driver's fixed costs, timed alone: a fresh page opened and
	// closed, a session save (and one with a page still open), and the
	// note typed key by key against filled.
	page, save, saveOpen, typed, filled []time.Duration
}

// benchBrowserAction times every driver action against the LinkedIn-like
// test site and the same page loads and clicks done with bare playwright
// calls, in one browser in this process.
func benchBrowserAction(ctx context.Context, e *env) (*section, error) {
	w, stop, err := newActionWorld(ctx, e, e.cfg.runs)
	if err != nil {
		return nil, fmt.Errorf("browseraction: %w", err)
	}
	defer stop()
	var runs []actionRun
	for run := 0; run <= e.cfg.runs; run++ {
		r, err := w.run(ctx, run)
		if err != nil {
			return nil, fmt.Errorf("browseraction run %d: %w", run, err)
		}
		var line []string
		for k, kind := range actionKinds {
			d, b := median(r.times[k][driverSide]), median(r.times[k][bareSide])
			line = append(line, fmt.Sprintf("%s %s/%s", kind.name, fmtDur(d), fmtDur(b)))
		}
		progress("browseraction run %d/%d%s: p50 driver/bare: %v", run, e.cfg.runs, map[bool]string{true: " (warm-up)"}[run == 0], line)
		if run > 0 {
			runs = append(runs, r)
		}
	}
	return browserActionSection(w, runs), nil
}

// run times every action actionIters times on each side, the sides taking
// turns to go first, then checks the site and times the fixed costs.
func (w *actionWorld) run(ctx context.Context, run int) (actionRun, error) {
	r := actionRun{times: make([][2][]time.Duration, len(actionKinds))}
	for k, kind := range actionKinds {
		if kind.before != nil {
			if err := kind.before(ctx, w, run); err != nil {
				return r, fmt.Errorf("%s: %w", kind.name, err)
			}
		}
		for i := range actionIters {
			order := [2]int{driverSide, bareSide}
			if i%2 == 1 {
				order = [2]int{bareSide, driverSide}
			}
			for _, side := range order {
				if err := ctx.Err(); err != nil {
					return r, err
				}
				t0 := time.Now()
				var err error
				if side == driverSide {
					err = kind.driver(ctx, w, run, i)
				} else {
					err = kind.bare(w, run, i)
				}
				d := time.Since(t0)
				if err != nil {
					return r, fmt.Errorf("%s, %s side, iteration %d: %w", kind.name, sideNames[side], i, err)
				}
				r.times[k][side] = append(r.times[k][side], d)
			}
		}
	}
	if err := w.verifyRun(run); err != nil {
		return r, err
	}
	return r, w.components(ctx, &r)
}

// components times alone what every driver action adds: a fresh page in
// the account's context, the session save (with a page of the site still
// open, as the driver does it, and after the page is closed), and typing
// instead of filling.
func (w *actionWorld) components(ctx context.Context, r *actionRun) error {
	bc, err := w.pool.Context(ctx, sideIDs[driverSide])
	if err != nil {
		return err
	}
	if err := w.page.SetContent("<!doctype html><textarea></textarea>"); err != nil {
		return err
	}
	for range actionComponentIters {
		t0 := time.Now()
		p, err := bc.NewPage()
		if err == nil {
			err = p.Close()
		}
		if err != nil {
			return err
		}
		r.page = append(r.page, time.Since(t0))
		if err := w.timeSave(bc, r); err != nil {
			return err
		}
		if err := w.timeTyping(r); err != nil {
			return err
		}
	}
	return nil
}

// timeSave times a session save with no page open, then one with a page
// of the site open: Playwright reads an origin's local storage from an
// open page, or else from a hidden page it opens for the purpose.
func (w *actionWorld) timeSave(bc playwright.BrowserContext, r *actionRun) error {
	t0 := time.Now()
	if err := w.pool.Save(sideIDs[driverSide]); err != nil {
		return err
	}
	r.save = append(r.save, time.Since(t0))
	p, err := bc.NewPage()
	if err != nil {
		return err
	}
	defer p.Close()
	if _, err := p.Goto(w.base+"/feed/", domLoaded); err != nil {
		return err
	}
	t0 = time.Now()
	if err := w.pool.Save(sideIDs[driverSide]); err != nil {
		return err
	}
	r.saveOpen = append(r.saveOpen, time.Since(t0))
	return nil
}

// timeTyping times the note typed key by key with no delay, as the
// driver types it here, and filled, on the bare page's text area.
func (w *actionWorld) timeTyping(r *actionRun) error {
	field := w.page.Locator("textarea")
	noDelay := playwright.LocatorPressSequentiallyOptions{Delay: playwright.Float(0)}
	for _, typed := range []bool{true, false} {
		if err := field.Fill(""); err != nil {
			return err
		}
		t0 := time.Now()
		var err error
		if typed {
			err = field.PressSequentially(actionNote, noDelay)
		} else {
			err = field.Fill(actionNote)
		}
		d := time.Since(t0)
		if err != nil {
			return err
		}
		if v, err := field.InputValue(); err != nil || v != actionNote {
			return fmt.Errorf("the note field reads %q (%v)", v, err)
		}
		if typed {
			r.typed = append(r.typed, d)
		} else {
			r.filled = append(r.filled, d)
		}
	}
	return nil
}

// median is the nearest-rank p50 of ds (0 for none).
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	c := slices.Clone(ds)
	slices.Sort(c)
	return percentile(c, 50)
}
