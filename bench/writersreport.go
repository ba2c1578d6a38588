//go:build linux

package main

import (
	"fmt"
	"time"
)

// writersSection turns the measured runs into the report table.
func writersSection(runs []writersRun) *section {
	s := &section{name: "writers", title: "writers: commit latency while a snapshot runs",
		intro: fmt.Sprintf("%d goroutines each loop committing one small event (`store.Update` + `tx.AppendEvent`, fsynced), "+
			"first for %s without a snapshot (baseline), then for the whole duration of one `SnapshotToFile` of the database. "+
			"Per window: commits, p50, p99 and max latency; medians over the runs with min–max in brackets, except max, which is the worst of all runs.",
			writerCount, fmtDur(baselineWindow))}
	base := pickWindows(runs, func(r writersRun) window { return r.base })
	during := pickWindows(runs, func(r writersRun) window { return r.during })
	addWindows(s, "baseline (no snapshot)", base)
	addWindows(s, "during SnapshotToFile", during)
	s.add("SnapshotToFile duration while writers run", pickRuns(runs, func(r writersRun) float64 { return r.snapTook.Seconds() }).fmtDur())

	p99During := pick(during, func(w window) float64 { return w.lat.p99.Seconds() })
	p99Base := pick(base, func(w window) float64 { return w.lat.p99.Seconds() })
	worst := secs(pick(during, func(w window) float64 { return w.lat.max.Seconds() }).max())
	s.goal("p99 commit latency during snapshot", fmtDur(secs(p99During.median())), "<= "+fmtDur(p99Goal), check(secs(p99During.median()) <= p99Goal))
	s.goal("max commit latency during snapshot (stall), worst run", fmtDur(worst), "<= "+fmtDur(stallGoal), check(worst <= stallGoal))
	s.add("ratio p99(during) / p99(baseline)", fmtRatio(p99During.median()/p99Base.median()))
	s.add("ratio commits/s (during) / commits/s (baseline)",
		fmtRatio(pick(during, window.perSecond).median()/pick(base, window.perSecond).median()))

	// The phase split pools the commits of all runs.
	var copyPart, flushPart []time.Duration
	for _, r := range runs {
		copyPart = append(copyPart, r.copyPart...)
		flushPart = append(flushPart, r.flushPart...)
	}
	copyTook := pickRuns(runs, func(r writersRun) float64 { return r.copyTook.Seconds() })
	var fsyncTook series // runs where the rename was seen
	for _, r := range runs {
		if r.fsyncTook > 0 {
			fsyncTook = append(fsyncTook, r.fsyncTook.Seconds())
		}
	}
	cp, fl := summarize(copyPart), summarize(flushPart)
	s.add("during SnapshotToFile, split: commits that finished while the copy (read + hash + write) ran, all runs pooled: count, p99, max",
		fmt.Sprintf("%d, %s, %s (copy phase %s)", cp.count, fmtDur(cp.p99), fmtDur(cp.max), copyTook.fmtDur()))
	s.add("during SnapshotToFile, split: commits in flight when the last byte was written or started after (snapshot fsync, rename, .sha256, manifest): count, p99, max",
		fmt.Sprintf("%d, %s, %s (fsync of the snapshot %s, seen in %d of %d runs)", fl.count, fmtDur(fl.p99), fmtDur(fl.max), fsyncTook.fmtDur(), len(fsyncTook), len(runs)))
	s.note("The split watches SnapshotToFile's temp file from outside, every %s: the copy phase ends when the file reaches the snapshot's size, the fsync ends when the file is renamed.", fmtDur(watchInterval))
	return s
}

// addWindows adds the rows describing one kind of window over all runs.
func addWindows(s *section, label string, ws []window) {
	count := pick(ws, func(w window) float64 { return float64(w.lat.count) })
	perSec := pick(ws, window.perSecond)
	s.add(label+": commits (commits/s)", fmt.Sprintf("%s (%s/s)",
		count.fmtWith(func(x float64) string { return fmt.Sprintf("%.0f", x) }),
		perSec.fmtWith(func(x float64) string { return fmt.Sprintf("%.0f", x) })))
	s.add(label+": p50", pick(ws, func(w window) float64 { return w.lat.p50.Seconds() }).fmtDur())
	s.add(label+": p99", pick(ws, func(w window) float64 { return w.lat.p99.Seconds() }).fmtDur())
	s.add(label+": max (worst run)", fmtDur(secs(pick(ws, func(w window) float64 { return w.lat.max.Seconds() }).max())))
}

// pick extracts one figure from every window.
func pick(ws []window, f func(window) float64) series {
	out := make(series, len(ws))
	for i, w := range ws {
		out[i] = f(w)
	}
	return out
}

// pickWindows extracts one window from every run.
func pickWindows(runs []writersRun, f func(writersRun) window) []window {
	out := make([]window, len(runs))
	for i, r := range runs {
		out[i] = f(r)
	}
	return out
}

// pickRuns extracts one figure from every run.
func pickRuns(runs []writersRun, f func(writersRun) float64) series {
	out := make(series, len(runs))
	for i, r := range runs {
		out[i] = f(r)
	}
	return out
}
