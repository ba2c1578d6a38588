package tmpl

import (
	"strings"
	"testing"

	"parley/app/model"
)

func TestCount(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		chars int
		bytes int
	}{
		{"empty", "", 0, 0},
		{"ASCII", "Hello", 5, 5},
		{"accented letters", "café olé", 8, 10},
		{"decomposed accent is two code points", "cafe\u0301", 5, 6},
		{"CJK", "你好世界", 4, 12},
		{"wave emoji", "👋", 1, 4},
		{"flag is two code points", "🇮🇹", 2, 8},
		{"family is five code points", "👨‍👩‍👧", 5, 18},
		{"skin tone is two code points", "👍🏽", 2, 8},
		{"LF", "a\nb", 3, 3},
		{"CRLF counts once", "a\r\nb", 3, 4},
		{"lone CR", "a\rb", 3, 3},
		{"CR CR LF", "\r\r\n", 2, 3},
		{"mixed", "Ciao 👋\r\nà presto", 15, 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Count(tc.in); got != tc.chars {
				t.Errorf("Count(%q) = %d, want %d", tc.in, got, tc.chars)
			}
			if got := len(tc.in); got != tc.bytes {
				t.Errorf("len(%q) = %d bytes, want %d", tc.in, got, tc.bytes)
			}
		})
	}
}

func TestLimit(t *testing.T) {
	tests := []struct {
		kind       string
		messageMax int
		want       int
	}{
		{model.TextNote, 0, 300},
		{model.TextNote, 1000, 300},
		{model.TextMessage, 0, 8000},
		{model.TextMessage, -5, 8000},
		{model.TextMessage, 500, 500},
		{"email", 0, 0},
	}
	for _, tc := range tests {
		if got := Limit(tc.kind, tc.messageMax); got != tc.want {
			t.Errorf("Limit(%q, %d) = %d, want %d", tc.kind, tc.messageMax, got, tc.want)
		}
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		name       string
		kind       string
		text       string
		messageMax int
		msg        string // "" when the text passes
	}{
		{"short note", model.TextNote, "Hi Maria", 0, ""},
		{"note of exactly 300", model.TextNote, strings.Repeat("a", 300), 0, ""},
		{"note of 300 emoji", model.TextNote, strings.Repeat("👋", 300), 0, ""},
		{"note of 300 with CRLF", model.TextNote, strings.Repeat("a", 298) + "\r\n" + "b", 0, ""},
		{"note of 301", model.TextNote, strings.Repeat("a", 301), 0,
			"the note is 301 characters; LinkedIn allows 300 — shorten it by 1"},
		{"note of 312", model.TextNote, strings.Repeat("é", 312), 0,
			"the note is 312 characters; LinkedIn allows 300 — shorten it by 12"},
		{"note limit ignores messageMax", model.TextNote, strings.Repeat("a", 301), 5000,
			"the note is 301 characters; LinkedIn allows 300 — shorten it by 1"},
		{"empty note", model.TextNote, "", 0, "the note is empty; write some text"},
		{"whitespace-only message", model.TextMessage, " \r\n\t ", 0, "the message is empty; write some text"},
		{"message of 8000", model.TextMessage, strings.Repeat("a", 8000), 0, ""},
		{"message of 8001", model.TextMessage, strings.Repeat("a", 8001), 0,
			"the message is 8001 characters; messages are limited to 8000 — shorten it by 1"},
		{"message within a custom limit", model.TextMessage, strings.Repeat("a", 500), 500, ""},
		{"message over a custom limit", model.TextMessage, strings.Repeat("a", 520), 500,
			"the message is 520 characters; messages are limited to 500 — shorten it by 20"},
		{"unknown kind", "email", "Hi", 0, `"email" is not a kind of text; use "note" or "message"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertError(t, CheckText(tc.kind, tc.text, tc.messageMax), tc.msg)
		})
	}
}

// assertError fails unless err is nil when msg is "", or is an invalid
// coded error with exactly msg.
func assertError(t *testing.T, err error, msg string) {
	t.Helper()
	switch {
	case msg == "" && err != nil:
		t.Errorf("unexpected error: %v", err)
	case msg == "":
	case err == nil:
		t.Errorf("no error, want %q", msg)
	case model.ErrorCode(err) != model.CodeInvalid:
		t.Errorf("code = %q, want %q (%v)", model.ErrorCode(err), model.CodeInvalid, err)
	case err.Error() != msg:
		t.Errorf("message\n got %s\nwant %s", err.Error(), msg)
	}
}
