package campaigns

import (
	"context"
	"log/slog"
	"time"

	"parley/app/model"
)

// RetentionEvery is how often the retention purge runs. It is cheap when
// nothing is due: the scan stops at the first recently changed lead.
const RetentionEvery = 6 * time.Hour

// ServeRetention runs the retention purge shortly after start and then
// every RetentionEvery until ctx ends. With retention off (the default)
// each run does nothing.
func (s *Service) ServeRetention(ctx context.Context, clock model.Clock, log *slog.Logger) error {
	wait := time.Minute
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-clock.After(wait):
		}
		wait = RetentionEvery
		n, err := s.PurgeInactive(model.Origin{Actor: model.ActorScheduler, AuthMethod: "scheduler"})
		switch {
		case err != nil:
			log.Error("retention purge failed; it will be tried again", "error", err, "retry_in", wait)
		case n > 0:
			log.Info("retention purge erased the personal data of inactive leads", "leads", n)
		}
	}
}
