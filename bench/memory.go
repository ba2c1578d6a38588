//go:build linux

package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	idleWait      = 3 * time.Second
	settleWait    = 5 * time.Second
	burstRequests = 2000
	burstClients  = 8
	idleGoalMB    = 15
	burstGoalMB   = 40
)

// burstPages are requested alternately during the burst.
var burstPages = []string{"/", "/backups"}

// memSample is one reading of /proc/PID/status, in MB.
type memSample struct{ anon, rss float64 }

// memRun is what one memory run measured.
type memRun struct {
	idle, after, settled      memSample
	pagesPerSec, healthPerSec float64
	failed                    int64
	// integrity check logged before the "right after" / "later" readings
	checkedBeforeAfter, checkedBeforeSettled bool
}

// burstResult is the outcome of one burst.
type burstResult struct {
	perSec float64
	failed int64 // requests that did not answer 200
}

// burst sends total GET requests spread over clients goroutines, cycling
// through paths, and returns the request rate. With a session cookie the
// pages are rendered for a signed-in user; a redirect (to the sign-in
// page) counts as a failure.
func burst(ctx context.Context, p *instance, paths []string, total, clients int, session *http.Cookie) burstResult {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer client.CloseIdleConnections()
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range clients {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(total) {
					return
				}
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url+paths[i%int64(len(paths))], nil)
				if err != nil {
					failed.Add(1)
					continue
				}
				if session != nil {
					req.AddCookie(session)
				}
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				drain(resp)
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return burstResult{perSec: float64(total) / time.Since(t0).Seconds(), failed: failed.Load()}
}

// sample reads RssAnon and VmRSS of the instance.
func sample(p *instance) (memSample, error) {
	kb, err := procStatus(p.cmd.Process.Pid, "RssAnon", "VmRSS")
	if err != nil {
		return memSample{}, err
	}
	return memSample{anon: float64(kb["RssAnon"]) / 1000, rss: float64(kb["VmRSS"]) / 1000}, nil
}

// memoryRun starts parley on dataDir and measures idle memory, a page
// burst, memory right after it and settleWait later, then a /healthz burst.
func memoryRun(ctx context.Context, e *env, dataDir string) (r memRun, err error) {
	p, err := startParley(ctx, e.binary, dataDir)
	if err != nil {
		return r, err
	}
	defer func() {
		if serr := p.stop(); err == nil && serr != nil {
			err = serr
		}
	}()
	var session *http.Cookie
	steps := []func() error{
		func() (err error) { session, err = signIn(ctx, e.binary, dataDir, p.url); return err },
		func() error { return sleepCtx(ctx, idleWait) },
		func() (err error) { r.idle, err = sample(p); return err },
		func() error {
			b := burst(ctx, p, burstPages, burstRequests, burstClients, session)
			r.pagesPerSec, r.failed = b.perSec, b.failed
			return nil
		},
		func() (err error) {
			r.after, err = sample(p)
			r.checkedBeforeAfter = integrityLogged(dataDir)
			return err
		},
		func() error { return sleepCtx(ctx, settleWait) },
		func() (err error) {
			r.settled, err = sample(p)
			r.checkedBeforeSettled = integrityLogged(dataDir)
			return err
		},
		func() error {
			b := burst(ctx, p, []string{"/healthz"}, burstRequests, burstClients, nil)
			r.healthPerSec, r.failed = b.perSec, r.failed+b.failed
			return nil
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return r, err
		}
	}
	return r, ctx.Err()
}

// integrityLogged reports whether Parley's log in dataDir holds the
// outcome of its background consistency check.
func integrityLogged(dataDir string) bool {
	log, _ := os.ReadFile(filepath.Join(dataDir, "logs", "parley.log"))
	return strings.Contains(string(log), "database consistency check")
}

// benchMemory measures RssAnon of the running binary idle and after a
// burst of page loads, with an empty-data-directory instance for scale.
func benchMemory(ctx context.Context, e *env) (*section, error) {
	if err := ensureBinary(ctx, e); err != nil {
		return nil, fmt.Errorf("memory: %w", err)
	}
	dataDir, err := dataDirWithDB(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("memory: %w", err)
	}
	var runs []memRun
	var emptyIdle series
	for run := 0; run <= e.cfg.runs; run++ {
		// A fresh log per run, so the integrity check is detected per run.
		os.RemoveAll(filepath.Join(dataDir, "logs"))
		r, err := memoryRun(ctx, e, dataDir)
		if err != nil {
			return nil, fmt.Errorf("memory: %w", err)
		}
		ei, err := emptyIdleAnon(ctx, e, run)
		if err != nil {
			return nil, fmt.Errorf("memory: empty data directory: %w", err)
		}
		progress("memory run %d/%d%s: RssAnon idle %.1f MB, after burst %.1f MB, +%s %.1f MB; %.0f pages/s, %.0f healthz/s; empty-dir idle %.1f MB",
			run, e.cfg.runs, map[bool]string{true: " (warm-up)"}[run == 0], r.idle.anon, r.after.anon, fmtDur(settleWait), r.settled.anon,
			r.pagesPerSec, r.healthPerSec, ei)
		if run > 0 {
			runs = append(runs, r)
			emptyIdle = append(emptyIdle, ei)
		}
	}
	return memorySection(e, runs, emptyIdle), nil
}

// emptyIdleAnon is RssAnon of an instance on a fresh data directory after
// idleWait.
func emptyIdleAnon(ctx context.Context, e *env, i int) (anon float64, err error) {
	dir := filepath.Join(e.work, fmt.Sprintf("empty-mem-%d", i))
	defer os.RemoveAll(dir)
	p, err := startParley(ctx, e.binary, dir)
	if err != nil {
		return 0, err
	}
	defer func() {
		if serr := p.stop(); err == nil && serr != nil {
			err = serr
		}
	}()
	if err := sleepCtx(ctx, idleWait); err != nil {
		return 0, err
	}
	m, err := sample(p)
	return m.anon, err
}

// memorySection turns the runs into the report table.
func memorySection(e *env, runs []memRun, emptyIdle series) *section {
	get := func(f func(memRun) float64) series {
		out := make(series, len(runs))
		for i, r := range runs {
			out[i] = f(r)
		}
		return out
	}
	mb := func(x float64) string { return fmt.Sprintf("%.1f MB", x) }
	perSec := func(x float64) string { return fmt.Sprintf("%.0f req/s", x) }
	idle := get(func(r memRun) float64 { return r.idle.anon })
	after := get(func(r memRun) float64 { return r.after.anon })
	settled := get(func(r memRun) float64 { return r.settled.anon })
	pages := get(func(r memRun) float64 { return r.pagesPerSec })
	health := get(func(r memRun) float64 { return r.healthPerSec })
	var failed int64
	var checkedAfter, checkedSettled int
	for _, r := range runs {
		failed += r.failed
		if r.checkedBeforeAfter {
			checkedAfter++
		}
		if r.checkedBeforeSettled {
			checkedSettled++
		}
	}

	s := &section{name: "memory", title: "memory: idle and after a page-load burst",
		intro: fmt.Sprintf("The binary serving the %s database (started as in coldstart). RssAnon (anonymous memory: Go heap, stacks, runtime) from /proc/PID/status "+
			"%s after /healthz first answers; then %d GETs alternating %s with %d concurrent clients; RssAnon right after and %s later. "+
			"VmRSS also counts the mapped database pages the process touched. Goals are judged on the median; min–max in brackets.",
			fmtMB(e.db.txSize), fmtDur(idleWait), burstRequests, strings.Join(burstPages, " and "), burstClients, fmtDur(settleWait))}
	s.goal("RssAnon idle", idle.fmtWith(mb), fmt.Sprintf("<= %d MB", idleGoalMB), check(idle.median() <= idleGoalMB))
	s.goal("RssAnon right after the burst", after.fmtWith(mb), fmt.Sprintf("<= %d MB", burstGoalMB), check(after.median() <= burstGoalMB))
	s.goal(fmt.Sprintf("RssAnon %s after the burst", fmtDur(settleWait)), settled.fmtWith(mb), fmt.Sprintf("<= %d MB", burstGoalMB), check(settled.median() <= burstGoalMB))
	s.add("VmRSS idle / right after / later (information)", fmt.Sprintf("%s / %s / %s",
		get(func(r memRun) float64 { return r.idle.rss }).fmtWith(mb),
		get(func(r memRun) float64 { return r.after.rss }).fmtWith(mb),
		get(func(r memRun) float64 { return r.settled.rss }).fmtWith(mb)))
	s.add("baseline: RssAnon idle with a fresh, empty data directory", emptyIdle.fmtWith(mb))
	s.add(fmt.Sprintf("burst throughput: %s and %s", burstPages[0], burstPages[1]), pages.fmtWith(perSec))
	s.add("baseline: same burst against /healthz (after the memory readings)", health.fmtWith(perSec))
	s.add("ratio page burst / /healthz burst (medians)", fmtRatio(pages.median()/health.median()))
	s.add("requests that did not answer 200 (all runs)", fmt.Sprint(failed))
	s.note("Parley's background integrity check (bbolt tx.Check over every page, started 5 s after start) had logged its result "+
		"before the \"right after\" reading in %d of %d runs and before the \"later\" reading in %d of %d runs.",
		checkedAfter, len(runs), checkedSettled, len(runs))
	return s
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// drain reads and closes a response body so the connection is reused.
func drain(resp *http.Response) {
	buf := make([]byte, 32<<10)
	for {
		if _, err := resp.Body.Read(buf); err != nil {
			break
		}
	}
	resp.Body.Close()
}

const benchPassword = "benchmark password"

// signIn sets the admin password through the CLI (the running instance
// takes it over its control channel) and signs in, returning the session
// cookie, so the burst renders the real pages.
func signIn(ctx context.Context, bin, dataDir, base string) (*http.Cookie, error) {
	cmd := exec.CommandContext(ctx, bin, "--data-dir", dataDir, "admin", "set-password", "--user", "admin", "--password-stdin")
	cmd.Stdin = strings.NewReader(benchPassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("set-password: %v: %s", err, out)
	}
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"username":"admin","password":"`+benchPassword+`"}`))
	if err != nil {
		return nil, err
	}
	drain(resp)
	for _, c := range resp.Cookies() {
		if c.Name == "parley_session" {
			return c, nil
		}
	}
	return nil, fmt.Errorf("sign-in answered %s without a session cookie", resp.Status)
}
