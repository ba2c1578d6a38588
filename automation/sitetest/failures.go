package sitetest

import "fmt"

// accountState is what the site knows about an email: the account, once
// added, and the failures scripted for it (which may come first).
type accountState struct {
	account *Account
	// checkpoint is the id of the open security challenge, "" for none.
	checkpoint  string
	restricted  bool
	weeklyLimit bool
	// noteQuota is how many personalized invitations are left; < 0 is
	// unlimited.
	noteQuota int
	// layout overrides Options.Layout for this account when set.
	layout string
}

// acct returns the state of email, creating it; s.mu must be held.
func (s *Site) acct(email string) *accountState {
	k := key(email)
	a, ok := s.accounts[k]
	if !ok {
		a = &accountState{noteQuota: -1}
		s.accounts[k] = a
	}
	return a
}

// Checkpoint sends the account to a security challenge at
// /checkpoint/challenge/{id} on its next page load, and on every one after
// until a human passes the challenge or Clear is called. API calls are
// refused meanwhile, so nothing is sent.
func (s *Site) Checkpoint(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	s.acct(email).checkpoint = fmt.Sprintf("AQH%06dsitetest", s.seq)
}

// WeeklyLimit makes every invitation from the account show the weekly
// invitation limit dialog instead of sending, until Clear is called.
func (s *Site) WeeklyLimit(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(email).weeklyLimit = true
}

// Restrict sends the account to the restricted-account page on every page
// load until Clear is called.
func (s *Site) Restrict(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(email).restricted = true
}

// ExpireSession signs the account out everywhere: its next page load goes
// to /login?session_redirect=... as after an unexpected logout.
func (s *Site) ExpireSession(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key(email)
	for token, e := range s.sessions {
		if e == k {
			delete(s.sessions, token)
		}
	}
}

// NoteQuota leaves the account n more invitations with a personalized
// note, as for a free account; after that "Add a note" shows the upsell
// dialog and invitations with a note are refused. n < 0 lifts the quota.
func (s *Site) NoteQuota(email string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(email).noteQuota = n
}

// Clear lifts the checkpoint, the restriction and the weekly limit of the
// account (the note quota stays).
func (s *Site) Clear(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.acct(email)
	a.checkpoint, a.restricted, a.weeklyLimit = "", false, false
}

// SetLayout switches the account to a layout ("classic" or "alt"), as
// LinkedIn's A/B tests do; "" goes back to Options.Layout.
func (s *Site) SetLayout(email, layout string) {
	if layout != "" {
		mustLayout(layout)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(email).layout = layout
}
