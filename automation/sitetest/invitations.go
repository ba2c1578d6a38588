package sitetest

import (
	"net/http"
	"time"
)

type sentView struct{ Invitations []sentInvitation }

type sentInvitation struct {
	Profile     Profile
	Name        string
	At          time.Time
	WithdrawURL string
}

// sentInvitations is /mynetwork/invitation-manager/sent/: the pending
// invitations of the account, newest first, each with Withdraw.
func (s *Site) sentInvitations(w http.ResponseWriter, r *http.Request, v viewer) {
	var sv sentView
	s.mu.Lock()
	for i := len(s.invites) - 1; i >= 0; i-- {
		inv := s.invites[i]
		if inv.Account != v.Email || s.relation(pair{v.Email, inv.Slug}) != RelationPending || sentListed(sv, inv.Slug) {
			continue
		}
		p := s.profiles[inv.Slug]
		sv.Invitations = append(sv.Invitations, sentInvitation{Profile: p, Name: p.Name(), At: inv.At, WithdrawURL: withdrawURL(inv.Slug)})
	}
	s.mu.Unlock()
	s.page(w, http.StatusOK, "sent", &v, text(s.opts.Locale, "sent_title", ""), "network", sv)
}

func sentListed(sv sentView, slug string) bool {
	for _, i := range sv.Invitations {
		if i.Profile.Slug == slug {
			return true
		}
	}
	return false
}
