package campaigns

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"parley/app/model"
)

// Runner runs uploaded imports in the background, one at a time per file,
// lets them be cancelled, and cancels them (recording how far they got)
// when Parley stops. Uploaded files wait in dir until they are imported or
// a day old.
type Runner struct {
	svc    *Service
	dir    string
	log    *slog.Logger
	mu     sync.Mutex
	cancel map[uint64]context.CancelFunc
	// taken are uploads whose import started: they are gone for callers
	// even before the background import finishes and deletes the file.
	taken map[string]bool
	base  context.Context
	stop  context.CancelFunc
	wg    sync.WaitGroup
}

// NewRunner keeps uploads in dir.
func NewRunner(svc *Service, dir string, log *slog.Logger) *Runner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base, stop := context.WithCancel(context.Background())
	return &Runner{svc: svc, dir: dir, log: log, cancel: map[uint64]context.CancelFunc{}, taken: map[string]bool{}, base: base, stop: stop}
}

// MaxUpload bounds an uploaded file.
const MaxUpload = 200 << 20

// SaveUpload stores an uploaded file (0600) and returns its token. It
// refuses files over MaxUpload.
func (r *Runner) SaveUpload(src io.Reader) (string, error) {
	if err := os.MkdirAll(r.dir, 0o700); err != nil {
		return "", err
	}
	b := make([]byte, 16)
	rand.Read(b)
	token := hex.EncodeToString(b)
	f, err := os.OpenFile(r.path(token), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	n, err := io.Copy(f, io.LimitReader(src, MaxUpload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > MaxUpload {
		err = model.Errorf(model.CodeInvalid, "the file is larger than %d MB; split it into smaller files", MaxUpload>>20)
	}
	if err != nil {
		os.Remove(r.path(token))
		return "", err
	}
	return token, nil
}

// Open returns an uploaded file for the mapping step.
func (r *Runner) Open(token string) (*os.File, error) {
	r.mu.Lock()
	taken := r.taken[token]
	r.mu.Unlock()
	if !validToken(token) || taken {
		return nil, model.Errorf(model.CodeNotFound, "that upload does not exist any more; upload the file again")
	}
	f, err := os.Open(r.path(token))
	if err != nil {
		return nil, model.Errorf(model.CodeNotFound, "that upload does not exist any more; upload the file again")
	}
	return f, nil
}

func (r *Runner) path(token string) string { return filepath.Join(r.dir, "upload-"+token+".csv") }

func validToken(t string) bool {
	if len(t) != 32 {
		return false
	}
	_, err := hex.DecodeString(t)
	return err == nil
}

// Start imports an uploaded file in the background and returns the run as
// soon as it is recorded. The upload is deleted when the import ends.
func (r *Runner) Start(token string, opts ImportOptions, o model.Origin) (model.ImportRun, error) {
	f, err := r.Open(token)
	if err != nil {
		return model.ImportRun{}, err
	}
	r.mu.Lock()
	if r.taken[token] { // a double submit raced this one
		r.mu.Unlock()
		f.Close()
		return model.ImportRun{}, model.Errorf(model.CodeNotFound, "that upload is already being imported")
	}
	r.taken[token] = true
	r.mu.Unlock()
	if fi, err := f.Stat(); err == nil {
		opts.Size = fi.Size()
	}
	started := make(chan model.ImportRun, 1)
	failed := make(chan error, 1)
	ctx, cancel := context.WithCancel(r.base)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer cancel()
		var id uint64
		defer func() {
			f.Close()
			// A refused mapping leaves the upload for another try; a
			// started import consumes it.
			if id != 0 {
				os.Remove(f.Name())
			}
			r.mu.Lock()
			delete(r.taken, token)
			r.mu.Unlock()
		}()
		opts.Started = func(run model.ImportRun) {
			id = run.ID
			r.mu.Lock()
			r.cancel[id] = cancel
			r.mu.Unlock()
			started <- run
		}
		run, err := r.svc.Import(ctx, f, opts, o)
		r.mu.Lock()
		delete(r.cancel, id)
		r.mu.Unlock()
		if err != nil && id == 0 {
			// The refused upload is free again before the caller hears of
			// it: it shows the mapping step again from the same file.
			r.mu.Lock()
			delete(r.taken, token)
			r.mu.Unlock()
			failed <- err
			return
		}
		r.log.Info("import finished", "import", run.ID, "status", run.Status, "imported", run.Imported, "rejected", run.Rejected)
	}()
	select {
	case run := <-started:
		return run, nil
	case err := <-failed:
		return model.ImportRun{}, err
	}
}

// Cancel stops a running import after its current batch.
func (r *Runner) Cancel(id uint64) error {
	r.mu.Lock()
	cancel, ok := r.cancel[id]
	r.mu.Unlock()
	if !ok {
		return model.Errorf(model.CodeConflict, "import %d is not running", id)
	}
	cancel()
	return nil
}

// Serve removes stale uploads, then waits; when ctx ends it cancels
// running imports and waits for them to record their state.
func (r *Runner) Serve(ctx context.Context) error {
	r.sweep(24 * time.Hour)
	<-ctx.Done()
	r.Close()
	return nil
}

// Close cancels running imports and waits until they have recorded how
// far they got.
func (r *Runner) Close() {
	r.stop()
	r.wg.Wait()
}

func (r *Runner) sweep(maxAge time.Duration) {
	matches, _ := filepath.Glob(filepath.Join(r.dir, "upload-*.csv"))
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && time.Since(fi.ModTime()) > maxAge {
			if err := os.Remove(m); err != nil && !errors.Is(err, os.ErrNotExist) {
				r.log.Warn("removing an old upload failed", "file", m, "error", err)
			}
		}
	}
}
