package control

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"parley/app/backups"
	"parley/app/config"
	"parley/app/model"
	"parley/storage"
	"parley/storage/storagetest"
)

func startServer(t *testing.T) (config.Paths, *storage.Store) {
	t.Helper()
	return startServerWith(t, nil)
}

// startServerWith starts a control server on a real store; more, when not
// nil, adds to its options.
func startServerWith(t *testing.T, more func(*ServerOptions, *storage.Store)) (config.Paths, *storage.Store) {
	t.Helper()
	store := storagetest.Open(t, model.SystemClock{})
	paths := config.Paths{Root: filepath.Dir(store.Path())}
	paths.Ensure()
	bk, err := backups.New(backups.Options{Store: store, Paths: paths})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := NewToken(paths)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	inst := Instance{PID: os.Getpid(), URL: "http://127.0.0.1:1", ControlURL: "http://" + ln.Addr().String(), Version: "test"}
	o := ServerOptions{Token: tok, Store: store, Backups: bk, Instance: func() Instance { return inst }}
	if more != nil {
		more(&o, store)
	}
	srv := NewServer(o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	if err := WriteInstance(paths, inst); err != nil {
		t.Fatal(err)
	}
	return paths, store
}

func TestClientBackupThroughRunningInstance(t *testing.T) {
	paths, _ := startServer(t)
	c, err := Connect(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	if c.Instance.Version != "test" {
		t.Fatalf("ping = %+v", c.Instance)
	}
	res, err := c.Backup(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Run == 0 || len(res.SHA256) != 64 || !strings.HasPrefix(res.Path, "backups") {
		t.Fatalf("res = %+v", res)
	}
	if sum, _ := storage.FileSHA256(paths.Abs(res.Path)); sum != res.SHA256 {
		t.Fatal("checksum mismatch")
	}
	// Errors from the instance come back as their public message.
	_, err = c.Backup(context.Background(), "relative.db")
	if err == nil || !strings.Contains(err.Error(), "absolute path") {
		t.Fatalf("err = %v", err)
	}
	rep, err := c.Health(context.Background())
	if err != nil || rep.IntegrityError != "" || !rep.Audit.OK() || rep.Audit.Records != 1 || rep.LastOK == nil {
		t.Fatalf("health = %+v %v", rep, err)
	}
}

func TestServerRefusesWithoutTokenOrFromOtherHosts(t *testing.T) {
	paths, _ := startServer(t)
	inst, _ := ReadInstance(paths)
	tok, _ := readToken(paths)
	cases := []struct {
		name, auth, host string
		want             int
	}{
		{"no token", "", "", http.StatusUnauthorized},
		{"wrong token", "Bearer prl_ctl_wrong", "", http.StatusUnauthorized},
		{"token without Bearer", tok, "", http.StatusUnauthorized},
		{"rebinding host", "Bearer " + tok, "evil.example:80", http.StatusForbidden},
		{"right token", "Bearer " + tok, "", http.StatusOK},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(http.MethodGet, inst.ControlURL+"/v1/ping", nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		if c.host != "" {
			req.Host = c.host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.want)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, inst.ControlURL+"/v1/backup", strings.NewReader(`{"path":"","extra":1}`))
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown field: status %d", resp.StatusCode)
	}
}

func TestConnectWithoutInstance(t *testing.T) {
	paths := config.Paths{Root: t.TempDir()}
	if _, err := Connect(context.Background(), paths); err != ErrNotRunning {
		t.Fatalf("err = %v", err)
	}
	// A stale instance.json (process gone) is not a running instance.
	WriteInstance(paths, Instance{PID: 1, URL: "http://127.0.0.1:9", ControlURL: "http://127.0.0.1:9"})
	NewToken(paths)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := Connect(ctx, paths); err != ErrNotRunning {
		t.Fatalf("stale: err = %v", err)
	}
}

func TestFilesArePrivateAndRemovedOnlyByTheirOwner(t *testing.T) {
	paths := config.Paths{Root: t.TempDir()}
	if _, err := NewToken(paths); err != nil {
		t.Fatal(err)
	}
	WriteInstance(paths, Instance{PID: 42, URL: "u", ControlURL: "c"})
	if runtime.GOOS != "windows" {
		for _, p := range []string{paths.ControlToken(), paths.Instance()} {
			if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
				t.Errorf("%s mode %v", p, fi.Mode().Perm())
			}
		}
	}
	RemoveInstance(paths, 7)
	if _, err := os.Stat(paths.Instance()); err != nil {
		t.Fatal("another process removed our instance file")
	}
	RemoveInstance(paths, 42)
	if _, err := os.Stat(paths.Instance()); !os.IsNotExist(err) {
		t.Fatal("instance file not removed")
	}
}
