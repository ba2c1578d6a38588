package sitetest

import (
	"net/http"
	"net/url"
)

type challengeView struct{ FrameURL string }

type captchaView struct {
	Lang      string
	VerifyURL string
}

// challenge is /checkpoint/challenge/{id}: "Let's do a quick security
// check" with a captcha in an iframe. Only a human passes it (Verify in
// the frame); a member without an open challenge goes on to the feed.
func (s *Site) challenge(w http.ResponseWriter, r *http.Request, v viewer, a *accountState) {
	id := r.PathValue("id")
	if a.checkpoint == "" || a.checkpoint != id {
		http.Redirect(w, r, "/feed/", http.StatusFound)
		return
	}
	frame := "/checkpoint/challenge/" + url.PathEscape(id) + "/captcha"
	s.page(w, http.StatusOK, "challenge", nil, text(s.opts.Locale, "challenge_title", ""), "", challengeView{FrameURL: frame})
}

// captcha is the document in the challenge's iframe.
func (s *Site) captcha(w http.ResponseWriter, r *http.Request, v viewer, a *accountState) {
	if a.checkpoint == "" || a.checkpoint != r.PathValue("id") {
		http.NotFound(w, r)
		return
	}
	s.frag(w, "captcha", captchaView{Lang: s.opts.Locale, VerifyURL: "/checkpoint/challenge/" + url.PathEscape(a.checkpoint) + "/verify"})
}

// verify is the human passing the challenge: the checkpoint is lifted.
func (s *Site) verify(w http.ResponseWriter, r *http.Request, v viewer, a *accountState) {
	s.mu.Lock()
	if st := s.acct(v.Email); st.checkpoint == r.PathValue("id") {
		st.checkpoint = ""
	}
	s.mu.Unlock()
	http.Redirect(w, r, "/feed/", http.StatusSeeOther)
}

// restrictedPage is where a restricted account lands on every page load.
func (s *Site) restrictedPage(w http.ResponseWriter, r *http.Request, v viewer, a *accountState) {
	if !a.restricted {
		http.Redirect(w, r, "/feed/", http.StatusFound)
		return
	}
	s.page(w, http.StatusOK, "restricted", nil, text(s.opts.Locale, "restricted_title", ""), "", nil)
}
