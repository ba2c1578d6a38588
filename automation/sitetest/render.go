package sitetest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html/template"
	"net/http"
	"strings"
	"time"
	"unicode"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageNames are the templates that render a whole page in the layout.
var pageNames = []string{"login", "feed", "profile", "network", "sent", "inbox", "thread", "challenge", "restricted", "notfound"}

// parseTemplates parses every page (layout + parts + page) and the
// fragments (dialogs and the captcha frame). A broken template is a bug,
// so it panics.
func parseTemplates(funcs template.FuncMap) (map[string]*template.Template, *template.Template) {
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html"))
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.Must(base.Clone())
		pages[name] = template.Must(t.ParseFS(templateFS, "templates/"+name+".html"))
	}
	frags := template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/dialogs.html", "templates/captcha.html"))
	return pages, frags
}

// view is what the layout renders around a page.
type view struct {
	Title   string
	Lang    string
	Layout  string
	Active  string // the global-nav item of the page
	Viewer  *viewer
	Content any
}

// page renders a page in the layout.
func (s *Site) page(w http.ResponseWriter, status int, name string, v *viewer, title, active string, content any) {
	vw := view{Title: title, Lang: s.opts.Locale, Layout: s.opts.Layout, Active: active, Viewer: v, Content: content}
	if v != nil {
		vw.Layout = v.Layout
	}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", vw); err != nil {
		http.Error(w, "sitetest: render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// frag renders a fragment (a dialog, the captcha frame).
func (s *Site) frag(w http.ResponseWriter, name string, data any) {
	var buf bytes.Buffer
	if err := s.frags.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "sitetest: render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

// result is the JSON answer of the API and of refused fragments. The
// page's script follows Redirect, opens Modal, re-renders the page when
// Refresh is set and shows Toast.
type result struct {
	Status   int    `json:"status"`
	Code     string `json:"code,omitempty"`
	Toast    string `json:"toast,omitempty"`
	Modal    string `json:"modal,omitempty"`
	Redirect string `json:"redirect,omitempty"`
	Refresh  bool   `json:"refresh,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, res result) {
	res.Status = status
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(res)
}

// funcs are the template functions, bound to the site's locale and clock.
func (s *Site) funcs() template.FuncMap {
	loc := s.opts.Locale
	t := func(k string) (string, error) {
		if v, ok := lookup(loc, k); ok {
			return v, nil
		}
		return "", fmt.Errorf("no string %q", k)
	}
	return template.FuncMap{
		"t": t,
		"tname": func(k, name string) (string, error) {
			v, err := t(k)
			return strings.ReplaceAll(v, "{name}", name), err
		},
		"tn": func(k string, n int) (string, error) {
			v, err := t(k)
			return strings.ReplaceAll(v, "{n}", fmt.Sprint(n)), err
		},
		"degree":   func(d int) (string, error) { return t(fmt.Sprintf("degree_%d", d)) },
		"degreeSR": func(d int) (string, error) { return t(fmt.Sprintf("degree_%d_long", d)) },
		"stamp":    func(at time.Time) string { return stamp(loc, s.now(), at) },
		"sentAgo":  func(at time.Time) string { return sentAgo(loc, s.now(), at) },
		"iso":      func(at time.Time) string { return at.UTC().Format(time.RFC3339) },
		"avatar":   avatar,
		"icon":     icon,
	}
}

// avatar is an inline SVG with the member's initials: no image leaves the
// site. A labelled avatar is an image named after the member (like the
// photo's alt text on LinkedIn); otherwise it is hidden from assistive
// technology.
func avatar(name string, size int, labelled bool) template.HTML {
	var initials []rune
	for _, f := range strings.Fields(name) {
		if r := []rune(f); len(initials) < 2 && unicode.IsLetter(r[0]) {
			initials = append(initials, unicode.ToUpper(r[0]))
		}
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	a11y := `aria-hidden="true"`
	if labelled {
		a11y = `role="img" aria-label="` + template.HTMLEscapeString(name) + `"`
	}
	return template.HTML(fmt.Sprintf(`<svg class="avatar" width="%d" height="%d" viewBox="0 0 48 48" %s>`+
		`<circle cx="24" cy="24" r="24" fill="hsl(%d, 40%%, 42%%)"/>`+
		`<text x="24" y="30.5" text-anchor="middle" font-size="18" font-family="sans-serif" fill="#fff">%s</text></svg>`,
		size, size, a11y, h.Sum32()%360, template.HTMLEscapeString(string(initials))))
}

// icons are the few glyphs the pages use, drawn inline.
var icons = map[string]string{
	"logo":      `<svg class="icon icon--logo" width="34" height="34" viewBox="0 0 34 34" aria-hidden="true"><rect width="34" height="34" rx="4" fill="#0a66c2"/><text x="17" y="24" text-anchor="middle" font-size="18" font-weight="700" font-family="sans-serif" fill="#fff">in</text></svg>`,
	"home":      `<svg class="icon" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path d="M23 9v2h-2v7a3 3 0 01-3 3h-4v-6h-4v6H6a3 3 0 01-3-3v-7H1V9l11-7z" fill="currentColor"/></svg>`,
	"network":   `<svg class="icon" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 16v6H3v-6a3 3 0 013-3h3a3 3 0 013 3zm5.5-3A3.5 3.5 0 1014 9.5a3.5 3.5 0 003.5 3.5zm1 2h-2a2.5 2.5 0 00-2.5 2.5V22h7v-4.5a2.5 2.5 0 00-2.5-2.5zM7.5 2A4.5 4.5 0 1012 6.5 4.49 4.49 0 007.5 2z" fill="currentColor"/></svg>`,
	"messaging": `<svg class="icon" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path d="M16 4H8a7 7 0 000 14h4v4l8.16-5.39A6.78 6.78 0 0023 11a7 7 0 00-7-7zm-8 8.25A1.25 1.25 0 119.25 11 1.25 1.25 0 018 12.25zm4 0A1.25 1.25 0 1113.25 11 1.25 1.25 0 0112 12.25zm4 0A1.25 1.25 0 1117.25 11 1.25 1.25 0 0116 12.25z" fill="currentColor"/></svg>`,
	"close":     `<svg class="icon" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path d="M13.42 12L20 18.58 18.58 20 12 13.42 5.42 20 4 18.58 10.58 12 4 5.42 5.42 4 12 10.58 18.58 4 20 5.42z" fill="currentColor"/></svg>`,
	"connect":   `<svg class="icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M9 4a3 3 0 11-3-3 3 3 0 013 3zM6.75 8h-1.5A2.25 2.25 0 003 10.25V15h6v-4.75A2.25 2.25 0 006.75 8zM13 8V6h-1v2h-2v1h2v2h1V9h2V8z" fill="currentColor"/></svg>`,
	"send":      `<svg class="icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><path d="M14 2L0 6.67l5 2.64 5.67-3.98L6.7 11l2.63 5L14 2z" fill="currentColor"/></svg>`,
	"lock":      `<svg class="icon" width="48" height="48" viewBox="0 0 24 24" aria-hidden="true"><path d="M17 10V7A5 5 0 007 7v3H5v12h14V10zm-8-3a3 3 0 016 0v3H9z" fill="currentColor"/></svg>`,
}

func icon(name string) template.HTML { return template.HTML(icons[name]) }
