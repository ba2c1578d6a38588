package live

import (
	"context"
	"testing"
	"time"

	"parley/app/model"
	"parley/storage"
	"parley/storage/storagetest"
)

func appendEvents(t *testing.T, s *storage.Store, n int) {
	t.Helper()
	for range n {
		if err := s.Update(func(tx *storage.Tx) error {
			_, err := tx.AppendEvent(model.Event{Type: "test"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
}

func recv(t *testing.T, sub *Sub) model.Event {
	t.Helper()
	select {
	case e, ok := <-sub.C:
		if !ok {
			t.Fatal("subscription closed")
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return model.Event{}
}

func TestHubDeliversNewEventsAndResumes(t *testing.T) {
	s := storagetest.Open(t, model.SystemClock{})
	appendEvents(t, s, 3) // history before the hub: 1 migration + 3
	h := New(s, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- h.Serve(ctx) }()

	live, _ := h.Subscribe(h.cursor)
	resume, _ := h.Subscribe(2) // reconnecting client: wants 3 and 4 first
	appendEvents(t, s, 2)
	for _, want := range []uint64{5, 6} {
		if e := recv(t, live); e.Seq != want {
			t.Fatalf("live got %d, want %d", e.Seq, want)
		}
	}
	for _, want := range []uint64{3, 4, 5, 6} {
		if e := recv(t, resume); e.Seq != want {
			t.Fatalf("resume got %d, want %d", e.Seq, want)
		}
	}
	live.Close()
	if h.Subscribers() != 1 {
		t.Fatalf("subscribers = %d", h.Subscribers())
	}
	cancel()
	<-done
	if _, ok := <-resume.C; ok {
		t.Fatal("subscription open after the hub stopped")
	}
}

func TestSlowSubscriberIsDroppedAlone(t *testing.T) {
	s := storagetest.Open(t, model.SystemClock{})
	h := New(s, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.Serve(ctx)
	slow, _ := h.Subscribe(h.cursor)
	fast, _ := h.Subscribe(h.cursor)
	got := make(chan int)
	go func() {
		n := 0
		for range fast.C {
			n++
			if n == bufferSize+10 {
				got <- n
			}
		}
	}()
	appendEvents(t, s, bufferSize+10)
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("fast subscriber starved")
	}
	// The slow one never read: it was dropped, its channel closed.
	n := 0
	for range slow.C {
		n++
	}
	if n > bufferSize {
		t.Fatalf("slow subscriber buffered %d events", n)
	}
}
