// Package integrity runs bbolt's full consistency check in the background
// after start, so a damaged database is reported without slowing startup.
package integrity

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"parley/app/model"
	"parley/storage"
)

// States of the check.
const (
	StateChecking = "checking"
	StateOK       = "ok"
	StateFailed   = "failed"
)

// Result is the latest outcome.
type Result struct {
	State     string    `json:"state"`
	Detail    string    `json:"detail,omitempty"`
	CheckedAt time.Time `json:"checked_at,omitzero"`
}

// Checker checks the store once, Delay after it starts serving.
type Checker struct {
	Store  *storage.Store
	Clock  model.Clock
	Logger *slog.Logger
	Delay  time.Duration

	mu  sync.Mutex
	res Result
}

// Result returns the latest outcome (StateChecking until the first check
// finishes).
func (c *Checker) Result() Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.res.State == "" {
		return Result{State: StateChecking}
	}
	return c.res
}

// Serve waits Delay, checks once, records a failure as an event and then
// idles until ctx ends.
func (c *Checker) Serve(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case <-c.Clock.After(c.Delay):
	}
	c.CheckNow()
	<-ctx.Done()
	return nil
}

// CheckNow runs the check and stores its result.
func (c *Checker) CheckNow() Result {
	start := time.Now()
	err := c.Store.Check()
	res := Result{State: StateOK, CheckedAt: c.Clock.Now()}
	if err != nil {
		res.State, res.Detail = StateFailed, err.Error()
		c.Logger.Error("database consistency check failed", "error", err)
		data, _ := json.Marshal(map[string]string{"error": err.Error()})
		if uerr := c.Store.Update(func(tx *storage.Tx) error {
			_, err := tx.AppendEvent(model.Event{Type: model.EventIntegrityFailed, Data: data})
			return err
		}); uerr != nil {
			c.Logger.Error("recording the failed check failed", "error", uerr)
		}
	} else {
		c.Logger.Info("database consistency check passed", "duration", time.Since(start))
	}
	c.mu.Lock()
	c.res = res
	c.mu.Unlock()
	return res
}
