package sitetest

import (
	"errors"
	"net/http"
	"strings"
)

// dialogView is what an invitation dialog needs.
type dialogView struct {
	Slug    string
	Name    string
	NoteURL string
}

// inviteDialog is /preload/custom-invite/?vanityName=slug[&step=note|quota]:
// "Add a note to your invitation?", the note form, or, when the account
// has no personalized invitations left, the upsell that replaces it.
func (s *Site) inviteDialog(w http.ResponseWriter, r *http.Request, v viewer) {
	slug := r.URL.Query().Get("vanityName")
	s.mu.Lock()
	p, ok := s.profiles[slug]
	exhausted := s.acct(v.Email).noteQuota == 0
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, result{Code: errNotFound.Error()})
		return
	}
	d := dialogView{Slug: slug, Name: p.Name(), NoteURL: inviteURL(slug, "note")}
	switch step := r.URL.Query().Get("step"); {
	case step == "quota" || step == "note" && exhausted:
		s.frag(w, "dialog-quota", d)
	case step == "note":
		s.frag(w, "dialog-note", d)
	default:
		s.frag(w, "dialog-invite", d)
	}
}

// withdrawDialog is /preload/withdraw-invite/?vanityName=slug.
func (s *Site) withdrawDialog(w http.ResponseWriter, r *http.Request, v viewer) {
	slug := r.URL.Query().Get("vanityName")
	s.mu.Lock()
	p, ok := s.profiles[slug]
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, result{Code: errNotFound.Error()})
		return
	}
	s.frag(w, "dialog-withdraw", dialogView{Slug: slug, Name: p.Name()})
}

// weeklyLimitDialog is the dialog shown instead of sending an invitation
// once the weekly limit is reached.
func (s *Site) weeklyLimitDialog(w http.ResponseWriter, r *http.Request, v viewer) {
	s.frag(w, "dialog-weekly-limit", nil)
}

// sendInvite is POST /voyager/api/relationships/invite with slug and an
// optional message (the note).
func (s *Site) sendInvite(w http.ResponseWriter, r *http.Request, v viewer) {
	slug, note := r.PostFormValue("slug"), strings.TrimSpace(r.PostFormValue("message"))
	p, err := s.invite(v.Email, slug, note)
	loc := s.opts.Locale
	switch {
	case err == nil:
		if hook := s.opts.AfterInvite; hook != nil {
			hook(Invite{Account: v.Email, Slug: slug, Note: note, At: s.now()})
		}
		writeJSON(w, http.StatusOK, result{Code: "sent", Toast: text(loc, "invite_sent", p.Name()), Refresh: true})
	case errors.Is(err, errWeeklyLimit):
		writeJSON(w, http.StatusTooManyRequests, result{Code: err.Error(), Modal: "/preload/weekly-limit/"})
	case errors.Is(err, errNoteQuota):
		writeJSON(w, http.StatusForbidden, result{Code: err.Error(), Modal: inviteURL(slug, "quota")})
	case errors.Is(err, errResendBlocked):
		writeJSON(w, http.StatusTooManyRequests, result{Code: err.Error(), Toast: text(loc, "resend_blocked", p.Name())})
	default:
		s.refuse(w, err, p.Name())
	}
}

// withdrawInvite is POST /voyager/api/relationships/withdraw with slug.
func (s *Site) withdrawInvite(w http.ResponseWriter, r *http.Request, v viewer) {
	p, err := s.withdraw(v.Email, r.PostFormValue("slug"))
	if err != nil {
		s.refuse(w, err, p.Name())
		return
	}
	writeJSON(w, http.StatusOK, result{Code: "withdrawn", Toast: text(s.opts.Locale, "withdrawn", ""), Refresh: true})
}

// refuse answers the refusals every action shares. A conflict means the
// page is stale, so the script re-renders it.
func (s *Site) refuse(w http.ResponseWriter, err error, name string) {
	status, toast := refusal(err)
	writeJSON(w, status, result{Code: err.Error(), Toast: text(s.opts.Locale, toast, name), Refresh: status == http.StatusConflict})
}

// refusal maps a refusal to its HTTP status and the key of its toast.
func refusal(err error) (int, string) {
	switch err {
	case errNotFound:
		return http.StatusNotFound, "error_generic"
	case errPending, errConnected:
		return http.StatusConflict, err.Error()
	case errNotPending:
		return http.StatusConflict, "error_generic"
	case errNotConnected:
		return http.StatusForbidden, err.Error()
	case errNoteTooLong, errEmptyMessage, errMessageTooLong:
		return http.StatusUnprocessableEntity, err.Error()
	}
	return http.StatusInternalServerError, "error_generic"
}
