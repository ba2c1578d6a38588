// Package sitetest is a LinkedIn-like web site served by Go, for Parley's
// tests and its demo mode. It is a stand-in for linkedin.com, quirks
// included, not a mock of Parley's driver: real HTML from html/template,
// a little vanilla JavaScript (static/site.js) where LinkedIn uses
// dialogs, and in-memory state that every button really changes. Nothing
// is loaded from outside the site (avatars are inline SVG).
//
// The driver finds elements by ARIA role and accessible name first, then
// CSS, so the pages copy the accessible structure and the stable-looking
// class names of LinkedIn's (pv-top-card, artdeco-button,
// msg-form__contenteditable, ...). Every label and accessible name exists
// in English, German and French (Options.Locale); strings.go holds them
// all in one table.
//
// # Pages
//
//   - /login: "Email or phone", "Password" (plus LinkedIn's "Show your
//     LinkedIn password" button), "Sign in"; it posts to
//     /checkpoint/lg/login-submit and returns to session_redirect.
//   - /feed/: the global navigation ("Primary Navigation") and the Me
//     button, whose photo is an image named after the member.
//   - /in/{slug}/: the top card (section.pv-top-card): h1 name, degree
//     badge "· 1st/2nd/3rd", headline, company, location, and the
//     actions. Classic layout: a "Connect" button named "Invite {Name} to
//     connect", "Pending" named "Pending, click to withdraw invitation
//     sent to {Name}", a "Message" button named "Message {Name}" for a
//     connection, and "More" ("More actions") with a menu. Alt layout:
//     Connect and Pending are menu items under "More", Message is a link,
//     and dialogs render inside the open shadow root of #interop-outlet.
//     As on LinkedIn the page also holds other members' Connect buttons
//     ("More profiles for you") and a sticky header that repeats the
//     actions once the top card scrolls away, so locators must be scoped
//     to the top card.
//   - Dialogs (role=dialog, fetched from /preload/...): "Add a note to
//     your invitation?" with "Add a note" and "Send without a note"; the
//     note form (textarea "Message", name=message, maxlength 300, "Send");
//     the free-account upsell "No free personalized invitations left";
//     "You've reached the weekly invitation limit"; "Withdraw invitation"
//     with "Withdraw".
//   - /messaging/thread/{id}/: the conversation and its composer (a
//     contenteditable role=textbox "Write a message…" and "Send"); only a
//     connection can be written to. ThreadID gives the id.
//   - /messaging/: conversations, newest first, with the latest message,
//     its time and an unread marker.
//   - /mynetwork/ and /mynetwork/invitation-manager/sent/: connections;
//     pending invitations with "Withdraw" ("Withdraw invitation sent to
//     {Name}").
//   - /checkpoint/challenge/{id} (a captcha in an iframe) and
//     /checkpoint/restricted/.
//   - /_sitetest/state: what was sent, as JSON, for debugging.
//
// State changes go through a small JSON API under /voyager/api/ that
// wants LinkedIn's CSRF pairing: the csrf-token header must equal the
// JSESSIONID cookie that every first response hands out. Answers carry a
// code ("sent", "already_pending", "weekly_limit", "note_quota",
// "not_connected", ...) and tell the page what to do next.
//
// # State
//
// AddProfile and AddAccount fill the site. An account signs in through
// the page, or SessionCookie mints its li_at cookie for tests and the demo.
// Relation tells how an account and a member are related (none, pending,
// connected). Invites, Messages and Withdrawn return what was really sent,
// so tests can assert exactly-once; Conversation includes the member's
// replies. Accept and Reply play the other side. SetLayout switches one
// account's layout, as LinkedIn's A/B tests do.
//
// # Failure scripts
//
//   - Checkpoint: every page load goes to /checkpoint/challenge/{id} until
//     a human presses Verify in the captcha frame or Clear is called.
//   - WeeklyLimit: every invitation shows the weekly-limit dialog instead
//     of sending, until Clear.
//   - Restrict: every page load goes to the restricted-account page, until
//     Clear.
//   - ExpireSession: the account's sessions end; the next page load goes to
//     /login?session_redirect=..., as after an unexpected logout.
//   - NoteQuota(n): n more personalized invitations, then "Add a note"
//     shows the upsell and invitations with a note are refused.
//
// While an account is held (checkpoint, restriction, no session) the API
// refuses every call and nothing is recorded. A withdrawn invitation
// cannot be sent again for three weeks (by Options.Clock).
package sitetest
