//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// readyLine is what Parley prints once it listens.
const readyLine = "Parley is running at "

// startTimeout bounds the wait for the ready line and for /healthz.
const startTimeout = 60 * time.Second

// ensureBinary builds the real parley binary into the work directory once.
func ensureBinary(ctx context.Context, e *env) error {
	if e.binary != "" {
		return nil
	}
	root, err := repoRoot(ctx)
	if err != nil {
		return err
	}
	bin := filepath.Join(e.work, "parley")
	progress("building %s (go build -o %s . in %s, CGO_ENABLED=0)", bin, bin, root)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}
	e.binary = bin
	return nil
}

// repoRoot is the directory of the main module's go.mod.
func repoRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run the benchmark inside the parley module (go run ./bench)")
	}
	return filepath.Dir(gomod), nil
}

// instance is a running parley process.
type instance struct {
	cmd    *exec.Cmd
	url    string
	ready  time.Duration // from just before Start to the first 200 from /healthz
	stderr *limitedBuffer
	exited chan struct{}
	client *http.Client
}

// startParley starts the binary on dataDir with a free port and no
// scheduled backups, waits for its ready line, then polls /healthz about
// every millisecond until it answers 200.
func startParley(ctx context.Context, bin, dataDir string) (*instance, error) {
	cmd := exec.Command(bin, "--data-dir", dataDir, "--addr", "127.0.0.1:0", "--no-browser")
	cmd.Env = append(os.Environ(), "PARLEY_BACKUP_INTERVAL=0")
	urls := make(chan string, 1)
	inst := &instance{cmd: cmd, stderr: &limitedBuffer{}, exited: make(chan struct{})}
	cmd.Stdout = &lineWatcher{prefix: readyLine, found: urls}
	cmd.Stderr = inst.stderr
	inst.client = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start parley: %w", err)
	}
	go func() { cmd.Wait(); close(inst.exited) }()
	deadline := time.NewTimer(startTimeout)
	defer deadline.Stop()
	select {
	case inst.url = <-urls:
	case <-inst.exited:
		return nil, fmt.Errorf("parley exited before it was ready: %s", inst.stderr.String())
	case <-deadline.C:
		inst.kill()
		return nil, fmt.Errorf("parley printed no %q line within %s", readyLine, startTimeout)
	case <-ctx.Done():
		inst.kill()
		return nil, ctx.Err()
	}
	for {
		if inst.get("/healthz") == http.StatusOK {
			inst.ready = time.Since(start)
			return inst, nil
		}
		select {
		case <-time.After(time.Millisecond):
		case <-inst.exited:
			return nil, fmt.Errorf("parley exited before /healthz answered: %s", inst.stderr.String())
		case <-deadline.C:
			inst.kill()
			return nil, fmt.Errorf("/healthz did not answer 200 within %s", startTimeout)
		case <-ctx.Done():
			inst.kill()
			return nil, ctx.Err()
		}
	}
}

// get requests path and returns the status, 0 on a transport error.
func (p *instance) get(path string) int {
	resp, err := p.client.Get(p.url + path)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// stop sends SIGTERM and waits for the exit (killing after 15 s).
func (p *instance) stop() error {
	p.client.CloseIdleConnections()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal parley: %w", err)
	}
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		p.kill()
		return errors.New("parley did not stop within 15 s of SIGTERM; killed it")
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		return fmt.Errorf("parley exited with status %d: %s", code, p.stderr.String())
	}
	return nil
}

// kill ends the process at once and waits for it.
func (p *instance) kill() {
	p.cmd.Process.Kill()
	<-p.exited
}

// timeVersion runs `parley --version` and returns its wall time.
func timeVersion(ctx context.Context, bin string) (time.Duration, error) {
	t0 := time.Now()
	if _, err := runQuiet(ctx, bin, "--version"); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// procStatus returns the kB values of the named fields of /proc/PID/status.
func procStatus(pid int, names ...string) (map[string]int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, fmt.Errorf("read status: %w", err)
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		for _, n := range names {
			if k == n {
				kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				if err != nil {
					return nil, fmt.Errorf("parse %s %q: %w", k, v, err)
				}
				out[k] = kb
			}
		}
	}
	for _, n := range names {
		if _, ok := out[n]; !ok {
			return nil, fmt.Errorf("/proc/%d/status has no %s", pid, n)
		}
	}
	return out, sc.Err()
}

// lineWatcher is a process's stdout: it sends the rest of the first line
// starting with prefix to found and discards everything else.
type lineWatcher struct {
	prefix string
	found  chan<- string
	mu     sync.Mutex
	buf    []byte
	done   bool
}

func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := strings.TrimSpace(string(w.buf[:i]))
		w.buf = w.buf[i+1:]
		if rest, ok := strings.CutPrefix(line, w.prefix); ok {
			w.done, w.buf = true, nil
			w.found <- rest
			return len(p), nil
		}
	}
}

// limitedBuffer keeps the last 8 KiB written to it.
type limitedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - 8<<10; over > 0 {
		b.buf = b.buf[over:]
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(string(b.buf))
}
