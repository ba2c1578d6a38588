package runtime

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	mrand "math/rand/v2"
	"sync"
	"time"

	"parley/app/model"
	"parley/automation"
	"parley/storage"
)

// Options configure a Runtime.
type Options struct {
	Store  *storage.Store
	Site   automation.Site
	Clock  model.Clock
	Logger *slog.Logger
	// MaxJobsPerRun bounds the jobs one account runs in one turn
	// (ACCOUNT_MAX_JOBS_PER_RUN, default 60).
	MaxJobsPerRun int
	// Concurrency is how many accounts act at once (default 2).
	Concurrency int
	// Lease is how long a claim lasts unless extended (default 2 min).
	Lease time.Duration
	// Tick is the time between rounds (default 1 s).
	Tick time.Duration
	// AcceptEvery, InboxEvery and CanaryEvery space the checks.
	AcceptEvery, InboxEvery, CanaryEvery time.Duration
	// Seed makes pauses and jitter repeatable in tests (0: random).
	Seed uint64
	// SignedIn, when set, says whether an account has a LinkedIn session
	// to act with; an account without one waits and says "login needed".
	SignedIn func(accountID uint64) bool
	// EvidenceDir is where the site keeps screenshots and page copies; the
	// janitor deletes those past the evidence retention ("": none kept).
	EvidenceDir string
}

// Runtime is the job queue, the scheduler and the controls.
type Runtime struct {
	store *storage.Store
	site  automation.Site
	clock model.Clock
	log   *slog.Logger
	opts  Options

	mu      sync.Mutex
	rnd     *mrand.Rand
	busy    map[uint64]model.Job // account -> job running now
	turns   map[uint64]int64     // account -> round of its last turn
	holds   map[uint64]time.Time // account -> no turn before (see hold)
	sent    map[uint64]sentList  // account -> its pending invitations, as last read
	round   int64
	wake    chan struct{}
	running sync.WaitGroup
}

// New returns a Runtime and installs it as the store's planner.
func New(opts Options) *Runtime {
	if opts.Clock == nil {
		opts.Clock = model.SystemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxJobsPerRun <= 0 {
		opts.MaxJobsPerRun = 60
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 2
	}
	if opts.Lease <= 0 {
		opts.Lease = 2 * time.Minute
	}
	if opts.Tick <= 0 {
		opts.Tick = time.Second
	}
	if opts.AcceptEvery <= 0 {
		opts.AcceptEvery = 24 * time.Hour
	}
	if opts.InboxEvery <= 0 {
		opts.InboxEvery = 2 * time.Hour
	}
	if opts.CanaryEvery <= 0 {
		opts.CanaryEvery = 24 * time.Hour
	}
	seed := opts.Seed
	if seed == 0 {
		seed = mrand.Uint64()
	}
	r := &Runtime{store: opts.Store, site: opts.Site, clock: opts.Clock, log: opts.Logger, opts: opts,
		rnd: mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), busy: map[uint64]model.Job{},
		turns: map[uint64]int64{}, holds: map[uint64]time.Time{}, sent: map[uint64]sentList{}, wake: make(chan struct{}, 1)}
	opts.Store.SetPlanner(r)
	return r
}

// Wake asks for a round now (after a control or a new campaign).
func (r *Runtime) Wake() {
	r.unhold(0)
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *Runtime) randDuration(lo, hi time.Duration) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(r.rnd.Int64N(int64(hi-lo)))
}

func newAttemptID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// event builds a runtime event.
func event(typ string, o model.Origin, data map[string]any) model.Event {
	if data == nil {
		data = map[string]any{}
	}
	if o.Actor != "" {
		data["actor"] = o.Actor
	}
	b, _ := json.Marshal(data)
	return model.Event{Type: typ, RequestID: o.RequestID, Data: b}
}

// audit writes a successful audit record in the transaction making the
// change (DESIGN invariant 1).
func audit(tx *storage.Tx, o model.Origin, category, action, target string, details map[string]string) error {
	actor := o.Actor
	if actor == "" {
		actor = "anonymous"
	}
	_, err := tx.AppendAudit(model.AuditRecord{
		Category: category, Action: action, Actor: actor, AuthMethod: o.AuthMethod, PeerIP: o.PeerIP,
		RequestID: o.RequestID, Target: target, Outcome: model.OutcomeSuccess, Details: details,
	})
	return err
}

// schedulerOrigin is who the runtime acts as.
var schedulerOrigin = model.Origin{Actor: model.ActorScheduler, AuthMethod: "system"}
