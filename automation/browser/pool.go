// Package browser runs Parley's browser sessions: one shared headless
// Chromium, launched on first use, and in it one isolated BrowserContext
// per LinkedIn account (its own cookies, storage and cache), restored
// from the account's saved storage state and saved again after each job
// and on close. A visible browser is a separate launch, used by the "Log
// in" window and by accounts switched to visible.
//
// The saved states hold session cookies: they are secrets, written 0600
// and never logged. Parley never types a password; the user signs in in
// the login window. Nothing here hides automation from the sites visited.
package browser

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"sync"
	"time"

	"github.com/mxschmitt/playwright-go"

	"parley/automation"
)

// Errors callers may test with errors.Is.
var (
	ErrClosed       = errors.New("the browser sessions are shut down")
	ErrSigningIn    = errors.New("a login window is open for this account")
	ErrWindowClosed = errors.New("the login window was closed before the sign-in finished")
)

// Options configure Open.
type Options struct {
	// Dir holds the saved sessions (config.Paths.BrowserProfiles()).
	Dir string
	// Browser is the executable; the zero value means
	// automation.FindBrowser(os.Getenv).
	Browser automation.Browser
	// Headless keeps every window headless, the login window and accounts
	// switched to visible included: for tests and machines without a
	// display. Jobs run headless either way.
	Headless bool
	Logger   *slog.Logger
	// LoginPoll is how often LoginWindow asks whether the user has signed
	// in (default 1 s).
	LoginPoll time.Duration
}

// Browsers of a pool, by index.
const (
	hidden  = 0 // the shared headless browser for jobs
	visible = 1 // launched while a login window or a visible account needs it
)

// Pool hands out one BrowserContext per account. It is safe for
// concurrent use.
type Pool struct {
	o   Options
	log *slog.Logger

	// life orders creating contexts against closing contexts and
	// browsers: playwright-go writes a new context's fields after the
	// driver answers, unsynchronised with the close events it dispatches,
	// so a close must not run while a context is being created. Taken
	// after mu, never before it.
	life sync.Mutex

	mu       sync.Mutex // guards everything below; held while launching
	closed   bool
	pw       *playwright.Playwright
	browsers [2]playwright.Browser
	users    [2]int // open contexts per browser; the visible one closes at 0
	accounts map[uint64]*account
}

// account is one account's session. Its lock is taken before the pool's,
// never the other way round.
type account struct {
	mu      sync.Mutex
	ctx     playwright.BrowserContext
	in      int  // the browser ctx lives in
	visible bool // where the next ctx opens
	login   bool // a login window is open
}

// Open prepares a pool. It launches nothing: the driver and the browser
// start with the first Context (or Start).
func Open(o Options) (*Pool, error) {
	if o.Dir == "" {
		return nil, errors.New("browser: Options.Dir is empty")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.LoginPoll <= 0 {
		o.LoginPoll = time.Second
	}
	if o.Browser.Path == "" {
		b, err := automation.FindBrowser(os.Getenv)
		if err != nil {
			return nil, err
		}
		o.Browser = b
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	return &Pool{o: o, log: o.Logger, accounts: map[uint64]*account{}}, nil
}

// Start launches the shared headless browser now rather than at the
// first Context.
func (p *Pool) Start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err := p.launchLocked(ctx, hidden)
	return err
}

// Context returns the account's BrowserContext, opening it (restored from
// the saved session, if any) on first use. Callers open and close their
// own pages in it and call Save after each job; the context stays open
// for the account's next job.
func (p *Pool) Context(ctx context.Context, accountID uint64) (playwright.BrowserContext, error) {
	a, err := p.entry(accountID)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.login {
		return nil, fmt.Errorf("browser: account %d: %w", accountID, ErrSigningIn)
	}
	if a.ctx != nil && !a.ctx.IsClosed() && a.ctx.Browser().IsConnected() {
		return a.ctx, nil
	}
	p.closeCtx(a) // gone with a crashed browser
	in := hidden
	if a.visible {
		in = visible
	}
	b, err := p.acquire(ctx, in)
	if err != nil {
		return nil, err
	}
	c, err := p.newContext(b, accountID)
	if err != nil {
		p.release(in)
		return nil, p.unlessClosed(accountID, err)
	}
	a.ctx, a.in = c, in
	return c, nil
}

// Save writes the account's storage state to its file (0600, atomically).
// Without an open context it does nothing.
func (p *Pool) Save(accountID uint64) error {
	a := p.lookup(accountID)
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return p.save(accountID, a)
}

// Forget logs the account out of Parley's browser: its context is closed
// without saving and its saved session deleted.
func (p *Pool) Forget(accountID uint64) error {
	a, err := p.entry(accountID)
	if err == nil {
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.login {
			return fmt.Errorf("browser: account %d: %w", accountID, ErrSigningIn)
		}
		p.closeCtx(a)
	}
	if err := os.Remove(StateFile(p.o.Dir, accountID)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("browser: forgetting the session of account %d: %w", accountID, err)
	}
	p.log.Info("browser session forgotten", "account_id", accountID)
	return nil
}

// SetVisible chooses where the account's context runs from now on: in the
// shared headless browser (the default) or in a visible one. An open
// context is saved and closed; the next Context opens it in the other.
func (p *Pool) SetVisible(accountID uint64, show bool) error {
	a, err := p.entry(accountID)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.visible == show {
		return nil
	}
	a.visible = show
	err = p.save(accountID, a)
	p.closeCtx(a)
	return err
}

// Close saves every open session, closes the browsers and stops the
// driver. It may be called more than once.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	accounts := maps.Clone(p.accounts)
	p.mu.Unlock()

	var errs []error
	for id, a := range accounts {
		a.mu.Lock()
		errs = append(errs, p.save(id, a))
		p.closeCtx(a)
		a.mu.Unlock()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.life.Lock()
	for i, b := range p.browsers {
		if b != nil {
			b.Close()
			p.browsers[i] = nil
		}
	}
	p.life.Unlock()
	if p.pw != nil {
		if err := p.pw.Stop(); err != nil {
			errs = append(errs, fmt.Errorf("browser: stopping the playwright driver: %w", err))
		}
		p.pw = nil
	}
	p.log.Info("browser sessions closed", "accounts", len(accounts))
	return errors.Join(errs...)
}

// entry returns the account's record, creating it.
func (p *Pool) entry(id uint64) (*account, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, ErrClosed
	}
	a := p.accounts[id]
	if a == nil {
		a = &account{}
		p.accounts[id] = a
	}
	return a, nil
}

// unlessClosed returns ErrClosed instead of err when the pool closed
// meanwhile (err is then only the consequence).
func (p *Pool) unlessClosed(id uint64, err error) error {
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return fmt.Errorf("browser: account %d: %w", id, ErrClosed)
	}
	return err
}

func (p *Pool) lookup(id uint64) *account {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accounts[id]
}

// save writes the state of a's open context; a.mu is held.
func (p *Pool) save(id uint64, a *account) error {
	if a.ctx == nil || a.ctx.IsClosed() {
		return nil
	}
	if err := writeState(p.o.Dir, id, a.ctx); err != nil {
		return fmt.Errorf("browser: saving the session of account %d: %w", id, err)
	}
	p.log.Debug("browser session saved", "account_id", id)
	return nil
}

// closeCtx closes a's context without saving; a.mu is held.
func (p *Pool) closeCtx(a *account) {
	if a.ctx == nil {
		return
	}
	p.life.Lock()
	a.ctx.Close()
	p.life.Unlock()
	a.ctx = nil
	p.release(a.in)
}

// newContext opens an isolated context in b with the account's saved
// session, if there is one.
func (p *Pool) newContext(b playwright.Browser, id uint64) (playwright.BrowserContext, error) {
	var opts playwright.BrowserNewContextOptions
	file := StateFile(p.o.Dir, id)
	if _, err := os.Stat(file); err == nil {
		opts.StorageStatePath = &file
	}
	p.life.Lock()
	c, err := b.NewContext(opts)
	p.life.Unlock()
	switch {
	case err != nil && opts.StorageStatePath != nil:
		return nil, fmt.Errorf("browser: account %d: the saved session %s cannot be restored (%v); log the account in again", id, file, err)
	case err != nil:
		return nil, fmt.Errorf("browser: account %d: %w", id, err)
	}
	return c, nil
}
