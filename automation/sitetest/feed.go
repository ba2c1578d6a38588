package sitetest

import (
	"net/http"
	"strings"
)

// home is /: the feed for a member.
func (s *Site) home(w http.ResponseWriter, r *http.Request, v viewer) {
	http.Redirect(w, r, "/feed/", http.StatusFound)
}

type feedView struct{ Name string }

// feed is the signed-in home page: the global nav with the Me menu and the
// identity card both name the member.
func (s *Site) feed(w http.ResponseWriter, r *http.Request, v viewer) {
	s.page(w, http.StatusOK, "feed", &v, text(s.opts.Locale, "feed_title", ""), "feed", feedView{Name: v.Name})
}

type networkView struct{ Connections []connectionView }

type connectionView struct{ Slug, Name, Headline string }

// network is /mynetwork/: the member's connections and a way to the
// invitation manager.
func (s *Site) network(w http.ResponseWriter, r *http.Request, v viewer) {
	var nv networkView
	s.mu.Lock()
	for _, slug := range s.order {
		if s.relation(pair{v.Email, slug}) == RelationConnected {
			p := s.profiles[slug]
			nv.Connections = append(nv.Connections, connectionView{Slug: slug, Name: p.Name(), Headline: p.Headline})
		}
	}
	s.mu.Unlock()
	s.page(w, http.StatusOK, "network", &v, text(s.opts.Locale, "network_title", ""), "network", nv)
}

// notFound is LinkedIn's "This page doesn't exist", with the nav for a
// signed-in member.
func (s *Site) notFound(w http.ResponseWriter, r *http.Request) {
	s.notFoundFor(w, r, nil)
}

func (s *Site) notFoundFor(w http.ResponseWriter, r *http.Request, v *viewer) {
	if strings.HasPrefix(r.URL.Path, "/voyager/") || strings.HasPrefix(r.URL.Path, "/preload/") {
		writeJSON(w, http.StatusNotFound, result{Code: "not_found"})
		return
	}
	if v == nil {
		if vw, hold := s.admit(r, r.URL.RequestURI()); hold == nil {
			v = &vw
		}
	}
	s.page(w, http.StatusNotFound, "notfound", v, text(s.opts.Locale, "notfound_title", ""), "", nil)
}
