package tmpl

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"parley/app/model"
)

// Count returns the length of s as LinkedIn counts it: in Unicode code
// points, not bytes or UTF-16 units, with a "\r\n" line break counted as
// one. Emoji built from several code points (flags, families, skin tones)
// count as several.
func Count(s string) int {
	return utf8.RuneCountInString(s) - strings.Count(s, "\r\n")
}

// Limit returns the most characters a text of kind may have: NoteMaxChars
// for notes; messageMax for messages, or DefaultMessageMaxChars when
// messageMax is not positive. It returns 0 for an unknown kind.
func Limit(kind string, messageMax int) int {
	switch kind {
	case model.TextNote:
		return model.NoteMaxChars
	case model.TextMessage:
		if messageMax <= 0 {
			return model.DefaultMessageMaxChars
		}
		return messageMax
	}
	return 0
}

// CheckText checks a final, rendered text before it is sent: it must not
// be empty or only white space, and must fit the limit of its kind.
func CheckText(kind, text string, messageMax int) error {
	return checkText(kind, text, messageMax, "the "+kind)
}

// checkText is CheckText with the subject of its messages, such as "the
// note for Maria".
func checkText(kind, text string, messageMax int, subject string) error {
	limit := Limit(kind, messageMax)
	if limit == 0 {
		return unknownKind(kind)
	}
	if strings.TrimSpace(text) == "" {
		return invalid("%s is empty; write some text", subject)
	}
	return checkLength(kind, Count(text), limit, subject+" is")
}

// checkLength reports a text of n characters over the limit. lead begins
// the message ("the note is").
func checkLength(kind string, n, limit int, lead string) error {
	if n <= limit {
		return nil
	}
	allows := fmt.Sprintf("LinkedIn allows %d", limit)
	if kind == model.TextMessage {
		allows = fmt.Sprintf("messages are limited to %d", limit)
	}
	return invalid("%s %s; %s — shorten it by %d", lead, chars(n), allows, n-limit)
}

func unknownKind(kind string) error {
	return invalid("%q is not a kind of text; use %q or %q", kind, model.TextNote, model.TextMessage)
}

func chars(n int) string {
	if n == 1 {
		return "1 character"
	}
	return fmt.Sprintf("%d characters", n)
}
