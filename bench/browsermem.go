//go:build linux

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mxschmitt/playwright-go"

	"parley/automation"
	"parley/automation/browser"
)

const (
	// browserSettle is the pause before each reading: page work and the
	// browser's own start-up settle.
	browserSettle   = 3 * time.Second
	perAccountGoal  = 75.0   // MB of PSS per additional account
	eightTotalGoal  = 1200.0 // MB of PSS for 8 accounts in total
	persistentCount = 3
)

// browserAccounts are the account counts measured in the shared browser.
var browserAccounts = []int{1, 3, 8}

// browserRun is one run's readings: by the number of account contexts
// open in the shared browser (0 is the bare browser), and the contrast.
type browserRun struct {
	shared     map[int]pssReading
	persistent pssReading
	version    string
}

// benchBrowserMem measures the proportional set size (PSS) of one shared
// headless Chromium with 0, 1, 3 and 8 account contexts, each with a page
// open on a realistic local page, and of separate persistent-profile
// browsers for 3 accounts.
func benchBrowserMem(ctx context.Context, e *env) (*section, error) {
	b, err := automation.FindBrowser(os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("browsermem: %w", err)
	}
	page := heavyPage()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	defer site.Close()
	var runs []browserRun
	for run := 0; run <= e.cfg.runs; run++ {
		r, err := browserMemRun(ctx, e, b, site.URL, run)
		if err != nil {
			return nil, fmt.Errorf("browsermem: %w", err)
		}
		progress("browsermem run %d/%d%s: PSS bare %.1f MB; 1/3/8 accounts %.1f / %.1f / %.1f MB; %d persistent browsers %.1f MB (other Chromium processes: %d)",
			run, e.cfg.runs, map[bool]string{true: " (warm-up)"}[run == 0], r.shared[0].total, r.shared[1].total, r.shared[3].total, r.shared[8].total,
			persistentCount, r.persistent.total, r.maxOthers())
		if run > 0 {
			runs = append(runs, r)
		}
	}
	return browserMemSection(b, len(page), runs), nil
}

// maxOthers is the most Chromium processes outside Parley's seen at a reading.
func (r browserRun) maxOthers() int {
	n := r.persistent.others
	for _, x := range r.shared {
		n = max(n, x.others)
	}
	return n
}

// browserMemRun measures one shared pool, then the persistent contrast.
func browserMemRun(ctx context.Context, e *env, b automation.Browser, url string, run int) (r browserRun, err error) {
	r.shared = map[int]pssReading{}
	pool, err := browser.Open(browser.Options{Dir: filepath.Join(e.work, fmt.Sprintf("browsermem-%d", run)), Browser: b,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return r, err
	}
	defer pool.Close()
	if err := pool.Start(ctx); err != nil {
		return r, err
	}
	for n := 0; n <= browserAccounts[len(browserAccounts)-1]; n++ {
		if n > 0 {
			c, err := pool.Context(ctx, uint64(n))
			if err != nil {
				return r, err
			}
			r.version = c.Browser().Version()
			p, err := c.NewPage()
			if err != nil {
				return r, err
			}
			if _, err := p.Goto(url); err != nil {
				return r, err
			}
		}
		if n > 0 && !slices.Contains(browserAccounts, n) {
			continue
		}
		if err := sleepCtx(ctx, browserSettle); err != nil {
			return r, err
		}
		if r.shared[n], err = browserPSS(); err != nil {
			return r, err
		}
	}
	if err := pool.Close(); err != nil {
		return r, err
	}
	r.persistent, err = persistentPSS(ctx, e, b, url, run)
	return r, err
}

// persistentPSS launches persistentCount browsers, each with its own
// persistent profile and a page on url, and reads their PSS together.
func persistentPSS(ctx context.Context, e *env, b automation.Browser, url string, run int) (pssReading, error) {
	pw, err := playwright.Run(&playwright.RunOptions{Verbose: false})
	if err != nil {
		return pssReading{}, err
	}
	defer pw.Stop()
	for i := range persistentCount {
		dir := filepath.Join(e.work, fmt.Sprintf("profile-%d-%d", run, i))
		c, err := pw.Chromium.LaunchPersistentContext(dir, playwright.BrowserTypeLaunchPersistentContextOptions{
			ExecutablePath: playwright.String(b.Path), Headless: playwright.Bool(true), Args: automation.LaunchArgs()})
		if err != nil {
			return pssReading{}, err
		}
		defer c.Close()
		var p playwright.Page
		if open := c.Pages(); len(open) > 0 { // the page the profile opened with
			p = open[0]
		} else if p, err = c.NewPage(); err != nil {
			return pssReading{}, err
		}
		if _, err := p.Goto(url); err != nil {
			return pssReading{}, err
		}
	}
	if err := sleepCtx(ctx, browserSettle); err != nil {
		return pssReading{}, err
	}
	return browserPSS()
}

// pssReading is the memory of the browser processes started under this
// process, in MB.
type pssReading struct {
	// total is Pss; anon is Pss_Anon + Pss_Shmem (the processes' own
	// memory); total − anon is Pss_File, mostly the browser's code, whose
	// share depends on how many Chromium processes run on the machine.
	total, anon float64
	procs       int
	// others counts Chromium processes on the machine outside this tree
	// (they take a share of the code pages).
	others int
}

// browserPSS sums smaps_rollup over every browser process started under
// this process: descendants of the playwright drivers, which are
// themselves left out.
func browserPSS() (r pssReading, err error) {
	parent := map[int]int{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return r, err
	}
	for _, d := range entries {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if ppid, ok := procPPID(pid); ok {
			parent[pid] = ppid
		}
	}
	self := os.Getpid()
	var kb [2]int64
	for pid := range parent {
		driver, under := 0, false
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == self {
				under = true
				break
			}
			if procComm(p) == "node" {
				driver = p
			}
		}
		comm := procComm(pid)
		if !under {
			if comm == "chromium" || comm == "chrome" || comm == "headless_shell" || comm == "msedge" {
				r.others++
			}
			continue
		}
		if driver == 0 || comm == "node" {
			continue
		}
		v, err := procSmaps(pid, "Pss", "Pss_Anon", "Pss_Shmem")
		if err != nil {
			continue // exited meanwhile
		}
		kb[0] += v[0]
		kb[1] += v[1] + v[2]
		r.procs++
	}
	if r.procs == 0 {
		return r, fmt.Errorf("no browser processes found under pid %d", self)
	}
	r.total, r.anon = float64(kb[0])*1024/1e6, float64(kb[1])*1024/1e6
	return r, nil
}

// procPPID reads the parent pid from /proc/PID/stat (after the command
// name, which may contain spaces and parentheses).
func procPPID(pid int) (int, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(f[1])
	return ppid, err == nil
}

func procComm(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}

// procSmaps reads the named kB lines of /proc/PID/smaps_rollup.
func procSmaps(pid int, names ...string) ([]int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out, found := make([]int64, len(names)), 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if i := slices.Index(names, k); ok && i >= 0 {
			if out[i], err = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64); err != nil {
				return nil, err
			}
			found++
		}
	}
	if found != len(names) {
		return nil, fmt.Errorf("pid %d: smaps_rollup lacks some of %v", pid, names)
	}
	return out, sc.Err()
}

// browserMemSection turns the runs into the report table.
func browserMemSection(b automation.Browser, pageBytes int, runs []browserRun) *section {
	get := func(f func(browserRun) float64) series {
		out := make(series, len(runs))
		for i, r := range runs {
			out[i] = f(r)
		}
		return out
	}
	mb := func(x float64) string { return fmt.Sprintf("%.1f MB", x) }
	both := func(f func(browserRun) pssReading) string {
		return get(func(r browserRun) float64 { return f(r).total }).fmtWith(mb) + "; own memory " +
			get(func(r browserRun) float64 { return f(r).anon }).fmtWith(mb)
	}
	shared := func(n int) func(browserRun) pssReading { return func(r browserRun) pssReading { return r.shared[n] } }
	s := &section{name: "browsermem", title: "browsermem: one shared browser, one context per account",
		intro: fmt.Sprintf("PSS (proportional set size: each page shared by several processes is split between them) from /proc/PID/smaps_rollup, summed over every process of the browser (%s, %s), found through the parent pids in /proc/*/stat; the playwright driver's Node.js is left out. "+
			"\"Own memory\" is the part that is not file-backed (Pss_Anon + Pss_Shmem); the rest is mostly the browser's code, whose share falls when other Chromium processes run on the machine. "+
			"The baseline is one headless browser started by `browser.Pool` (automation/browser) with no context; then accounts 1 to 8 each get their own context with one page open on a local %.0f KB page (a feed of 60 posts: CSS, scripts, inline SVG avatars, a timer); readings %s after the baseline and after the 1st, 3rd and 8th page loaded. "+
			"The contrast is %d separate browsers, each with its own persistent profile (`LaunchPersistentContext`) and the same page. Goals are judged on the median; min–max in brackets.",
			b.Path, runs[0].version, float64(pageBytes)/1000, fmtDur(browserSettle), persistentCount)}
	s.add(fmt.Sprintf("baseline: the shared browser, no context (%d processes)", runs[0].shared[0].procs), both(shared(0)))
	for _, n := range browserAccounts {
		s.add(fmt.Sprintf("shared browser, %d account(s) (%d processes)", n, runs[0].shared[n].procs), both(shared(n)))
	}
	for _, n := range browserAccounts {
		per := get(func(r browserRun) float64 { return (r.shared[n].total - r.shared[0].total) / float64(n) })
		own := get(func(r browserRun) float64 { return (r.shared[n].anon - r.shared[0].anon) / float64(n) })
		s.goal(fmt.Sprintf("per account above the bare browser with %d account(s): (PSS − baseline) / %d", n, n),
			per.fmtWith(mb)+"; own memory "+own.fmtWith(mb), fmt.Sprintf("<= %.0f MB", perAccountGoal), check(per.median() <= perAccountGoal))
	}
	marginal := get(func(r browserRun) float64 { return (r.shared[8].total - r.shared[1].total) / 7 })
	marginalOwn := get(func(r browserRun) float64 { return (r.shared[8].anon - r.shared[1].anon) / 7 })
	s.goal("per additional account from 1 to 8: (PSS(8) − PSS(1)) / 7", marginal.fmtWith(mb)+"; own memory "+marginalOwn.fmtWith(mb),
		fmt.Sprintf("<= %.0f MB", perAccountGoal), check(marginal.median() <= perAccountGoal))
	eight := get(func(r browserRun) float64 { return r.shared[8].total })
	s.goal("PSS for 8 accounts, in total", eight.fmtWith(mb), fmt.Sprintf("<= %.0f MB", eightTotalGoal), check(eight.median() <= eightTotalGoal))
	persistent := func(r browserRun) pssReading { return r.persistent }
	s.add(fmt.Sprintf("contrast: %d persistent-profile browsers, one page each (%d processes)", persistentCount, runs[0].persistent.procs), both(persistent))
	ratio := func(f func(pssReading) float64) string {
		return fmtRatio(get(func(r browserRun) float64 { return f(r.persistent) }).median() / get(func(r browserRun) float64 { return f(r.shared[persistentCount]) }).median())
	}
	s.add(fmt.Sprintf("ratio %d persistent browsers / the shared browser with %d accounts", persistentCount, persistentCount),
		ratio(func(p pssReading) float64 { return p.total })+"; own memory "+ratio(func(p pssReading) float64 { return p.anon }))
	others := 0
	for _, r := range runs {
		others = max(others, r.maxOthers())
	}
	s.note("Other Chromium processes on the machine (not started by this benchmark) at any reading: at most %d. When there are some, they take a share of the code pages and the PSS totals drop; \"own memory\" does not depend on them.", others)
	s.note("Each run starts a new pool (a new driver and browser) and new profiles; the disk cache is new too, so every page load is a cold load. A real LinkedIn page is heavier and keeps more timers running: these figures are a floor, not a ceiling.")
	return s
}

// heavyPage builds a page of realistic weight (about 200 KB): a style
// sheet, a feed of 60 posts with inline SVG avatars, and a script that
// builds an index of the posts and updates relative times every second.
func heavyPage() string {
	rnd := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("growth pipeline hiring engineering team product launch customers quarterly results remote culture platform data security cloud design research marketing sales partner community event webinar insight roadmap")
	text := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = words[rnd.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}
	var sb strings.Builder
	sb.WriteString("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Feed</title><style>\n")
	for i := range 400 {
		fmt.Fprintf(&sb, ".c%d{margin:%dpx %dpx;padding:%dpx;color:#%06x;border-radius:%dpx;font-size:%.2frem}\n.c%d:hover{background:#%06x}\n",
			i, i%13, i%7, i%11, rnd.IntN(1<<24), i%9, 0.8+float64(i%5)/10, i, rnd.IntN(1<<24))
	}
	sb.WriteString("</style></head><body><header class=\"c1\"><nav>")
	for i := range 12 {
		fmt.Fprintf(&sb, "<a class=\"c%d\" href=\"#s%d\">%s</a>", i, i, text(1))
	}
	sb.WriteString("</nav></header><main id=\"feed\">")
	for i := range 60 {
		fmt.Fprintf(&sb, "<article class=\"post c%d\" id=\"p%d\" data-ts=\"%d\"><svg width=\"48\" height=\"48\" viewBox=\"0 0 48 48\" role=\"img\" aria-label=\"avatar\">"+
			"<circle cx=\"24\" cy=\"24\" r=\"24\" fill=\"#%06x\"/><circle cx=\"24\" cy=\"19\" r=\"9\" fill=\"#fff\"/><path d=\"M8 42c3-9 10-13 16-13s13 4 16 13\" fill=\"#fff\"/>"+
			"<path d=\"M%d %d l6 0 l-3 5z\" fill=\"#%06x\"/></svg><h2>%s</h2><p class=\"headline\">%s</p><p>%s</p><p>%s</p>"+
			"<footer><button class=\"like\">Like</button><button class=\"comment\">Comment</button><button class=\"share\">Repost</button><time>%d h</time></footer></article>",
			i%400, i, 1700000000+i*3600, rnd.IntN(1<<24), rnd.IntN(40), rnd.IntN(40), rnd.IntN(1<<24), text(3), text(8), text(160), text(120), i+1)
	}
	sb.WriteString("</main><script>\n(function(){var posts=[].slice.call(document.querySelectorAll('.post'));var index={};\n")
	for i := range 120 {
		fmt.Fprintf(&sb, "function f%d(p){var t=p.textContent.split(' ');for(var i=0;i<t.length;i++){var w=t[i];index[w]=(index[w]||0)+%d;}return t.length;}\n", i, i+1)
	}
	sb.WriteString("posts.forEach(function(p,i){window['f'+(i%120)](p);p.querySelector('.like').addEventListener('click',function(){p.classList.toggle('liked');});});\n")
	sb.WriteString("setInterval(function(){var now=Date.now()/1000;posts.forEach(function(p){p.querySelector('time').textContent=Math.round((now-p.dataset.ts)/3600)+' h';});},1000);\n")
	sb.WriteString("})();\n</script></body></html>\n")
	return sb.String()
}
