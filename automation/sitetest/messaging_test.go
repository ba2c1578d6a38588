package sitetest

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestMessageAConnection(t *testing.T) {
	s, clk := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	id := ThreadID(alice, "ben-mueller")
	if !strings.HasPrefix(id, "2-") || !strings.HasSuffix(id, "==") || id == ThreadID(bob, "ben-mueller") {
		t.Fatalf("thread id %q", id)
	}

	th := c.page("/messaging/thread/" + id + "/")
	contains(t, "empty thread", th,
		`<title>Ben Müller | Messaging | LinkedIn</title>`,
		`class="msg-form__contenteditable t-14" contenteditable="true" role="textbox" aria-multiline="true" aria-label="Write a message…"`,
		`<button type="submit" class="msg-form__send-button artdeco-button artdeco-button--1" disabled><span class="artdeco-button__text">Send</span></button>`,
		"Start a conversation with Ben Müller")

	status, res := c.message(id, "  Hello Ben,\nshall we talk on Friday?  ")
	if status != http.StatusOK || res.Code != "sent" || !res.Refresh {
		t.Fatalf("send: %d %+v", status, res)
	}
	want := Message{Account: alice, Slug: "ben-mueller", Thread: id, Text: "Hello Ben,\nshall we talk on Friday?", At: clk.Now()}
	got := s.Messages()
	if len(got) != 1 || got[0].Account != want.Account || got[0].Slug != want.Slug || got[0].Thread != want.Thread || got[0].Text != want.Text || !got[0].At.Equal(want.At) || got[0].FromMember {
		t.Fatalf("Messages() = %+v", got)
	}
	th = c.page("/messaging/thread/" + id + "/")
	contains(t, "thread", th,
		`<ul class="msg-s-message-list-content" aria-label="Messages">`,
		`<li class="msg-s-message-list__event" data-from="me">`,
		`<span class="msg-s-message-group__name t-14 t-bold">Alice Archer</span>`,
		`datetime="2026-03-04T10:30:00Z">10:30 AM</time>`,
		"Hello Ben,\nshall we talk on Friday?</p>")

	// The button on the profile leads to the same thread.
	contains(t, "profile", c.page("/in/ben-mueller/"), `data-href="/messaging/thread/`+id+`/"`)

	for _, tc := range []struct {
		text string
		code string
	}{{"   ", "empty_message"}, {strings.Repeat("x", maxMessage+1), "message_too_long"}} {
		if status, res := c.message(id, tc.text); status != http.StatusUnprocessableEntity || res.Code != tc.code {
			t.Errorf("%s: %d %+v", tc.code, status, res)
		}
	}
	if n := len(s.Messages()); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

func TestMessagingANonConnectionIsRefused(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	id := ThreadID(alice, "anna-schmidt")

	th := c.page("/messaging/thread/" + id + "/")
	contains(t, "thread with a non-connection", th, "You can only message your connections.")
	lacks(t, "thread with a non-connection", th, `role="textbox"`)
	if status, res := c.message(id, "Hi Anna"); status != http.StatusForbidden || res.Code != "not_connected" {
		t.Fatalf("send to a non-connection: %d %+v", status, res)
	}
	c.invite("anna-schmidt", "")
	if status, _ := c.message(id, "Hi Anna"); status != http.StatusForbidden {
		t.Fatalf("send to a pending invitee: %d", status)
	}
	// Another account's thread does not exist for alice.
	if status, res := c.message(ThreadID(bob, "ben-mueller"), "Hi"); status != http.StatusNotFound || res.Code != "not_found" {
		t.Fatalf("send into bob's thread: %d %+v", status, res)
	}
	if r := c.get("/messaging/thread/" + ThreadID(bob, "ben-mueller") + "/"); r.status != http.StatusNotFound {
		t.Fatalf("bob's thread: %d", r.status)
	}
	if n := len(s.Messages()); n != 0 {
		t.Fatalf("%d messages sent, want none", n)
	}
}

func TestAcceptAndReply(t *testing.T) {
	s, clk := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)

	if err := s.Accept(alice, "anna-schmidt"); err == nil {
		t.Fatal("accepted an invitation that was never sent")
	}
	if err := s.Reply(alice, "anna-schmidt", "Hi"); err == nil {
		t.Fatal("a non-connection replied")
	}
	if err := s.Accept(alice, "nobody"); err == nil {
		t.Fatal("an unknown member accepted")
	}
	c.invite("anna-schmidt", "Hello Anna")
	if err := s.Accept(alice, "anna-schmidt"); err != nil {
		t.Fatal(err)
	}
	if r := s.Relation(alice, "anna-schmidt"); r != RelationConnected {
		t.Fatalf("relation after accept: %s", r)
	}
	p := c.page("/in/anna-schmidt/")
	contains(t, "profile after accept", p, "· 1st", `aria-label="Message Anna Schmidt"`)
	lacks(t, "profile after accept", p, "Pending, click to withdraw")
	contains(t, "network", c.page("/mynetwork/"), "Connections (2)", "Anna Schmidt", "Ben Müller")

	id := ThreadID(alice, "anna-schmidt")
	c.message(id, "Thanks for connecting!")
	clk.Add(time.Hour)
	if err := s.Reply(alice, "anna-schmidt", "Happy to, let's talk."); err != nil {
		t.Fatal(err)
	}
	conv := s.Conversation(alice, "anna-schmidt")
	if len(conv) != 2 || conv[0].FromMember || !conv[1].FromMember || conv[1].Text != "Happy to, let's talk." {
		t.Fatalf("Conversation() = %+v", conv)
	}
	if n := len(s.Messages()); n != 1 {
		t.Fatalf("Messages() has %d, want only the account's 1", n)
	}

	inbox := c.page("/messaging/")
	contains(t, "inbox with a reply", inbox,
		`<li class="msg-conversation-listitem msg-conversation-card--unread" data-thread="`+id+`">`,
		`<span class="visually-hidden">Unread</span>`,
		`<p class="msg-conversation-card__message-snippet t-14">Happy to, let's talk.</p>`,
		`datetime="2026-03-04T11:30:00Z">11:30 AM</time>`,
		`<span class="visually-hidden">1 new message</span>`)
	th := c.page("/messaging/thread/" + id + "/")
	contains(t, "thread with a reply", th, `data-from="them"`, `<span class="msg-s-message-group__name t-14 t-bold">Anna Schmidt</span>`)
	lacks(t, "thread after reading", th, "new message")
	inbox = c.page("/messaging/")
	lacks(t, "inbox after reading", inbox, "msg-conversation-card--unread", "Unread")
}

func TestInboxListsConversationsNewestFirst(t *testing.T) {
	s, clk := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	contains(t, "empty inbox", c.page("/messaging/"), "No messages yet")

	c.message(ThreadID(alice, "ben-mueller"), "An old message to Ben")
	c.invite("anna-schmidt", "")
	s.Accept(alice, "anna-schmidt")
	clk.Add(26 * time.Hour)
	c.message(ThreadID(alice, "anna-schmidt"), "A newer one to Anna")
	clk.Add(8 * 24 * time.Hour)

	inbox := c.page("/messaging/")
	contains(t, "inbox", inbox,
		`<ul class="msg-conversations-container__conversations-list" aria-label="Conversation list">`,
		`<p class="msg-conversation-card__message-snippet t-14">You: A newer one to Anna</p>`,
		`<p class="msg-conversation-card__message-snippet t-14">You: An old message to Ben</p>`,
		`>Mar 5</time>`, `>Mar 4</time>`)
	if strings.Index(inbox, "Anna Schmidt") > strings.Index(inbox, "Ben Müller") {
		t.Error("the newest conversation is not first")
	}
	contains(t, "bob's inbox is his own", newClient(t, s).as(s, bob).page("/messaging/"), "No messages yet")
}

func TestStamp(t *testing.T) {
	now := time.Date(2026, 3, 4, 18, 0, 0, 0, time.UTC) // Wednesday
	for _, tc := range []struct {
		loc  string
		at   time.Time
		want string
	}{
		{"en", now.Add(-3 * time.Hour), "3:00 PM"},
		{"de", now.Add(-3 * time.Hour), "15:00"},
		{"en", now.Add(-26 * time.Hour), "Tue"},
		{"de", now.Add(-26 * time.Hour), "Di."},
		{"fr", now.Add(-26 * time.Hour), "mar."},
		{"en", now.Add(-10 * 24 * time.Hour), "Feb 22"},
		{"de", now.Add(-10 * 24 * time.Hour), "22. Feb."},
		{"fr", now.Add(-10 * 24 * time.Hour), "22 févr."},
		{"en", time.Date(2025, 12, 24, 9, 0, 0, 0, time.UTC), "Dec 24, 2025"},
		{"de", time.Date(2025, 12, 24, 9, 0, 0, 0, time.UTC), "24. Dez. 2025"},
	} {
		if got := stamp(tc.loc, now, tc.at); got != tc.want {
			t.Errorf("stamp(%s, %s) = %q, want %q", tc.loc, tc.at, got, tc.want)
		}
	}
}
