package runtime

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parley/app/clocktest"
	"parley/app/model"
	"parley/automation/fakesite"
	"parley/storage"
	"parley/storage/storagetest"
)

// The crash test runs this package's test binary again as a child that
// sends one invite and is killed with SIGKILL before it can record it.
const (
	crashChildEnv = "PARLEY_RUNTIME_CRASH_CHILD"
	crashSent     = "SENT-AND-WAITING"
)

// TestCrashChild is the child process of TestKilledMidSendNeverSendsTwice;
// on its own it does nothing.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("runs only as the child of TestKilledMidSendNeverSendsTwice")
	}
	clock := clocktest.New(monday)
	store := storagetest.OpenIn(t, dir, clock)
	site, err := fakesite.Open(filepath.Join(dir, "site.jsonl"), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	site.AfterSend = func(fakesite.Call) {
		// The invite is on the site (and in its journal); the runtime has
		// not heard back. Say so and wait for the kill.
		fmt.Println(crashSent)
		os.Stdout.Sync()
		select {}
	}
	rt := New(Options{Store: store, Site: site, Clock: clock, Seed: 7})
	rt.Round(context.Background())
	t.Fatal("the round ended; the send should have blocked until the kill")
}

// TestKilledMidSendNeverSendsTwice: a process killed between "the invite
// went out" and "the result is recorded" leaves an in-flight job; the
// next process reconciles it through the site, records the invite, and
// the site receives it exactly once.
func TestKilledMidSendNeverSendsTwice(t *testing.T) {
	if os.Getenv(crashChildEnv) != "" {
		t.Skip("child")
	}
	dir := t.TempDir()
	clock := clocktest.New(monday)
	{
		store := storagetest.OpenIn(t, dir, clock)
		newSimOn(t, Options{Seed: 7}, store, clock, fakesite.New(clock.Now), always("A", 1))
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sent := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), crashSent) {
				sent <- true
				return
			}
		}
		sent <- false
	}()
	select {
	case ok := <-sent:
		if !ok {
			cmd.Wait()
			t.Fatalf("the child ended without sending: %s", stderr.String())
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("the child never sent: %s", stderr.String())
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on unix
		t.Fatal(err)
	}
	cmd.Wait()

	// A new process: the same database, the same site (its journal).
	store := storagetest.OpenIn(t, dir, clock)
	t.Cleanup(func() { storagetest.CheckAndClose(t, store) })
	site, err := fakesite.Open(filepath.Join(dir, "site.jsonl"), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	var leadID uint64
	store.View(func(tx *storage.Tx) error {
		err := tx.RunningJobs(func(j model.Job) bool {
			if j.Kind == model.JobInvite {
				leadID = j.LeadID
				if !j.InFlight || len(j.Reserved) == 0 {
					t.Errorf("the killed send = %+v; want in flight, holding its budget", j)
				}
			}
			return true
		})
		return err
	})
	if leadID == 0 {
		t.Fatal("no running invite job was left by the killed process")
	}
	s := &sim{t: t, clock: clock, store: store, site: site, rt: New(Options{Store: store, Site: site, Clock: clock, Seed: 8})}
	s.run(2*time.Hour, 5*time.Minute, nil)

	invites := 0
	for _, c := range site.Calls() {
		if c.Action == "invite" {
			invites++
		}
	}
	if invites != 1 {
		t.Fatalf("the site received %d invites; want exactly 1", invites)
	}
	if st := s.lead(leadID).State; st != model.LeadInvited {
		t.Fatalf("lead is %s; want invited (recorded by reconciliation)", st)
	}
	store.View(func(tx *storage.Tx) error {
		if n := tx.AccountUsage(1, "invites:d:"+monday.Format("2006-01-02")); n != 1 {
			t.Errorf("invite budget used = %d; want 1", n)
		}
		return nil
	})
}
