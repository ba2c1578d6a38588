package app

import (
	"context"
	"log/slog"
)

// service is a long-running part of Parley (STYLE: Serve(ctx) error).
type service struct {
	name  string
	serve func(ctx context.Context) error
}

// runServices starts every service and, when ctx ends or one fails, stops
// them in reverse start order, waiting for each before stopping the next.
// Start order is therefore "deepest first": scheduler before HTTP, so
// shutdown stops HTTP first and the scheduler after it.
func runServices(ctx context.Context, log *slog.Logger, svcs []service) error {
	type running struct {
		cancel context.CancelFunc
		done   chan struct{}
		err    error
	}
	failed := make(chan struct{}, len(svcs))
	rs := make([]*running, len(svcs))
	for i, svc := range svcs {
		sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		r := &running{cancel: cancel, done: make(chan struct{})}
		rs[i] = r
		go func() {
			defer close(r.done)
			r.err = svc.serve(sctx)
			if r.err != nil {
				log.Error("service stopped with an error", "service", svc.name, "error", r.err)
				failed <- struct{}{}
			}
		}()
	}
	select {
	case <-ctx.Done():
	case <-failed:
	}
	var first error
	for i := len(rs) - 1; i >= 0; i-- {
		rs[i].cancel()
		<-rs[i].done
		log.Debug("service stopped", "service", svcs[i].name)
		if first == nil && rs[i].err != nil {
			first = rs[i].err
		}
	}
	return first
}
