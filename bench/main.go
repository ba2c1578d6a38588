//go:build linux

// Command bench measures Parley's performance figures and prints a Markdown
// report to stdout (progress goes to stderr):
//
//   - snapshot:  Store.SnapshotToFile throughput against cp+sync, sha256sum
//     and a naive io.MultiWriter copy of the same database file;
//   - writers:   fsynced commit latency while a snapshot runs, with a bbolt
//     contrast that has to grow its memory map during the snapshot;
//   - coldstart: time from starting the real binary to /healthz answering;
//   - memory:    anonymous resident memory idle and after a page-load burst;
//   - leads:     import, search and the leads page at 100k leads;
//   - queue:     enqueue → claim → complete cycles/s of the storage job
//     queue against goqite on SQLite (WAL, synchronous=FULL), 1 and 8
//     workers, with the commits and grouped operations actually counted;
//   - scheduler: runtime.Round time with 100k queued jobs across 10
//     accounts, against the same rounds with 1k jobs.
//   - browsermem: PSS of one shared headless browser with 1, 3 and 8
//     account contexts, against the bare browser and against separate
//     persistent-profile browsers.
//   - browseraction: p50 time of each LinkedIn driver action (visit,
//     invite with a note, connection check, sent invitations, withdraw,
//     message, inbox, canary) against the test site, its deliberate
//     pauses left out, against the same page loads and clicks done with
//     bare playwright calls.
//
// Every speed figure is reported in absolute units and as a ratio against a
// baseline measured in the same run. Run it from the repository root:
//
//	go run ./bench [-size MB] [-runs N] [-dir DIR] [-queue-cycles N] [-only snapshot,writers,coldstart,memory,leads,queue,scheduler,browsermem,browseraction]
//
// All sizes use decimal megabytes (1 MB = 1,000,000 bytes).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"
)

// benchNames lists the benchmarks in the order they run.
var benchNames = []string{"snapshot", "writers", "coldstart", "memory", "leads", "queue", "scheduler", "browsermem", "browseraction"}

// ownData are the benchmarks that make their own data; the others share
// the generated database (and -size applies to them only).
var ownData = []string{"leads", "queue", "scheduler", "browsermem", "browseraction"}

// defaultQueueCycles is the default of -queue-cycles.
const defaultQueueCycles = 2000

// config holds the parsed command line.
type config struct {
	sizeMB     int
	dir        string
	runs       int
	only       []string
	cpuProfile string
	// queueCycles is the number of queue cycles per measured run.
	queueCycles int
}

// env is what every benchmark shares: the configuration, the work
// directory (removed at the end) and the generated database.
type env struct {
	cfg    config
	work   string
	dbPath string
	db     dbInfo
	// binary is the path of the built parley executable ("" until built).
	binary string
}

// benchFunc runs one benchmark and returns its report section.
type benchFunc func(ctx context.Context, e *env) (*section, error)

var benches = map[string]benchFunc{
	"snapshot":      benchSnapshot,
	"writers":       benchWriters,
	"coldstart":     benchColdStart,
	"memory":        benchMemory,
	"leads":         benchLeads,
	"queue":         benchQueue,
	"scheduler":     benchScheduler,
	"browsermem":    benchBrowserMem,
	"browseraction": benchBrowserAction,
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	stopProfile := func() {}
	if cfg.cpuProfile != "" {
		if stopProfile, err = startCPUProfile(cfg.cpuProfile); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(2)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, cfg, os.Stdout)
	stop()
	stopProfile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	var cfg config
	var only string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(&cfg.sizeMB, "size", 500, "MB of database to generate")
	fs.StringVar(&cfg.dir, "dir", "", "work directory (a new directory is created inside it and removed at the end; default under "+os.TempDir()+"); needs about 2.5x -size of free disk, about 3x during the writers contrast")
	fs.IntVar(&cfg.runs, "runs", 3, "measured runs per figure (after one warm-up run); the median is reported")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (for go tool pprof)")
	fs.IntVar(&cfg.queueCycles, "queue-cycles", defaultQueueCycles, "queue benchmark: cycles per run (1 worker runs them all; 8 workers run an eighth each)")
	fs.StringVar(&only, "only", "", "comma-separated benchmarks to run: "+strings.Join(benchNames, ","))
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.sizeMB < 1 {
		return cfg, errors.New("-size must be at least 1")
	}
	if cfg.queueCycles < 1 {
		return cfg, errors.New("-queue-cycles must be at least 1")
	}
	if cfg.runs < 1 {
		return cfg, errors.New("-runs must be at least 1")
	}
	if only == "" {
		cfg.only = benchNames
		return cfg, nil
	}
	for name := range strings.SplitSeq(only, ",") {
		name = strings.TrimSpace(name)
		if _, ok := benches[name]; !ok {
			return cfg, fmt.Errorf("-only: unknown benchmark %q (want some of %s)", name, strings.Join(benchNames, ","))
		}
		cfg.only = append(cfg.only, name)
	}
	return cfg, nil
}

// run generates the database, runs the selected benchmarks in order and
// writes the report to out. The work directory is removed however it ends.
func run(ctx context.Context, cfg config, out io.Writer) (err error) {
	started := time.Now()
	parent := cfg.dir
	if parent == "" {
		parent = os.TempDir()
	}
	work, err := os.MkdirTemp(parent, "parley-bench-")
	if err != nil {
		return fmt.Errorf("create work directory: %w", err)
	}
	defer func() {
		rerr := os.RemoveAll(work)
		if rerr != nil && err == nil {
			err = fmt.Errorf("remove work directory: %w", rerr)
		}
		if rerr == nil {
			progress("removed work directory %s", work)
		}
	}()
	progress("work directory %s", work)

	e := &env{cfg: cfg, work: work, dbPath: filepath.Join(work, "parley.db")}
	if slices.ContainsFunc(cfg.only, func(n string) bool { return !slices.Contains(ownData, n) }) {
		if e.db, err = generateDB(ctx, e.dbPath, int64(cfg.sizeMB)*1e6); err != nil {
			return fmt.Errorf("generate database: %w", err)
		}
	}
	printHeader(out, e)

	var failed []string
	for _, name := range benchNames {
		if !slices.Contains(cfg.only, name) {
			continue
		}
		progress("benchmark %s: start", name)
		t0 := time.Now()
		sec, berr := benches[name](ctx, e)
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted during %s: %w", name, ctx.Err())
		}
		if berr != nil {
			progress("benchmark %s failed: %v", name, berr)
			failed = append(failed, name)
			sec = &section{name: name, title: name, notes: []string{"FAILED: " + berr.Error()}}
		}
		sec.took = time.Since(t0)
		sec.render(out, cfg)
		progress("benchmark %s: done in %s", name, fmtDur(sec.took))
	}
	fmt.Fprintf(out, "\nTotal wall time of this run (generation included): %s. Load average at the end: %s.\n", fmtDur(time.Since(started)), loadAvg())
	if len(failed) > 0 {
		return fmt.Errorf("benchmarks failed: %s", strings.Join(failed, ", "))
	}
	return nil
}

// progress prints one timestamped line to stderr.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[bench %s] %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

// startCPUProfile profiles the process into path until the returned
// function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
