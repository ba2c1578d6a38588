package sitetest

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// conversationView is one row of the inbox.
type conversationView struct {
	Thread  string
	Name    string
	Snippet string
	Mine    bool // the latest message is the account's own
	At      time.Time
	Unread  int
	seq     int
}

type inboxView struct{ Conversations []conversationView }

// threadView is a conversation page with its composer.
type threadView struct {
	Thread     string
	Profile    Profile
	Name       string
	Messages   []Message
	CanMessage bool
	SendURL    string
}

// inbox is /messaging/: every conversation with its latest message, its
// time and an unread marker, newest first.
func (s *Site) inbox(w http.ResponseWriter, r *http.Request, v viewer) {
	var iv inboxView
	s.mu.Lock()
	for _, slug := range s.order {
		k := pair{v.Email, slug}
		msgs := s.conversation(k)
		if len(msgs) == 0 {
			continue
		}
		last := msgs[len(msgs)-1]
		iv.Conversations = append(iv.Conversations, conversationView{
			Thread: last.Thread, Name: s.profiles[slug].Name(), Snippet: snippet(last.Text),
			Mine: !last.FromMember, At: last.At, Unread: s.unread(k, msgs), seq: last.seq,
		})
	}
	s.mu.Unlock()
	sort.Slice(iv.Conversations, func(i, j int) bool { return iv.Conversations[i].seq > iv.Conversations[j].seq })
	s.page(w, http.StatusOK, "inbox", &v, text(s.opts.Locale, "messaging_title", ""), "messaging", iv)
}

// thread is /messaging/thread/{id}/. Opening it marks the replies read.
// The composer is there only for a connection.
func (s *Site) thread(w http.ResponseWriter, r *http.Request, v viewer) {
	id := r.PathValue("id")
	s.mu.Lock()
	slug, ok := s.threadMember(v.Email, id)
	if !ok {
		s.mu.Unlock()
		s.notFoundFor(w, r, &v)
		return
	}
	k := pair{v.Email, slug}
	p := s.profiles[slug]
	tv := threadView{
		Thread: id, Profile: p, Name: p.Name(), Messages: s.conversation(k),
		CanMessage: s.relation(k) == RelationConnected, SendURL: "/voyager/api/messaging/conversations/" + id + "/events",
	}
	if n := len(tv.Messages); n > 0 {
		s.reads[k] = tv.Messages[n-1].seq
	}
	v.Unread = s.unreadThreads(v.Email)
	s.mu.Unlock()
	s.page(w, http.StatusOK, "thread", &v, text(s.opts.Locale, "thread_title", p.Name()), "messaging", tv)
}

// sendMessage is POST /voyager/api/messaging/conversations/{id}/events
// with the text.
func (s *Site) sendMessage(w http.ResponseWriter, r *http.Request, v viewer) {
	id := r.PathValue("id")
	if err := s.send(v.Email, id, strings.TrimSpace(r.PostFormValue("text"))); err != nil {
		s.refuse(w, err, "")
		return
	}
	writeJSON(w, http.StatusOK, result{Code: "sent", Refresh: true})
}

// unread counts the member's messages the account has not seen; s.mu
// must be held.
func (s *Site) unread(k pair, msgs []Message) int {
	n := 0
	for _, m := range msgs {
		if m.FromMember && m.seq > s.reads[k] {
			n++
		}
	}
	return n
}

// unreadThreads counts the account's conversations with unread replies;
// s.mu must be held.
func (s *Site) unreadThreads(email string) int {
	seen := map[string]bool{}
	for _, m := range s.messages {
		k := pair{m.Account, m.Slug}
		if m.Account == email && m.FromMember && m.seq > s.reads[k] {
			seen[m.Slug] = true
		}
	}
	return len(seen)
}

// snippet is the start of a message as the inbox shows it.
func snippet(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return text
}
