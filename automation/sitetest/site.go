package sitetest

import (
	"context"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"sync"
	"time"
)

// Layouts of the profile page.
const (
	// LayoutClassic shows Connect as a top-card button and renders dialogs
	// in the page.
	LayoutClassic = "classic"
	// LayoutAlt hides Connect/Pending in the "More" menu, makes Message a
	// link, and renders dialogs inside an open shadow root.
	LayoutAlt = "alt"
	// LayoutRedesign is the classic layout with the messaging page
	// rebuilt under new class names the built-in selector pack does not
	// know, as when LinkedIn ships a redesign: the canary must catch it.
	LayoutRedesign = "redesign"
)

// Options configure a Site.
type Options struct {
	// Layout is LayoutClassic (the default), LayoutAlt or LayoutRedesign.
	Layout string
	// Locale is "en" (the default), "de" or "fr".
	Locale string
	// Clock stamps invitations and messages; time.Now by default.
	Clock func() time.Time
	// SlowPages, when > 0, delays every response except static files.
	SlowPages time.Duration
	// AfterInvite, when set, is called with every invitation once it is
	// recorded and before the browser gets its answer (crash tests block
	// here, so the invite exists while its sender has not heard back).
	AfterInvite func(Invite)
}

// Site is the LinkedIn-like site with its in-memory state. Its methods are
// safe for concurrent use.
type Site struct {
	opts    Options
	now     func() time.Time
	pages   map[string]*template.Template
	frags   *template.Template
	handler http.Handler

	mu          sync.Mutex
	accounts    map[string]*accountState // by lower-case email
	profiles    map[string]Profile       // by slug
	order       []string                 // slugs, in the order added
	sessions    map[string]string        // li_at token -> lower-case email
	relations   map[pair]Relation
	withdrawnAt map[pair]time.Time
	reads       map[pair]int // seq of the last message the account has seen
	invites     []Invite
	messages    []Message
	withdrawn   []Withdrawal
	seq         int
}

// New returns an empty site. It panics on an unknown layout or locale.
func New(opts Options) *Site {
	if opts.Layout == "" {
		opts.Layout = LayoutClassic
	}
	mustLayout(opts.Layout)
	if opts.Locale == "" {
		opts.Locale = "en"
	}
	if !knownLocale(opts.Locale) {
		panic(fmt.Sprintf("sitetest: unknown locale %q (want en, de or fr)", opts.Locale))
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	s := &Site{
		opts:        opts,
		now:         opts.Clock,
		accounts:    map[string]*accountState{},
		profiles:    map[string]Profile{},
		sessions:    map[string]string{},
		relations:   map[pair]Relation{},
		withdrawnAt: map[pair]time.Time{},
		reads:       map[pair]int{},
	}
	s.pages, s.frags = parseTemplates(s.funcs())
	s.handler = s.withJSession(s.slow(s.routes()))
	return s
}

func mustLayout(layout string) {
	if layout != LayoutClassic && layout != LayoutAlt && layout != LayoutRedesign {
		panic(fmt.Sprintf("sitetest: unknown layout %q (want classic, alt or redesign)", layout))
	}
}

// Handler serves the site.
func (s *Site) Handler() http.Handler { return s.handler }

// Start serves the site on a free port of 127.0.0.1 and returns its base
// URL (no trailing slash) and a function that stops it.
func (s *Site) Start() (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("sitetest: listen: %w", err)
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if srv.Shutdown(ctx) != nil {
				srv.Close()
			}
			<-done
		})
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// slow delays every response but static files by Options.SlowPages.
func (s *Site) slow(next http.Handler) http.Handler {
	d := s.opts.SlowPages
	if d <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isStatic(r) {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
