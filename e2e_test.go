package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"parley/app/config"
	"parley/app/control"
	"parley/app/model"
	"parley/storage"
)

// binary is the real parley executable, built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "parley-e2e-*")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "parley")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building parley: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// instance is a running parley process.
type instance struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
	exited chan error
}

// env is the environment every test process gets: no scheduled backups,
// no browser.
func env(extra ...string) []string {
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "PARLEY_BACKUP_INTERVAL=0"}
	return append(base, extra...)
}

func start(t *testing.T, dataDir string, args ...string) *instance {
	t.Helper()
	return startEnv(t, env(), dataDir, args...)
}

func startEnv(t *testing.T, environ []string, dataDir string, args ...string) *instance {
	t.Helper()
	all := append([]string{"--data-dir", dataDir, "--no-browser", "--addr", "127.0.0.1:0"}, args...)
	return launch(t, environ, all...)
}

func launch(t *testing.T, environ []string, args ...string) *instance {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = environ
	stdout, _ := cmd.StdoutPipe()
	inst := &instance{t: t, cmd: cmd, stderr: &bytes.Buffer{}, exited: make(chan error, 1)}
	cmd.Stderr = inst.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	go func() { inst.exited <- cmd.Wait() }()
	t.Cleanup(func() { inst.stop() })
	select {
	case line, ok := <-lines:
		if !ok || !strings.HasPrefix(line, "Parley is running at http") {
			t.Fatalf("first stdout line %q; stderr:\n%s", line, inst.stderr)
		}
		inst.url = strings.TrimPrefix(line, "Parley is running at ")
	case <-time.After(15 * time.Second):
		t.Fatalf("parley did not report its address; stderr:\n%s", inst.stderr)
	}
	return inst
}

// stop sends SIGTERM and waits for a clean exit.
func (i *instance) stop() {
	i.t.Helper()
	if i.cmd.ProcessState != nil {
		return
	}
	i.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-i.exited:
		if err != nil {
			i.t.Errorf("parley exited with %v after SIGTERM; stderr:\n%s", err, i.stderr)
		}
	case <-time.After(15 * time.Second):
		i.cmd.Process.Kill()
		i.t.Errorf("parley did not stop within 15s of SIGTERM")
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// runCLI runs a one-shot parley command and returns its exit code, stdout
// and stderr.
func runCLI(t *testing.T, environ []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = environ
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-ctx.Done():
		cmd.Process.Kill()
		t.Fatalf("%v did not finish", args)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// oneLine asserts the failure contract: a single line on stderr.
func oneLine(t *testing.T, stderr string, want ...string) {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "parley: ") {
		t.Errorf("stderr is not one line: %q", stderr)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q lacks %q", stderr, w)
		}
	}
}

func TestServeAnswersHealthzAndShutsDownCleanly(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir)
	if code, body := get(t, p.url+"/healthz"); code != 200 || body != "ok\n" {
		t.Fatalf("healthz = %d %q", code, body)
	}
	if code, body := get(t, p.url+"/"); code != 200 || !strings.Contains(body, "not set up yet") {
		t.Fatalf("first visit = %d: want the sign-in page explaining the setup", code)
	}
	client := signIn(t, dir, p.url)
	if code, body := getWith(t, client, p.url+"/"); code != 200 || !strings.Contains(body, "Dashboard") {
		t.Fatalf("dashboard = %d", code)
	}
	inst, err := control.ReadInstance(configPaths(dir))
	if err != nil || inst.URL != p.url || inst.PID != p.cmd.Process.Pid {
		t.Fatalf("instance.json = %+v %v", inst, err)
	}
	p.stop()
	if _, err := os.Stat(filepath.Join(dir, "instance.json")); !os.IsNotExist(err) {
		t.Error("instance.json left behind after shutdown")
	}
	if _, err := os.Stat(filepath.Join(dir, "control.token")); !os.IsNotExist(err) {
		t.Error("control.token left behind after shutdown")
	}
	// bbolt was closed: the file opens, is consistent and holds the start.
	s, err := storage.Open(storage.Options{Path: filepath.Join(dir, "parley.db"), ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *storage.Tx) error {
		evs, _ := tx.RecentEvents(5)
		for _, e := range evs {
			if e.Type == model.EventAppStarted {
				return nil
			}
		}
		t.Error("no app.started event")
		return nil
	})
	log, _ := os.ReadFile(filepath.Join(dir, "logs", "parley.log"))
	if !bytes.Contains(log, []byte("Parley stopped")) {
		t.Error("log file lacks the shutdown line")
	}
	for _, sub := range []string{"", "backups", "logs", "browser", "plugins"} {
		fi, err := os.Stat(filepath.Join(dir, sub))
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v err %v", sub, fi.Mode().Perm(), err)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, "parley.db")); fi.Mode().Perm() != 0o600 {
		t.Errorf("parley.db mode %v", fi.Mode().Perm())
	}
}

func TestSecondLaunchOpensTheRunningInstanceAndExitsZero(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("uses a fake xdg-open")
	}
	dir := t.TempDir()
	p := start(t, dir)
	// A fake xdg-open records what the second launch asked to open.
	bin := t.TempDir()
	opened := filepath.Join(t.TempDir(), "opened")
	os.WriteFile(filepath.Join(bin, "xdg-open"), []byte("#!/bin/sh\necho \"$1\" >> "+opened+"\n"), 0o755)
	environ := env()
	environ[0] = "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")
	code, out, errOut := runCLI(t, environ, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "Parley is already running at "+p.url) {
		t.Fatalf("second launch = %d %q %q", code, out, errOut)
	}
	waitFile(t, opened)
	if b, _ := os.ReadFile(opened); strings.TrimSpace(string(b)) != p.url {
		t.Fatalf("opened %q, want %q", b, p.url)
	}
	if code, _ := get(t, p.url+"/healthz"); code != 200 {
		t.Fatal("first instance disturbed")
	}
}

func TestFirstLaunchOpensBrowserOnceListening(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("uses a fake xdg-open")
	}
	bin := t.TempDir()
	opened := filepath.Join(t.TempDir(), "opened")
	// The fake browser fetches the page it is given, proving the server
	// was already listening when it was opened.
	script := "#!/bin/sh\n" + fmt.Sprintf("%q -test.run=TestHelperFetch -- \"$1\" > %q 2>&1\n", os.Args[0], opened)
	os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755)
	environ := env()
	environ[0] = "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")
	p := launch(t, environ, "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0")
	waitFile(t, opened)
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(opened)
		if strings.Contains(string(b), "fetched 200") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("browser fetch result: %q (url %s)", b, p.url)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestHelperFetch is run as the fake browser by the test above.
func TestHelperFetch(t *testing.T) {
	args := flagArgs()
	if len(args) != 1 {
		t.Skip("helper process only")
	}
	resp, err := http.Get(args[0])
	if err != nil {
		fmt.Println("fetch failed:", err)
		return
	}
	resp.Body.Close()
	fmt.Println("fetched", resp.StatusCode)
}

func flagArgs() []string {
	for i, a := range os.Args {
		if a == "--" {
			return os.Args[i+1:]
		}
	}
	return nil
}

func TestBackupAgainstRunningAndStoppedInstance(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir)
	code, out, errOut := runCLI(t, env(), "--data-dir", dir, "--backup")
	if code != 0 || !strings.Contains(out, "Backup written by the running Parley: "+filepath.Join(dir, "backups")) {
		t.Fatalf("backup via running instance = %d %q %q", code, out, errOut)
	}
	verifyBackupLine(t, out)
	other := t.TempDir()
	code, out, _ = runCLI(t, env(), "--data-dir", dir, "--backup", other)
	if code != 0 || !strings.Contains(out, other) {
		t.Fatalf("backup into a directory = %d %q", code, out)
	}
	verifyBackupLine(t, out)
	// The backups page of the running instance lists both runs.
	_, body := getWith(t, signIn(t, dir, p.url), p.url+"/backups")
	if strings.Count(body, "<td>cli</td>") != 2 {
		t.Fatalf("backups page does not list the two CLI runs")
	}
	p.stop()

	file := filepath.Join(t.TempDir(), "offline.db")
	code, out, errOut = runCLI(t, env(), "--data-dir", dir, "--backup", file)
	if code != 0 || !strings.HasPrefix(out, "Backup written: "+file) {
		t.Fatalf("backup while stopped = %d %q %q", code, out, errOut)
	}
	verifyBackupLine(t, out)
	// Existing files are never overwritten.
	code, _, errOut = runCLI(t, env(), "--data-dir", dir, "--backup", file)
	if code != 1 {
		t.Fatalf("overwrite = %d", code)
	}
	oneLine(t, errOut, "already exists")
	// Nothing to back up yet.
	code, _, errOut = runCLI(t, env(), "--data-dir", t.TempDir(), "--backup")
	if code != 1 {
		t.Fatalf("empty data dir = %d", code)
	}
	oneLine(t, errOut, "no database")
}

// verifyBackupLine checks the file named in a "Backup written" line
// against the checksum printed and its .sha256 file.
func verifyBackupLine(t *testing.T, out string) {
	t.Helper()
	var path string
	var size int64
	var sum string
	line := out[strings.Index(out, ": ")+2:]
	if _, err := fmt.Sscanf(line, "%s (%d bytes, sha256 %64s)", &path, &size, &sum); err != nil {
		t.Fatalf("cannot parse %q: %v", out, err)
	}
	got, err := storage.FileSHA256(path)
	if err != nil || got != sum {
		t.Fatalf("%s: sha256 %s, printed %s (%v)", path, got, sum, err)
	}
	if recorded, _ := storage.ReadChecksumFile(path); recorded != sum {
		t.Fatalf("%s.sha256 = %s", path, recorded)
	}
}

func TestRestoreRefusedWhileRunningThenWorksWhenStopped(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir)
	code, out, _ := runCLI(t, env(), "--data-dir", dir, "--backup")
	if code != 0 {
		t.Fatal("backup failed")
	}
	snap := strings.Fields(strings.TrimPrefix(out, "Backup written by the running Parley: "))[0]
	before, _ := os.ReadFile(filepath.Join(dir, "parley.db"))
	code, _, errOut := runCLI(t, env(), "--data-dir", dir, "--restore", snap)
	if code != 1 {
		t.Fatalf("restore while running = %d", code)
	}
	oneLine(t, errOut, "Parley is running", p.url, "stop it first")
	if after, _ := os.ReadFile(filepath.Join(dir, "parley.db")); !bytes.Equal(before, after) {
		t.Fatal("restore while running changed the database")
	}
	p.stop()
	code, out, errOut = runCLI(t, env(), "--data-dir", dir, "--restore", snap)
	if code != 0 || !strings.Contains(out, "Restored "+snap) || !strings.Contains(out, "pre-restore-") {
		t.Fatalf("restore = %d %q %q", code, out, errOut)
	}
	q := start(t, dir)
	if code, _ := get(t, q.url+"/healthz"); code != 200 {
		t.Fatal("restored database does not serve")
	}
	_, body := getWith(t, signIn(t, dir, q.url), q.url+"/")
	if !strings.Contains(body, "Database restored from a snapshot") {
		t.Fatal("dashboard does not show the restore")
	}
}

func TestRestoreRefusesBadFilesThroughTheCLI(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir)
	_, out, _ := runCLI(t, env(), "--data-dir", dir, "--backup")
	snap := strings.Fields(strings.TrimPrefix(out, "Backup written by the running Parley: "))[0]
	p.stop()
	good, _ := os.ReadFile(snap)
	live := filepath.Join(dir, "parley.db")
	before, _ := os.ReadFile(live)

	write := func(name string, data []byte, checksum bool) string {
		f := filepath.Join(t.TempDir(), name)
		os.WriteFile(f, data, 0o600)
		if checksum {
			sum, _ := storage.FileSHA256(f)
			storage.WriteChecksumFile(f, sum)
		}
		return f
	}
	newer := write("newer.db", good, false)
	db, _ := bolt.Open(newer, 0o600, nil)
	db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 9})
	})
	db.Close()
	sum, _ := storage.FileSHA256(newer)
	storage.WriteChecksumFile(newer, sum)
	flipped := write("flipped.db", good, true)
	data, _ := os.ReadFile(flipped)
	data[len(data)/3] ^= 1
	os.WriteFile(flipped, data, 0o600)

	cases := map[string]struct {
		file string
		want string
	}{
		"non-bbolt":         {write("notes.db", []byte(strings.Repeat("hello\n", 4000)), true), "damaged"},
		"truncated":         {write("trunc.db", good[:len(good)/2], true), "truncated"},
		"checksum mismatch": {flipped, "damaged or was changed"},
		"no checksum":       {write("bare.db", good, false), "no checksum file"},
		"newer schema":      {newer, fmt.Sprintf("schema version 9, but this Parley supports up to version %d", len(storage.Schema()))},
	}
	for name, c := range cases {
		code, _, errOut := runCLI(t, env(), "--data-dir", dir, "--restore", c.file)
		if code != 1 {
			t.Errorf("%s: exit %d", name, code)
		}
		oneLine(t, errOut, c.want)
		if after, _ := os.ReadFile(live); !bytes.Equal(before, after) {
			t.Fatalf("%s: live database changed", name)
		}
	}
}

func TestDamagedDatabaseAtStartNamesTheNewestGoodSnapshot(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir)
	_, out, _ := runCLI(t, env(), "--data-dir", dir, "--backup")
	snap := strings.Fields(strings.TrimPrefix(out, "Backup written by the running Parley: "))[0]
	p.stop()
	live := filepath.Join(dir, "parley.db")
	var needed int64
	s, _ := storage.Open(storage.Options{Path: live, ReadOnly: true})
	s.View(func(tx *storage.Tx) error { needed = tx.Size(); return nil })
	s.Close()
	os.Truncate(live, needed/2)

	code, _, errOut := runCLI(t, env(), "--data-dir", dir, "--no-browser", "--addr", "127.0.0.1:0")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	oneLine(t, errOut, "damaged", "truncated", snap, "--restore")

	os.WriteFile(live, []byte("not a database at all, not even close"), 0o600)
	os.RemoveAll(filepath.Join(dir, "backups"))
	code, _, errOut = runCLI(t, env(), "--data-dir", dir, "--no-browser", "--addr", "127.0.0.1:0")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	oneLine(t, errOut, "damaged", "no snapshot")
}

func TestUnusableDataDirectory(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o600)
	code, _, errOut := runCLI(t, env(), "--data-dir", filepath.Join(blocker, "data"), "--no-browser")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	oneLine(t, errOut, "not usable", "--data-dir")
}

func TestBusyPort(t *testing.T) {
	// The default port falls back to a free one...
	ln, err := net.Listen("tcp", "127.0.0.1:7450")
	if err == nil {
		defer ln.Close()
	}
	dir := t.TempDir()
	p := launch(t, env(), "--data-dir", dir, "--no-browser")
	if strings.HasSuffix(p.url, ":7450") {
		t.Fatalf("listening on the busy default port: %s", p.url)
	}
	if code, _ := get(t, p.url+"/healthz"); code != 200 {
		t.Fatal("fallback port does not answer")
	}
	// ...but an address the user chose is never silently replaced.
	busy := strings.TrimPrefix(p.url, "http://")
	code, _, errOut := runCLI(t, env(), "--data-dir", t.TempDir(), "--no-browser", "--addr", busy)
	if code != 1 {
		t.Fatalf("explicit busy addr: exit %d", code)
	}
	oneLine(t, errOut, "already in use", "--addr")
}

func TestPortableMode(t *testing.T) {
	folder := t.TempDir()
	exe := filepath.Join(folder, filepath.Base(binary))
	data, _ := os.ReadFile(binary)
	os.WriteFile(exe, data, 0o755)
	cmd := exec.Command(exe, "--portable", "--no-browser", "--addr", "127.0.0.1:0")
	cmd.Env = env()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if !strings.HasPrefix(line, "Parley is running at") {
		t.Fatalf("stdout %q", line)
	}
	if _, err := os.Stat(filepath.Join(folder, "parley-data", "parley.db")); err != nil {
		t.Fatalf("portable database missing: %v", err)
	}
	var inst control.Instance
	b, _ := os.ReadFile(filepath.Join(folder, "parley-data", "instance.json"))
	if json.Unmarshal(b, &inst); inst.URL == "" {
		t.Fatal("portable instance.json missing")
	}
}

func TestDoctorOnRunningAndStoppedInstance(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir)
	runCLI(t, env(), "--data-dir", dir, "--backup")
	code, out, errOut := runCLI(t, env(), "--data-dir", dir, "doctor")
	if code != 0 || !strings.Contains(out, "Parley is running at "+p.url) || !strings.Contains(out, "All checks passed") {
		t.Fatalf("doctor (running) = %d\n%s%s", code, out, errOut)
	}
	p.stop()
	code, out, _ = runCLI(t, env(), "--data-dir", dir, "doctor")
	if code != 0 || !strings.Contains(out, "chain intact") {
		t.Fatalf("doctor (stopped) = %d\n%s", code, out)
	}
	// Tamper with the audit trail: doctor names the broken record.
	db, _ := bolt.Open(filepath.Join(dir, "parley.db"), 0o600, nil)
	db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("security_audit_events"))
		k, v := b.Cursor().First()
		return b.Put(k, bytes.Replace(v, []byte(`"outcome":"success"`), []byte(`"outcome":"failure"`), 1))
	})
	db.Close()
	code, out, errOut = runCLI(t, env(), "--data-dir", dir, "doctor")
	if code != 1 || !strings.Contains(out, "chain broken at record 1") {
		t.Fatalf("doctor (tampered) = %d\n%s", code, out)
	}
	oneLine(t, errOut, "problem")
}

func waitFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func configPaths(dir string) config.Paths { return config.Paths{Root: dir} }

// TestSignalsShutDownCleanly: Ctrl-C (SIGINT) and closing the terminal
// (SIGHUP) stop Parley as cleanly as SIGTERM does.
func TestSignalsShutDownCleanly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			p := start(t, dir)
			p.cmd.Process.Signal(sig)
			select {
			case err := <-p.exited:
				if err != nil {
					t.Fatalf("exit after %v: %v\n%s", sig, err, p.stderr)
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("no exit after %v", sig)
			}
			if _, err := os.Stat(filepath.Join(dir, "instance.json")); !os.IsNotExist(err) {
				t.Error("instance.json left behind")
			}
			s, err := storage.Open(storage.Options{Path: filepath.Join(dir, "parley.db"), LockTimeout: time.Second})
			if err != nil {
				t.Fatalf("database still locked or damaged: %v", err)
			}
			s.Close()
		})
	}
}

const e2ePassword = "e2e long password"

// signIn sets the admin password through the CLI (the running instance
// takes it over the control channel) and signs in over the API, returning
// a client that carries the session cookie.
func signIn(t *testing.T, dir, base string) *http.Client {
	t.Helper()
	cmd := exec.Command(binary, "--data-dir", dir, "admin", "set-password", "--user", "admin", "--password-stdin")
	cmd.Env = env()
	cmd.Stdin = strings.NewReader(e2ePassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("set-password: %v\n%s", err, out)
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"`+e2ePassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("login = %d", resp.StatusCode)
	}
	return client
}

func getWith(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFirstRunPrintsAOneTimeSetupLink(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(binary, "--data-dir", dir, "--no-browser", "--addr", "127.0.0.1:0")
	cmd.Env = env()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	r := bufio.NewReader(stdout)
	first, _ := r.ReadString('\n')
	second, _ := r.ReadString('\n')
	base := strings.TrimSpace(strings.TrimPrefix(first, "Parley is running at "))
	i := strings.Index(second, base+"/setup?code=prl_setup_")
	if !strings.HasPrefix(first, "Parley is running at ") || i < 0 {
		t.Fatalf("stdout:\n%s%s", first, second)
	}
	link := strings.Fields(second[i:])[0]
	if code, body := get(t, link); code != 200 || !strings.Contains(body, "Welcome to Parley") {
		t.Fatalf("setup link = %d", code)
	}
	// The link never reaches the log.
	code := link[strings.Index(link, "prl_setup_"):]
	log, _ := os.ReadFile(filepath.Join(dir, "logs", "parley.log"))
	if bytes.Contains(log, []byte(code)) {
		t.Fatal("setup code in the log")
	}
}

func TestAdminCommandsRunningAndStopped(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir)
	// create-api-key prints only the key, and the key works.
	code, out, errOut := runCLI(t, env(), "--data-dir", dir, "admin", "create-api-key", "--name", "cron", "--scope", "control")
	key := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(key, "prl_k_") || strings.Count(out, "\n") != 1 {
		t.Fatalf("create-api-key = %d %q %q", code, out, errOut)
	}
	req, _ := http.NewRequest("POST", p.url+"/api/v1/backups", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("backup with the new key = %v %v", resp, err)
	}
	resp.Body.Close()
	// Lock the admin out, then unlock through the CLI.
	client := signIn(t, dir, p.url)
	for range 5 {
		client.Post(p.url+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"wrong one"}`))
	}
	resp, _ = client.Post(p.url+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"`+e2ePassword+`"}`))
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("locked = %d", resp.StatusCode)
	}
	if code, out, _ := runCLI(t, env(), "--data-dir", dir, "admin", "unlock", "--user", "admin", "--ip", "127.0.0.1"); code != 0 || !strings.Contains(out, "Unlocked") {
		t.Fatalf("unlock = %d %q", code, out)
	}
	resp, _ = client.Post(p.url+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"admin","password":"`+e2ePassword+`"}`))
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("after unlock = %d", resp.StatusCode)
	}
	p.stop()

	// The same commands work on a stopped Parley, and are audited as cli.
	cmd := exec.Command(binary, "--data-dir", dir, "admin", "set-password", "--user", "ops", "--password-stdin")
	cmd.Env = env()
	cmd.Stdin = strings.NewReader("another long password\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("set-password while stopped: %v %s", err, out)
	}
	if code, out, _ := runCLI(t, env(), "--data-dir", dir, "admin", "create-api-key", "--name", "offline", "--scope", "read"); code != 0 || !strings.HasPrefix(out, "prl_k_") {
		t.Fatalf("create-api-key while stopped = %d %q", code, out)
	}
	s, err := storage.Open(storage.Options{Path: filepath.Join(dir, "parley.db"), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	cliActions := map[string]bool{}
	s.View(func(tx *storage.Tx) error {
		recs, _ := tx.RecentAudit(0, 1000)
		for _, r := range recs {
			if r.Actor == "cli" {
				cliActions[r.Action] = true
			}
		}
		return nil
	})
	s.Close()
	for _, a := range []string{"apikey_created", "authn_password_change", "authn_unlock"} {
		if !cliActions[a] {
			t.Errorf("no %s audited as cli: %v", a, cliActions)
		}
	}
	// Mistakes get one line and a non-zero exit.
	for _, args := range [][]string{
		{"admin", "set-password", "--user", "x"},
		{"admin", "create-api-key", "--name", "x", "--scope", "root"},
		{"admin", "unlock"},
		{"admin", "frobnicate"},
	} {
		code, _, errOut := runCLI(t, env(), append([]string{"--data-dir", dir}, args...)...)
		if code == 0 {
			t.Errorf("%v succeeded", args)
		}
		oneLine(t, errOut)
	}
	cmd = exec.Command(binary, "--data-dir", dir, "admin", "set-password", "--user", "ops", "--password-stdin")
	cmd.Env = env()
	cmd.Stdin = strings.NewReader("short\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || !strings.Contains(stderr.String(), "at least 8 characters") {
		t.Fatalf("short password: %v %q", err, stderr.String())
	}
}

func TestSelfSignedTLS(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir, "--tls-self-signed")
	if !strings.HasPrefix(p.url, "https://") {
		t.Fatalf("url = %s", p.url)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := client.Get(p.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("healthz over TLS = %d %v", resp.StatusCode, resp.Header)
	}
	if fi, err := os.Stat(filepath.Join(dir, "tls", "key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v", err)
	}
}

func TestLANBindNeedsAnAllowlist(t *testing.T) {
	code, _, errOut := runCLI(t, env(), "--data-dir", t.TempDir(), "--no-browser", "--addr", "0.0.0.0:0")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	oneLine(t, errOut, "PARLEY_TRUSTED_IPS")
}

func TestImportCLIRunningAndStopped(t *testing.T) {
	dir := t.TempDir()
	csvFile := filepath.Join(t.TempDir(), "people.csv")
	os.WriteFile(csvFile, []byte("LinkedIn URL;Name;Company\nlinkedin.com/in/ada;Ada;Engines\nlinkedin.com/in/grace;Grace;Navy\nlinkedin.com/company/acme;Acme;Acme\n"), 0o600)
	// Stopped: the CLI opens the database itself.
	code, out, errOut := runCLI(t, env(), "--data-dir", dir, "import", csvFile, "--list", "Pioneers")
	if code != 0 || !strings.Contains(out, `into the list "Pioneers": 2 imported, 0 updated, 0 skipped, 1 rejected`) || !strings.Contains(out, "line 4 rejected: the address is a company page") {
		t.Fatalf("import while stopped = %d %q %q", code, out, errOut)
	}
	// Running: the instance does the work, and the dashboard shows it.
	p := start(t, dir)
	code, out, errOut = runCLI(t, env(), "--data-dir", dir, "import", csvFile, "--list", "Pioneers", "--duplicates", "merge")
	if code != 0 || !strings.Contains(out, "0 imported, 2 updated") {
		t.Fatalf("import while running = %d %q %q", code, out, errOut)
	}
	_, body := getWith(t, signIn(t, dir, p.url), p.url+"/leads?q=grace")
	if !strings.Contains(body, "Grace") {
		t.Fatal("imported lead not on the leads page")
	}
	// A file without a URL column: one line, exit 1, nothing imported.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("Name,Company\nAda,Engines\n"), 0o600)
	code, _, errOut = runCLI(t, env(), "--data-dir", dir, "import", bad)
	if code != 1 {
		t.Fatalf("bad file = %d", code)
	}
	oneLine(t, errOut, "no column holds LinkedIn profile URLs")
	code, _, errOut = runCLI(t, env(), "--data-dir", dir, "import", filepath.Join(dir, "missing.csv"))
	if code != 1 {
		t.Fatalf("missing file = %d", code)
	}
	oneLine(t, errOut, "cannot read")
}
