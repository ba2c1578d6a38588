//go:build linux

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"parley/app/accounts"
	"parley/app/backups"
	"parley/app/campaigns"
	"parley/app/campaigns/csvin"
	appconfig "parley/app/config"
	"parley/app/live"
	"parley/app/model"
	"parley/app/security"
	"parley/app/web"
	"parley/storage"
)

const (
	leadRows       = 100_000
	leadRowsSmall  = 20_000
	importGoal     = 3 * time.Second
	listGoal1      = 2 * time.Millisecond
	listGoal8      = 10 * time.Millisecond
	searchGoal     = 20 * time.Millisecond
	searchRequests = 200
)

// writeLeadsCSV writes n realistic rows (the columns of a CRM export).
func writeLeadsCSV(path string, n int) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "LinkedIn URL,First Name,Last Name,Company,Title,Email,Location,Tags")
	companies := []string{"Acme Corp", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Soylent"}
	titles := []string{"Head of Sales", "CTO", "Recruiter", "VP Marketing", "Founder", "Account Executive", "Engineering Manager"}
	cities := []string{"Berlin", "Rome", "London", "New York", "Paris", "Madrid", "Amsterdam"}
	for i := range n {
		c := companies[i%len(companies)]
		fmt.Fprintf(w, "https://www.linkedin.com/in/person-%d-%x/,First%d,Last%d,%s,%s,person%d@example.com,%s,\"tag%d, q%d\"\n",
			i, i*2654435761%0xffffff, i, i, c, titles[i%len(titles)], i, cities[i%len(cities)], i%50, i%4)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	fi, _ := f.Stat()
	return fi.Size(), f.Close()
}

// heapSampler records the largest live heap while it runs.
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	peak atomic.Uint64
}

func sampleHeap() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(h.done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > h.peak.Load() {
				h.peak.Store(v)
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) finish() uint64 {
	close(h.stop)
	<-h.done
	return h.peak.Load()
}

// importOnce imports path into a fresh database in dir and returns the
// time it took, the peak live heap and the run.
func importOnce(ctx context.Context, dir, path string) (time.Duration, uint64, model.ImportRun, *storage.Store, error) {
	store, err := storage.Open(storage.Options{Path: filepath.Join(dir, "leads.db")})
	if err != nil {
		return 0, 0, model.ImportRun{}, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		store.Close()
		return 0, 0, model.ImportRun{}, nil, err
	}
	defer f.Close()
	svc := campaigns.New(store)
	h := sampleHeap()
	t0 := time.Now()
	run, err := svc.Import(ctx, f, campaigns.ImportOptions{File: filepath.Base(path), List: "bench"}, model.Origin{Actor: "bench"})
	took := time.Since(t0)
	peak := h.finish()
	if err == nil && run.Imported == 0 {
		err = fmt.Errorf("nothing imported: %+v", run)
	}
	return took, peak, run, store, err
}

// parseOnly reads the whole file with the CSV reader (the parsing part of
// an import), the baseline for the import time.
func parseOnly(path string) (time.Duration, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	t0 := time.Now()
	rd, err := csvin.Open(f, csvin.Options{})
	if err != nil {
		return 0, 0, err
	}
	n := 0
	for {
		if _, err := rd.Next(); err == io.EOF {
			break
		} else if err != nil {
			return 0, 0, err
		}
		n++
	}
	return time.Since(t0), n, nil
}

// benchLeads measures issue 4's figures: importing 100k leads, searching
// and filtering them, and serving the leads page over HTTP.
func benchLeads(ctx context.Context, e *env) (*section, error) {
	sec := &section{name: "leads", title: "leads: import, search and the leads page at 100k leads",
		intro: fmt.Sprintf("A generated CSV of %d leads (the columns of a CRM export: profile URL, names, company, title, e-mail, location, tags) is imported into a fresh database; then searches and the leads page run against those leads. Import time is compared with parsing the same file alone; page latency with /healthz through the same router.", leadRows)}
	big, small := filepath.Join(e.work, "leads-100k.csv"), filepath.Join(e.work, "leads-20k.csv")
	size, err := writeLeadsCSV(big, leadRows)
	if err != nil {
		return nil, err
	}
	if _, err := writeLeadsCSV(small, leadRowsSmall); err != nil {
		return nil, err
	}
	var parse, imp series
	var peak uint64
	var store *storage.Store
	for i := 0; i <= e.cfg.runs; i++ { // run 0 is the warm-up
		d, _, err := parseOnly(big)
		if err != nil {
			return nil, err
		}
		dir := filepath.Join(e.work, fmt.Sprintf("import-%d", i))
		os.MkdirAll(dir, 0o700)
		took, p, run, s, err := importOnce(ctx, dir, big)
		if err != nil {
			return nil, err
		}
		if store != nil {
			store.Close()
		}
		store = s
		if i == 0 {
			continue
		}
		if run.Imported != leadRows {
			return nil, fmt.Errorf("imported %d of %d", run.Imported, leadRows)
		}
		parse, imp, peak = append(parse, d.Seconds()), append(imp, took.Seconds()), max(peak, p)
	}
	defer store.Close()
	dir := filepath.Join(e.work, "import-small")
	os.MkdirAll(dir, 0o700)
	_, peakSmall, _, s, err := importOnce(ctx, dir, small)
	if err != nil {
		return nil, err
	}
	s.Close()
	sec.goal(fmt.Sprintf("import of %d rows (%s file), parsing + storing", leadRows, fmtMB(size)), imp.fmtDur(),
		"< 3 s", check(secs(imp.median()) < importGoal))
	sec.add("baseline: parsing the same file alone", parse.fmtDur())
	sec.add("ratio import / parse (medians)", fmt.Sprintf("%.2fx", imp.median()/parse.median()))
	sec.add("import rate", fmt.Sprintf("%.0f rows/s", float64(leadRows)/imp.median()))
	sec.goal(fmt.Sprintf("peak live heap during the import: %d rows vs %d rows", leadRows, leadRowsSmall),
		fmt.Sprintf("%s vs %s (%.2fx for %dx the rows)", fmtMB(int64(peak)), fmtMB(int64(peakSmall)), float64(peak)/float64(peakSmall), leadRows/leadRowsSmall),
		"bounded by the batch, not the file", check(float64(peak) < 2*float64(peakSmall)))

	if err := benchSearch(sec, store); err != nil {
		return nil, err
	}
	return sec, benchLeadsPage(ctx, e, sec, store)
}

func benchSearch(sec *section, store *storage.Store) error {
	svc := campaigns.New(store)
	yes := false
	queries := []struct {
		name string
		q    campaigns.Query
	}{
		{"first page, newest first", campaigns.Query{}},
		{"text in 1 of 8 leads (\"globex\")", campaigns.Query{Text: "globex"}},
		{"text matching nothing (full scan)", campaigns.Query{Text: "no such person"}},
		{"tag filter (\"tag7\", 1 in 50)", campaigns.Query{Tag: "tag7"}},
		{"state + replied filter", campaigns.Query{State: model.LeadNew, Replied: &yes}},
		{"sorted by name, text filter", campaigns.Query{Text: "cto", Order: storage.OrderName}},
		{"list filter, recently changed first", campaigns.Query{ListID: 1, Order: storage.OrderUpdated}},
	}
	var worst time.Duration
	for _, q := range queries {
		var ls []time.Duration
		for range searchRequests {
			t0 := time.Now()
			if _, err := svc.Search(q.q); err != nil {
				return err
			}
			ls = append(ls, time.Since(t0))
		}
		l := summarize(ls)
		worst = max(worst, l.p99)
		sec.add("search: "+q.name, fmt.Sprintf("p50 %s, p99 %s", fmtDur(l.p50), fmtDur(l.p99)))
	}
	sec.goal(fmt.Sprintf("search and filter on %d leads: worst p99 of the queries above (%d runs each)", leadRows, searchRequests),
		fmtDur(worst), "< 20 ms", check(worst < searchGoal))
	return nil
}

// benchLeadsPage serves the real router over the imported leads and
// measures GET /leads for a signed-in user.
func benchLeadsPage(ctx context.Context, e *env, sec *section, store *storage.Store) error {
	paths := appconfig.Paths{Root: filepath.Join(e.work, "page-data")}
	if err := paths.Ensure(); err != nil {
		return err
	}
	log := slog.New(slog.DiscardHandler)
	sv := security.New(security.Options{Store: store, Logger: log})
	if err := sv.SetPassword("bench", "benchmark password", "bench", security.Meta{}); err != nil {
		return err
	}
	login, err := sv.Login("bench", "benchmark password", security.Meta{PeerIP: "127.0.0.1"})
	if err != nil {
		return err
	}
	bk, err := backups.New(backups.Options{Store: store, Paths: paths})
	if err != nil {
		return err
	}
	leads := campaigns.New(store)
	srv, err := web.New(web.Options{Store: store, Backups: bk, Security: sv, Hub: live.New(store, log), Logger: log,
		Accounts: accounts.New(store), Campaigns: leads, Imports: campaigns.NewRunner(leads, paths.Imports(), log),
		Config: appconfig.Config{Paths: paths, SessionIdle: time.Hour, SessionMaxAge: 12 * time.Hour}, Version: "bench", StartedAt: time.Now()})
	if err != nil {
		return err
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	cookie := &http.Cookie{Name: security.CookieName(false), Value: login.Token}
	measure := func(path string, total, clients int, withCookie bool) (latencies, int64) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		defer client.CloseIdleConnections()
		var mu sync.Mutex
		var ls []time.Duration
		var failed atomic.Int64
		var next atomic.Int64
		var wg sync.WaitGroup
		for range clients {
			wg.Go(func() {
				for next.Add(1) <= int64(total) && ctx.Err() == nil {
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+path, nil)
					if withCookie {
						req.AddCookie(cookie)
					}
					t0 := time.Now()
					resp, err := client.Do(req)
					d := time.Since(t0)
					if err != nil {
						failed.Add(1)
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						failed.Add(1)
					}
					mu.Lock()
					ls = append(ls, d)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return summarize(ls), failed.Load()
	}
	measure("/leads", 100, 1, true) // warm-up
	one, f1 := measure("/leads", 1000, 1, true)
	eight, f8 := measure("/leads", 4000, 8, true)
	health, _ := measure("/healthz", 1000, 1, false)
	sec.goal("GET /leads (50 of 100k leads, signed in), 1 client, 1000 requests", fmt.Sprintf("p50 %s, p99 %s", fmtDur(one.p50), fmtDur(one.p99)),
		"p99 ≤ 2 ms", check(one.p99 <= listGoal1))
	sec.goal("GET /leads, 8 concurrent clients, 4000 requests", fmt.Sprintf("p50 %s, p99 %s", fmtDur(eight.p50), fmtDur(eight.p99)),
		"p99 ≤ 10 ms", check(eight.p99 <= listGoal8))
	sec.add("baseline: GET /healthz, 1 client, same router", fmt.Sprintf("p50 %s, p99 %s", fmtDur(health.p50), fmtDur(health.p99)))
	sec.add("ratio /leads p99 / /healthz p99 (1 client)", fmt.Sprintf("%.1fx", float64(one.p99)/float64(health.p99)))
	sec.add("requests that did not answer 200", fmt.Sprint(f1+f8))
	return nil
}
