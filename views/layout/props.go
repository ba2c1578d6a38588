// Package layout is the page frame: head, navigation, banners, footer.
package layout

// Props is what every page passes to the layout.
type Props struct {
	Title   string
	Active  string
	Assets  Assets
	Version string
	// User is the signed-in user ("" on the login and setup pages).
	User string
	// CSRFToken is published in a meta tag for htmx and in every form.
	CSRFToken string
	Banners   []Banner
	// Badges are counts shown beside navigation items, by key (e.g. the
	// drafts waiting in Approvals).
	Badges map[string]int
}

// Assets are the content-hashed URLs of the static files.
type Assets struct {
	CSS, HTMX, SSE, AppJS, Icon string
}

// Banner is a notice shown above every page (e.g. a failed backup).
type Banner struct {
	// Kind is bad, warn or ok.
	Kind     string
	Title    string
	Text     string
	Link     string
	LinkText string
}

// NavItem is one entry of the top navigation. Admin entries live in the
// menu under the user's name.
type NavItem struct {
	Key, Label, Href string
	Admin            bool
}

// Nav lists the pages in navigation order.
func Nav() []NavItem {
	return []NavItem{
		{Key: "dashboard", Label: "Dashboard", Href: "/"},
		{Key: "leads", Label: "Leads", Href: "/leads"},
		{Key: "campaigns", Label: "Campaigns", Href: "/campaigns"},
		{Key: "approvals", Label: "Approvals", Href: "/approvals"},
		{Key: "templates", Label: "Templates", Href: "/templates"},
		{Key: "dnc", Label: "Do not contact", Href: "/dnc"},
		{Key: "accounts", Label: "Accounts", Href: "/accounts"},
		{Key: "incidents", Label: "Incidents", Href: "/incidents"},
		{Key: "jobs", Label: "Jobs", Href: "/jobs"},
		{Key: "dead", Label: "Dead letters", Href: "/jobs/dead"},
		{Key: "settings", Label: "Settings", Href: "/settings", Admin: true},
		{Key: "backups", Label: "Backups", Href: "/backups", Admin: true},
		{Key: "audit", Label: "Audit", Href: "/audit", Admin: true},
		{Key: "sessions", Label: "Sessions", Href: "/sessions", Admin: true},
		{Key: "api-keys", Label: "API keys", Href: "/api-keys", Admin: true},
	}
}

// adminActive reports whether the current page is one of the menu's.
func adminActive(active string) bool {
	for _, item := range Nav() {
		if item.Admin && item.Key == active {
			return true
		}
	}
	return false
}

const htmxConfig = `{"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,"selfRequestsOnly":true,"historyCacheSize":0}`
