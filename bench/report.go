//go:build linux

package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// verdict is the outcome of one figure against its goal.
type verdict int

const (
	info verdict = iota // no goal: reported for context
	pass
	miss
)

func (v verdict) String() string {
	return [...]string{"—", "pass", "**miss**"}[v]
}

// check returns pass when ok holds, miss otherwise.
func check(ok bool) verdict {
	if ok {
		return pass
	}
	return miss
}

// row is one figure of a report table.
type row struct {
	figure, value, goal string
	verdict             verdict
}

// section is the report of one benchmark: one table plus notes.
type section struct {
	name  string // benchmark name, used in the reproduce command
	title string
	intro string
	rows  []row
	notes []string
	took  time.Duration
}

// add appends a row without a goal.
func (s *section) add(figure, value string) {
	s.rows = append(s.rows, row{figure: figure, value: value, goal: "", verdict: info})
}

// goal appends a row judged against a goal.
func (s *section) goal(figure, value, goal string, v verdict) {
	s.rows = append(s.rows, row{figure: figure, value: value, goal: goal, verdict: v})
}

// note appends a paragraph under the table.
func (s *section) note(format string, args ...any) {
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
}

// reproduce is the command that measures every figure of the section again.
func reproduce(name string, cfg config) string {
	if name == "queue" && cfg.queueCycles != defaultQueueCycles {
		return fmt.Sprintf("go run ./bench -only %s -runs %d -queue-cycles %d", name, cfg.runs, cfg.queueCycles)
	}
	if slices.Contains(ownData, name) { // makes its own data; -size does not apply
		return fmt.Sprintf("go run ./bench -only %s -runs %d", name, cfg.runs)
	}
	return fmt.Sprintf("go run ./bench -only %s -size %d -runs %d", name, cfg.sizeMB, cfg.runs)
}

// commandLine is the command that runs the selected benchmarks again,
// naming -size and -queue-cycles only when they apply.
func commandLine(cfg config) string {
	cmd := "go run ./bench"
	if slices.ContainsFunc(cfg.only, func(n string) bool { return !slices.Contains(ownData, n) }) {
		cmd += fmt.Sprintf(" -size %d", cfg.sizeMB)
	}
	cmd += fmt.Sprintf(" -runs %d", cfg.runs)
	if slices.Contains(cfg.only, "queue") && cfg.queueCycles != defaultQueueCycles {
		cmd += fmt.Sprintf(" -queue-cycles %d", cfg.queueCycles)
	}
	return cmd + " -only " + strings.Join(cfg.only, ",")
}

// render writes the section as Markdown.
func (s *section) render(w io.Writer, cfg config) {
	fmt.Fprintf(w, "\n## %s\n\n", s.title)
	if s.intro != "" {
		fmt.Fprintf(w, "%s\n\n", s.intro)
	}
	cmd := "`" + reproduce(s.name, cfg) + "`"
	if len(s.rows) > 0 {
		fmt.Fprintln(w, "| figure | measured | goal | pass/miss | reproduce (in the repository root) |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
		for _, r := range s.rows {
			goal := r.goal
			if goal == "" {
				goal = "—"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", cell(r.figure), cell(r.value), cell(goal), r.verdict, cmd)
		}
		fmt.Fprintln(w)
	}
	for _, n := range s.notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
	fmt.Fprintf(w, "- Every figure in this table: %s (this benchmark took %s).\n", cmd, fmtDur(s.took))
}

// cell escapes the table separator.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// printHeader writes the report title and the machine and database facts.
func printHeader(w io.Writer, e *env) {
	fmt.Fprintln(w, "# Parley benchmarks")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "- Date: %s\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "- Machine: %s, %d cores, Linux %s, %s %s/%s\n",
		cpuModel(), runtime.NumCPU(), kernelRelease(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "- Command: `%s` (one warm-up run, then %d measured run(s); medians reported, min–max in brackets)\n",
		commandLine(e.cfg), e.cfg.runs)
	if d := e.db; d.values > 0 {
		fmt.Fprintf(w, "- Database: %s of used pages (tx.Size()), file %s (%s allocated on disk), %d filler values of 2–4 KiB in %q; generated in %s\n",
			fmtMB(d.txSize), fmtMB(d.fileSize), fmtMB(d.allocSize), d.values, fillBucket, fmtDur(d.took))
	}
	fmt.Fprintln(w, "- Units: 1 MB = 1,000,000 bytes. The page cache is warm for every measurement (nothing drops caches).")
	fmt.Fprintf(w, "- Load average (1, 5, 15 min) when the benchmarks started: %s — other processes share this machine; the ratios, measured in the same run, are the figures to compare.\n", loadAvg())
}

// loadAvg is the 1, 5 and 15 minute load averages from /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

// cpuModel reads the CPU model name from /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func kernelRelease() string {
	b, err := os.ReadFile("/proc/sys/kernel/osrelease")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

// fmtDur prints a duration with three significant digits in a fitting unit.
func fmtDur(d time.Duration) string {
	// The bounds sit just below the unit so 999.7 ms prints as 1 s.
	switch {
	case d < 999500*time.Nanosecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < 999500*time.Microsecond:
		return fmt.Sprintf("%.3g ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.3g s", d.Seconds())
	}
}

// fmtMB prints a byte count in decimal megabytes.
func fmtMB(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/1e6) }

// fmtRatio prints a ratio such as 0.83x.
func fmtRatio(x float64) string { return fmt.Sprintf("%.2fx", x) }

// rate is bytes per second in MB/s.
func rate(bytes int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(bytes) / 1e6 / d.Seconds()
}
