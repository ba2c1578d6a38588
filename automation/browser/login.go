package browser

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/mxschmitt/playwright-go"
)

// LoginWindow opens a visible window on loginURL for the account and
// waits until signedIn reports true; the user types their own password
// and answers 2FA there (Parley never types a password). The session is
// then saved and the window closed. The account's job context is saved
// and closed first, so the window starts from it, and Context refuses
// the account (ErrSigningIn) while the window is open.
//
// signedIn is asked every Options.LoginPoll; it should answer at once
// (count or check elements, no waiting). Its errors are taken as "not
// yet": pages navigate under it. LoginWindow returns an error when ctx
// ends first, ErrWindowClosed when the user closes the window, and
// ErrClosed when the pool closes meanwhile.
func (p *Pool) LoginWindow(ctx context.Context, accountID uint64, loginURL string, signedIn func(playwright.Page) (bool, error)) error {
	a, err := p.entry(accountID)
	if err != nil {
		return err
	}
	a.mu.Lock()
	if a.login {
		a.mu.Unlock()
		return fmt.Errorf("browser: account %d: %w", accountID, ErrSigningIn)
	}
	err = p.save(accountID, a)
	p.closeCtx(a)
	if err != nil {
		a.mu.Unlock()
		return err
	}
	a.login = true
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.login = false
		a.mu.Unlock()
	}()

	b, err := p.acquire(ctx, visible)
	if err != nil {
		return err
	}
	defer p.release(visible)
	c, err := p.newContext(b, accountID)
	if err != nil {
		return p.unlessClosed(accountID, err)
	}
	defer func() {
		p.life.Lock()
		c.Close()
		p.life.Unlock()
	}()
	page, err := c.NewPage()
	if err != nil {
		return p.windowError(accountID, err)
	}
	closed := make(chan struct{})
	var once sync.Once
	page.OnClose(func(playwright.Page) { once.Do(func() { close(closed) }) })
	if _, err := page.Goto(loginURL); err != nil {
		if page.IsClosed() {
			return p.windowError(accountID, nil)
		}
		return p.windowError(accountID, fmt.Errorf("opening the login page: %w", err))
	}
	p.log.Info("login window open", "account_id", accountID)
	if err := p.waitSignedIn(ctx, accountID, page, closed, signedIn); err != nil {
		return err
	}
	if err := writeState(p.o.Dir, accountID, c); err != nil {
		return fmt.Errorf("browser: saving the session of account %d: %w", accountID, err)
	}
	p.log.Info("signed in; browser session saved", "account_id", accountID)
	return nil
}

func (p *Pool) waitSignedIn(ctx context.Context, id uint64, page playwright.Page, closed <-chan struct{}, signedIn func(playwright.Page) (bool, error)) error {
	tick := time.NewTicker(p.o.LoginPoll)
	defer tick.Stop()
	var last error
	for {
		ok, err := signedIn(page)
		if page.IsClosed() {
			return p.windowError(id, nil)
		}
		if err == nil && ok {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("browser: account %d: the sign-in did not finish in time (last check: %v): %w", id, last, ctx.Err())
			}
			return fmt.Errorf("browser: account %d: the sign-in did not finish in time: %w", id, ctx.Err())
		case <-closed:
			return p.windowError(id, nil)
		case <-tick.C:
		}
	}
}

// windowError explains why the window went away: the pool closed, the
// user closed it, or err.
func (p *Pool) windowError(id uint64, err error) error {
	if err == nil {
		err = ErrWindowClosed
	}
	return p.unlessClosed(id, fmt.Errorf("browser: account %d: %w", id, err))
}
