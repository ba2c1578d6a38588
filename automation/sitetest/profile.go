package sitetest

import (
	"net/http"
	"net/url"
)

// profileView is a profile page: the top card, the same actions again in
// the (hidden until scrolled) sticky header, and other members with their
// own Connect buttons, as on LinkedIn.
type profileView struct {
	Profile Profile
	Name    string
	Degree  int
	TopCard actionsView
	Sticky  actionsView
	Others  []otherView
}

// actionsView is what the "profile-actions" template needs.
type actionsView struct {
	Name        string
	Relation    Relation
	Alt         bool
	MenuID      string
	InviteURL   string
	WithdrawURL string
	ThreadURL   string
}

type otherView struct {
	Profile   Profile
	Name      string
	InviteURL string
}

// maxOthers is how many members "More profiles for you" suggests.
const maxOthers = 3

func inviteURL(slug, step string) string {
	q := url.Values{"vanityName": {slug}}
	if step != "" {
		q.Set("step", step)
	}
	return "/preload/custom-invite/?" + q.Encode()
}

func withdrawURL(slug string) string {
	return "/preload/withdraw-invite/?" + url.Values{"vanityName": {slug}}.Encode()
}

func threadURL(email, slug string) string { return "/messaging/thread/" + ThreadID(email, slug) + "/" }

// profile is /in/{slug}/.
func (s *Site) profile(w http.ResponseWriter, r *http.Request, v viewer) {
	slug := r.PathValue("slug")
	s.mu.Lock()
	p, ok := s.profiles[slug]
	if !ok {
		s.mu.Unlock()
		s.notFoundFor(w, r, &v)
		return
	}
	k := pair{v.Email, slug}
	pv := profileView{Profile: p, Name: p.Name(), Degree: s.degree(k)}
	actions := actionsView{
		Name: p.Name(), Relation: s.relation(k), Alt: v.Layout == LayoutAlt,
		InviteURL: inviteURL(slug, ""), WithdrawURL: withdrawURL(slug), ThreadURL: threadURL(v.Email, slug),
	}
	for _, o := range s.order {
		if o != slug && len(pv.Others) < maxOthers && s.relation(pair{v.Email, o}) == RelationNone {
			op := s.profiles[o]
			pv.Others = append(pv.Others, otherView{Profile: op, Name: op.Name(), InviteURL: inviteURL(o, "")})
		}
	}
	s.mu.Unlock()
	pv.TopCard, pv.Sticky = actions, actions
	pv.TopCard.MenuID, pv.Sticky.MenuID = "profile-overflow-menu", "sticky-overflow-menu"
	s.page(w, http.StatusOK, "profile", &v, text(s.opts.Locale, "profile_title", p.Name()), "", pv)
}
