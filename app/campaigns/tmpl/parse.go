package tmpl

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"parley/app/model"
)

// MaxBodyBytes is the longest template body Parse accepts. It is far above
// any LinkedIn limit, so it only stops pasted documents and abuse.
const MaxBodyBytes = 20000

// The braces around a variable.
const (
	openDelim  = "{{"
	closeDelim = "}}"
)

// Template is a parsed template body. It is immutable and safe to share.
type Template struct {
	parts []part
	vars  []Var
	// written is each variable's name as first spelled, for messages.
	written map[string]string
}

// Var is a variable used in a template.
type Var struct {
	// Name is lower-cased, so that {{First_Name}} and {{first_name}} are
	// one variable.
	Name string
	// Fallback and HasFallback are those of the variable's first use.
	Fallback    string
	HasFallback bool
}

// part is a piece of a body: literal text, or one use of a variable.
type part struct {
	text        string // the literal text; empty for a variable
	name        string // lower-cased; empty for literal text
	written     string // the name as the author spelled it
	fallback    string
	hasFallback bool
}

func (p part) isVar() bool { return p.name != "" }

// Parse reads a template body. Its errors are coded model.CodeInvalid and
// name the character (counted from 1, in code points) where the problem
// starts.
func Parse(body string) (*Template, error) {
	if len(body) > MaxBodyBytes {
		return nil, invalid("the template is longer than %d bytes; shorten it", MaxBodyBytes)
	}
	if at := invalidUTF8(body); at >= 0 {
		return nil, invalid("the template has a broken character at character %d; retype it or paste the text again as plain text", charAt(body, at))
	}
	t := &Template{written: make(map[string]string)}
	rest, offset := body, 0
	for rest != "" {
		i := strings.Index(rest, openDelim)
		if i < 0 {
			t.parts = append(t.parts, part{text: rest})
			break
		}
		if i > 0 {
			t.parts = append(t.parts, part{text: rest[:i]})
		}
		p, n, err := parseTag(body, offset+i)
		if err != nil {
			return nil, err
		}
		t.parts = append(t.parts, p)
		if _, ok := t.written[p.name]; !ok {
			t.written[p.name] = p.written
			t.vars = append(t.vars, Var{Name: p.name, Fallback: p.fallback, HasFallback: p.hasFallback})
		}
		rest, offset = rest[i+n:], offset+i+n
	}
	return t, nil
}

// parseTag reads the variable whose {{ starts at body[at:]. It returns the
// variable and the length of its tag in bytes.
func parseTag(body string, at int) (part, int, error) {
	tag := body[at:]
	end := strings.Index(tag[len(openDelim):], closeDelim)
	if end < 0 {
		return part{}, 0, invalid("%q at character %d is never closed with %q; add %q after the variable name", lineExcerpt(tag), charAt(body, at), closeDelim, closeDelim)
	}
	inner := tag[len(openDelim) : len(openDelim)+end]
	tag = tag[:len(openDelim)+end+len(closeDelim)]
	name, fallback, hasFallback := strings.Cut(inner, "|")
	name = strings.TrimSpace(name)
	if strings.Contains(name, openDelim) {
		// A {{ inside the name means the first {{ was left open: the }}
		// found belongs to the next variable.
		next := at + len(openDelim) + strings.Index(inner, openDelim)
		return part{}, 0, invalid("%q at character %d is never closed with %q before the next %q at character %d; add %q after the variable name",
			lineExcerpt(tag), charAt(body, at), closeDelim, openDelim, charAt(body, next), closeDelim)
	}
	if name == "" {
		return part{}, 0, invalid("empty variable %q at character %d; write a field name between the braces, like {{first_name}}", excerpt(tag), charAt(body, at))
	}
	if !validName(name) {
		return part{}, 0, invalid("%q at character %d: variable names use letters, digits and _ only%s", excerpt(tag), charAt(body, at), likeName(name))
	}
	fallback = strings.TrimSpace(fallback)
	if strings.Contains(fallback, openDelim) {
		return part{}, 0, invalid("%q at character %d: a fallback cannot contain %q; write plain text after the |, like {{company|your team}}", excerpt(tag), charAt(body, at), openDelim)
	}
	p := part{name: strings.ToLower(name), written: name, fallback: fallback, hasFallback: hasFallback}
	return p, len(tag), nil
}

// Vars returns the template's variables in order of first use, each once.
func (t *Template) Vars() []Var {
	return append([]Var(nil), t.vars...)
}

func validName(name string) bool {
	for _, r := range name {
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return name != ""
}

// likeName suggests a valid spelling of a bad variable name the way CSV
// import names custom fields: runs of other characters become one _. A
// name too long to quote gets no suggestion.
func likeName(name string) string {
	fields := strings.FieldsFunc(name, func(r rune) bool {
		return r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	like := strings.Join(fields, "_")
	if like == "" || utf8.RuneCountInString(like) > excerptChars {
		return ""
	}
	return ", like {{" + like + "}}"
}

// invalidUTF8 is the byte offset of the first byte of s that is not part
// of valid UTF-8, or -1.
func invalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return -1
}

// charAt is the 1-based position, in code points, of the byte offset i.
func charAt(s string, i int) int {
	return utf8.RuneCountInString(s[:i]) + 1
}

// excerptChars bounds text quoted back in a message, so that a runaway
// tag cannot turn the message into a wall of text.
const excerptChars = 30

// excerpt shortens s to excerptChars code points.
func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= excerptChars {
		return s
	}
	n := 0
	for i := range s {
		if n == excerptChars-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// lineExcerpt is excerpt of s up to its first line break.
func lineExcerpt(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return excerpt(s)
}

func invalid(format string, args ...any) error {
	return model.Errorf(model.CodeInvalid, format, args...)
}
