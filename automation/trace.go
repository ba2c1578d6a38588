package automation

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"time"

	"parley/app/model"
)

// Trace is the action log of one attempt at a job: the runtime puts one in
// the context it hands a Site, the Site notes each step it takes, and the
// runtime stores the log with the job. Every method is safe on a nil Trace,
// so a Site works the same without one.
type Trace struct {
	mu       sync.Mutex
	start    time.Time
	last     time.Time
	steps    []model.JobStep
	dropped  int
	evidence string
}

// NewTrace starts an attempt's log now.
func NewTrace() *Trace {
	now := time.Now()
	return &Trace{start: now, last: now}
}

type traceKey struct{}

// WithTrace returns ctx carrying tr.
func WithTrace(ctx context.Context, tr *Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, tr)
}

// TraceOf returns the Trace in ctx (nil when there is none).
func TraceOf(ctx context.Context) *Trace {
	tr, _ := ctx.Value(traceKey{}).(*Trace)
	return tr
}

// Step notes a step that has just ended; it took the time since the
// previous step.
func (tr *Trace) Step(format string, args ...any) { tr.note(false, format, args...) }

// Fail notes a step that failed.
func (tr *Trace) Fail(format string, args ...any) { tr.note(true, format, args...) }

func (tr *Trace) note(failed bool, format string, args ...any) {
	if tr == nil {
		return
	}
	now := time.Now()
	tr.mu.Lock()
	defer tr.mu.Unlock()
	took := now.Sub(tr.last)
	tr.last = now
	if len(tr.steps) >= model.MaxJobSteps-1 && !failed {
		tr.dropped++
		return
	}
	tr.steps = append(tr.steps, model.JobStep{
		AtMS: now.Sub(tr.start).Milliseconds(), TookMS: took.Milliseconds(),
		What: fmt.Sprintf(format, args...), Failed: failed,
	})
}

// Keep records the screenshot kept as evidence (relative to the evidence
// folder); the first one kept is the one that counts.
func (tr *Trace) Keep(evidence string) {
	if tr == nil || evidence == "" {
		return
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.evidence == "" {
		tr.evidence = evidence
	}
}

// Evidence is the screenshot kept during the attempt ("" when none).
func (tr *Trace) Evidence() string {
	if tr == nil {
		return ""
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.evidence
}

// Attempt is the log so far as an attempt that began at started (by the
// runtime's clock) and ended with outcome.
func (tr *Trace) Attempt(started time.Time, outcome string, failed bool) model.JobAttempt {
	a := model.JobAttempt{Started: started, Outcome: outcome, Failed: failed}
	if tr == nil {
		return a
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	a.TookMS = time.Since(tr.start).Milliseconds()
	a.Steps = append([]model.JobStep(nil), tr.steps...)
	if tr.dropped > 0 {
		a.Steps = append(a.Steps, model.JobStep{AtMS: a.TookMS, What: fmt.Sprintf("… and %d more steps", tr.dropped)})
	}
	a.Evidence = tr.evidence
	return a
}

// evidenceNote is how a Site's error names the evidence it kept:
// "(evidence: account-3/20261204T101500.000Z-checkpoint.png)".
var evidenceNote = regexp.MustCompile(`\(evidence: ([A-Za-z0-9._/-]+)\)`)

// EvidenceNote is the words an error message carries to name evidence.
func EvidenceNote(rel string) string { return "(evidence: " + rel + ")" }

// EvidenceIn lists the evidence files the texts name, in order, once each.
func EvidenceIn(texts ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range texts {
		for _, m := range evidenceNote.FindAllStringSubmatch(t, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				out = append(out, m[1])
			}
		}
	}
	return out
}
