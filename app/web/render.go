package web

import (
	"bytes"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"parley/views/layout"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a templ component as HTML. It renders into a buffer first
// so a failing template yields a clean error page, not half a page.
func (s *Server) render(c echo.Context, status int, comp templ.Component) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// layout builds the frame every page shares, with the banners that must be
// visible everywhere (a failed backup, a damaged database).
func (s *Server) layout(c echo.Context, title, active string) layout.Props {
	return layout.Props{
		Title:  title,
		Active: active,
		Assets: layout.Assets{
			CSS:   s.assets.URL("app.css"),
			HTMX:  s.assets.URL("vendor/htmx.min.js"),
			SSE:   s.assets.URL("vendor/htmx-ext-sse.min.js"),
			AppJS: s.assets.URL("app.js"),
			Icon:  s.assets.URL("icon.svg"),
		},
		Version:   s.o.Version,
		User:      authOf(c).User,
		CSRFToken: authOf(c).CSRF,
		Banners:   s.banners(c),
		Badges:    s.badges(c),
	}
}

// badges are the counts beside navigation items.
func (s *Server) badges(c echo.Context) map[string]int {
	if !s.signedIn(c) {
		return nil
	}
	b := map[string]int{}
	if s.o.Campaigns != nil {
		b["approvals"] = s.o.Campaigns.PendingApprovals()
	}
	if s.o.Runtime != nil {
		b["incidents"], b["dead"] = s.runtimeCounts()
	}
	return b
}

func (s *Server) banners(c echo.Context) []layout.Banner {
	var out []layout.Banner
	if !s.signedIn(c) {
		return nil // nothing about this installation before sign-in
	}
	if s.o.Integrity != nil {
		if r := s.o.Integrity(); r.State == "failed" {
			out = append(out, layout.Banner{
				Kind: "bad", Title: "The database failed its consistency check.",
				Text: r.Detail + " Stop Parley and restore the newest backup (parley --restore FILE).",
				Link: "/backups", LinkText: "See backups",
			})
		}
	}
	if s.o.Runtime != nil {
		if st, err := s.o.Runtime.Settings(); err != nil {
			s.log.Error("banner: runtime settings", "error", err)
		} else if !st.EnforceCeilings {
			out = append(out, layout.Banner{
				Kind: "bad", Title: "Compliance ceilings are off.",
				Text: "Accounts may act up to their own limits, beyond the conservative ceilings, which LinkedIn is far more likely to restrict. Turn them back on unless you are sure.",
				Link: "/settings/runtime", LinkText: "Runtime settings",
			})
		}
	}
	st, err := s.o.Backups.Status()
	if err != nil {
		s.log.Error("banner: backup status", "error", err)
		return out
	}
	if f := st.LastFailure; f != nil {
		out = append(out, layout.Banner{
			Kind: "bad", Title: "The last backup failed (" + f.FinishedAt.UTC().Format("2 Jan 15:04 UTC") + ").",
			Text: f.Error + ". This stays here until a backup succeeds.",
			Link: "/backups", LinkText: "Open backups",
		})
	}
	return out
}
