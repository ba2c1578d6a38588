package storage

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Group commits: callers that write at the same moment share one durable
// commit (bbolt syncs twice per commit, whatever its size). There is no
// fixed delay: a lone caller commits at once, as Update does; while a
// commit is being written the next callers gather, and the one that
// commits for them waits a moment (at most groupWait) for as many callers
// as the previous group had, so a steady set of concurrent writers keeps
// sharing commits instead of splitting into ever smaller groups.

// groupWait bounds how long a group waits for its usual members.
const groupWait = 200 * time.Microsecond

// groupMax bounds the calls in one commit.
const groupMax = 64

type groupCall struct {
	fn   func(*Tx) error
	done chan error
	// lead tells a waiting call that it commits the next group.
	lead chan struct{}
}

type grouper struct {
	mu      sync.Mutex
	pending []*groupCall
	busy    bool // a call is committing a group
	last    int  // size of the previous group
	arrived chan struct{}
	// commits and calls count the successful shared commits and the calls
	// they carried (GroupStats).
	commits, calls atomic.Int64
}

// GroupStats reports how many commits Group has made and how many calls
// they carried (a call retried alone counts as a commit of one).
func (s *Store) GroupStats() (commits, calls int64) {
	return s.group.commits.Load(), s.group.calls.Load()
}

// errInGroup marks a group whose commit failed because one of its calls
// returned an error; each call is then run alone.
var errInGroup = errors.New("storage: a call of the group failed")

// Group runs fn in a write transaction that may be shared with other Group
// calls made at the same moment, so they cost one durable commit. It
// returns fn's error, or the commit's.
//
// fn may run more than once: when another call of its group fails, the
// group is rolled back and every call runs again alone. So fn must reset
// what it captures at its start and act only through tx (as an Update
// function should anyway).
func (s *Store) Group(fn func(*Tx) error) error {
	g := &s.group
	c := &groupCall{fn: fn, done: make(chan error, 1), lead: make(chan struct{}, 1)}
	g.mu.Lock()
	g.pending = append(g.pending, c)
	if g.arrived != nil {
		select {
		case g.arrived <- struct{}{}:
		default:
		}
	}
	if g.busy {
		g.mu.Unlock()
		select {
		case err := <-c.done:
			return err
		case <-c.lead:
			g.mu.Lock()
		}
	}
	// This call commits the next group, which includes it (it is the
	// oldest pending call), then hands the turn to the oldest call left.
	g.busy = true
	g.gather()
	n := min(len(g.pending), groupMax)
	batch := g.pending[:n:n]
	g.pending = g.pending[n:]
	g.last = n
	g.mu.Unlock()
	s.commitGroup(batch)
	g.mu.Lock()
	if len(g.pending) > 0 {
		g.pending[0].lead <- struct{}{}
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	return <-c.done
}

// gather waits (with g.mu held, released while waiting) up to groupWait
// for as many calls as the previous group had.
func (g *grouper) gather() {
	want := min(g.last, groupMax)
	if len(g.pending) >= want {
		return
	}
	arrived := make(chan struct{}, 1)
	g.arrived = arrived
	timer := time.NewTimer(groupWait)
	defer timer.Stop()
	for len(g.pending) < want {
		g.mu.Unlock()
		timedOut := false
		select {
		case <-arrived:
		case <-timer.C:
			timedOut = true
		}
		g.mu.Lock()
		if timedOut {
			break
		}
	}
	g.arrived = nil
}

// commitGroup runs the calls in one transaction; if one fails, each runs
// again alone so that only it fails.
func (s *Store) commitGroup(batch []*groupCall) {
	if len(batch) == 1 {
		s.updateAlone(batch[0])
		return
	}
	var appended bool
	err := s.db.Update(func(b *bolt.Tx) error {
		now := s.clock.Now()
		for _, c := range batch {
			tx := &Tx{b: b, now: now}
			err := c.fn(tx)
			if p := s.planner.Load(); err == nil && p != nil {
				err = tx.plan(*p)
			}
			if err == nil {
				err = tx.flushCounts()
			}
			if err != nil {
				return errInGroup
			}
			appended = appended || tx.appended
		}
		return nil
	})
	switch {
	case err == nil:
		s.group.commits.Add(1)
		s.group.calls.Add(int64(len(batch)))
		for _, c := range batch {
			c.done <- nil
		}
		if appended {
			if hook := s.onEvents.Load(); hook != nil {
				(*hook)()
			}
		}
	case errors.Is(err, errInGroup):
		// Every call was rolled back with the failed one: run each alone,
		// so only the failing one fails.
		for _, c := range batch {
			s.updateAlone(c)
		}
	default:
		for _, c := range batch {
			c.done <- err
		}
	}
}

func (s *Store) updateAlone(c *groupCall) {
	err := s.Update(c.fn)
	if err == nil {
		s.group.commits.Add(1)
		s.group.calls.Add(1)
	}
	c.done <- err
}
