package security

import (
	"context"
	"sync"
)

// Streams tracks long-lived responses (SSE) per login so that logging out
// or revoking a session ends them at once.
type Streams struct {
	mu   sync.Mutex
	next int
	m    map[string]map[int]context.CancelFunc
}

// NewStreams returns an empty registry.
func NewStreams() *Streams { return &Streams{m: map[string]map[int]context.CancelFunc{}} }

// Add registers cancel under loginID; the returned func unregisters it.
func (s *Streams) Add(loginID string, cancel context.CancelFunc) func() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	id := s.next
	if s.m[loginID] == nil {
		s.m[loginID] = map[int]context.CancelFunc{}
	}
	s.m[loginID][id] = cancel
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.m[loginID], id)
		if len(s.m[loginID]) == 0 {
			delete(s.m, loginID)
		}
	}
}

// End cancels every stream of a login.
func (s *Streams) End(loginID string) {
	s.mu.Lock()
	streams := s.m[loginID]
	delete(s.m, loginID)
	s.mu.Unlock()
	for _, cancel := range streams {
		cancel()
	}
}

// Count is the number of open streams (for tests and the status page).
func (s *Streams) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.m {
		n += len(m)
	}
	return n
}
