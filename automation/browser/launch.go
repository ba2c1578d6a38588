package browser

import (
	"context"
	"fmt"
	"time"

	"github.com/mxschmitt/playwright-go"

	"parley/automation"
)

// acquire returns browser in (launching it if needed) and counts one
// more context in it.
func (p *Pool) acquire(ctx context.Context, in int) (playwright.Browser, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, err := p.launchLocked(ctx, in)
	if err == nil {
		p.users[in]++
	}
	return b, err
}

// release counts one context fewer in browser in; the visible browser
// closes when nothing uses it.
func (p *Pool) release(in int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users[in]--
	if in == visible && p.users[in] <= 0 && p.browsers[in] != nil {
		p.life.Lock()
		p.browsers[in].Close()
		p.life.Unlock()
		p.browsers[in] = nil
		p.users[in] = 0
	}
}

// launchLocked returns browser in, starting the driver and the browser
// when needed; p.mu is held.
func (p *Pool) launchLocked(ctx context.Context, in int) (playwright.Browser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.closed {
		return nil, ErrClosed
	}
	if b := p.browsers[in]; b != nil && b.IsConnected() {
		return b, nil
	}
	if p.pw == nil {
		if err := automation.InstallDriver(p.log); err != nil {
			return nil, fmt.Errorf("browser: %w", err)
		}
		// No logger or writers: playwright-go keeps them in package
		// variables (see automation.InstallDriver).
		pw, err := playwright.Run(&playwright.RunOptions{Verbose: false})
		if err != nil {
			return nil, fmt.Errorf("browser: starting the playwright driver: %w", err)
		}
		p.pw = pw
	}
	headless := in == hidden || p.o.Headless
	opts := automation.LaunchOptions(p.o.Browser, headless)
	if dl, ok := ctx.Deadline(); ok {
		opts.Timeout = playwright.Float(max(1, float64(time.Until(dl).Milliseconds())))
	}
	t0 := time.Now()
	b, err := p.pw.Chromium.Launch(opts)
	if err != nil {
		if ctx.Err() != nil { // the deadline became the launch timeout
			return nil, fmt.Errorf("browser: launching %s: %w", p.o.Browser.Path, ctx.Err())
		}
		return nil, fmt.Errorf("browser: launching %s: %w", p.o.Browser.Path, err)
	}
	p.browsers[in] = b
	p.log.Info("browser started", "path", p.o.Browser.Path, "version", b.Version(), "headless", headless,
		"took", time.Since(t0).Round(time.Millisecond))
	return b, nil
}
