// Package live fans the event log out to open dashboards and API clients
// (server-sent events). It reads the persistent event log, never an
// in-memory bus, so nothing announced can be lost or invented: a client
// that reconnects with Last-Event-ID resumes exactly where it stopped.
package live

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"parley/app/model"
	"parley/storage"
)

// bufferSize is how many events a slow subscriber may lag behind before it
// is dropped (it reconnects and resumes from the log).
const bufferSize = 64

// Hub delivers new events to subscribers.
type Hub struct {
	store  *storage.Store
	log    *slog.Logger
	wake   chan struct{}
	mu     sync.Mutex
	subs   map[*Sub]struct{}
	cursor uint64
}

// Sub is one subscriber. C is closed when the hub drops it (too slow) or
// stops.
type Sub struct {
	C    chan model.Event
	hub  *Hub
	once sync.Once
}

// New returns a hub for store; it registers itself as the store's event
// hook.
func New(store *storage.Store, log *slog.Logger) *Hub {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Hub{store: store, log: log, wake: make(chan struct{}, 1), subs: map[*Sub]struct{}{}}
	store.View(func(tx *storage.Tx) error { h.cursor = tx.EventCount(); return nil })
	store.OnEvents(h.notify)
	return h
}

func (h *Hub) notify() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// Serve reads new events after each commit (and every few seconds as a
// safety net) and hands them to every subscriber without ever blocking:
// a subscriber whose buffer is full is dropped, alone.
func (h *Hub) Serve(ctx context.Context) error {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	defer h.closeAll()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-h.wake:
		case <-tick.C:
		}
		for {
			h.mu.Lock()
			cursor := h.cursor
			h.mu.Unlock()
			var evs []model.Event
			if err := h.store.View(func(tx *storage.Tx) (err error) {
				evs, err = tx.EventsAfter(cursor, 256)
				return err
			}); err != nil {
				h.log.Error("live: reading the event log failed", "error", err)
				break
			}
			if len(evs) == 0 {
				break
			}
			h.fanOut(evs)
		}
	}
}

// fanOut advances the cursor and delivers under the lock, so a Subscribe
// never sees an event twice or misses one.
func (h *Hub) fanOut(evs []model.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cursor = evs[len(evs)-1].Seq
	for sub := range h.subs {
		if !deliver(sub, evs) {
			delete(h.subs, sub)
			sub.close()
			h.log.Info("live: dropped a slow subscriber")
		}
	}
}

func deliver(sub *Sub, evs []model.Event) bool {
	for _, e := range evs {
		select {
		case sub.C <- e:
		default:
			return false
		}
	}
	return true
}

// Subscribe registers a subscriber. Events after seq that are already in
// the log are queued first (resume after reconnect), then new ones follow.
func (h *Hub) Subscribe(after uint64) (*Sub, error) {
	sub := &Sub{C: make(chan model.Event, bufferSize), hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	if after < h.cursor {
		var backlog []model.Event
		if err := h.store.View(func(tx *storage.Tx) (err error) {
			backlog, err = tx.EventsAfter(after, bufferSize)
			return err
		}); err != nil {
			return nil, err
		}
		for _, e := range backlog {
			if e.Seq <= h.cursor {
				sub.C <- e
			}
		}
	}
	h.subs[sub] = struct{}{}
	return sub, nil
}

// Close unsubscribes.
func (s *Sub) Close() {
	s.hub.mu.Lock()
	delete(s.hub.subs, s)
	s.hub.mu.Unlock()
	s.close()
}

func (s *Sub) close() { s.once.Do(func() { close(s.C) }) }

func (h *Hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		sub.close()
		delete(h.subs, sub)
	}
}

// Subscribers is the number of live subscribers.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
