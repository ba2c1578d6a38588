package sitetest

import (
	"encoding/json"
	"net/http"
)

// stateView is the JSON at /_sitetest/state, for debugging a test or the
// demo: what was sent, never the accounts' passwords.
type stateView struct {
	Invites   []Invite            `json:"invites"`
	Messages  []Message           `json:"messages"`
	Withdrawn []Withdrawal        `json:"withdrawn"`
	Relations map[string]Relation `json:"relations"` // "email slug" -> relation, non-default only
}

func (s *Site) state(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	sv := stateView{
		Invites:   append([]Invite{}, s.invites...),
		Messages:  append([]Message{}, s.messages...),
		Withdrawn: append([]Withdrawal{}, s.withdrawn...),
		Relations: map[string]Relation{},
	}
	for k, rel := range s.relations {
		sv.Relations[k.email+" "+k.slug] = rel
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(sv)
}
