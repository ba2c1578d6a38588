package tmpl

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"parley/app/model"
)

// FuzzParseRender checks what every caller relies on: no panic, a coded
// message for every refusal, no variable syntax left in a rendered text,
// and a character count that matches code points.
func FuzzParseRender(f *testing.F) {
	for _, tc := range parsed {
		f.Add(tc.body)
	}
	for _, tc := range unparsed {
		f.Add(tc.body)
	}
	f.Add("Hi {{first_name|there}},\r\nhow is {{ company | your team }}? {{title|}}}} 👋🇮🇹")
	f.Fuzz(func(t *testing.T, body string) {
		tpl, err := Parse(body)
		if err != nil {
			checkRefusal(t, "Parse", body, err)
			return
		}
		checkVars(t, body, tpl)

		text, missing := tpl.Render(func(string) (string, bool) { return "Val", true })
		if len(missing) > 0 {
			t.Fatalf("Render(%q): missing %q although every variable has a value", body, missing)
		}
		if strings.Contains(text, openDelim) && !strings.Contains(literalText(tpl), openDelim) {
			t.Fatalf("Render(%q) = %q: %q left in the text", body, text, openDelim)
		}
		if got, want := Count(text), utf8.RuneCountInString(strings.ReplaceAll(text, "\r\n", "\n")); got != want {
			t.Fatalf("Count(%q) = %d, want %d", text, got, want)
		}

		_, missing = tpl.Render(func(string) (string, bool) { return " ", true })
		for _, m := range missing {
			if !slices.ContainsFunc(tpl.Vars(), func(v Var) bool { return v.Name == m }) {
				t.Fatalf("Render(%q): missing %q is not among the variables", body, m)
			}
		}

		if err := Validate(body, model.TextNote, 0, []string{"industry"}); err != nil {
			checkRefusal(t, "Validate", body, err)
		}
		if r := Preview(tpl, model.TextNote, 0, maria); r.Err != nil {
			checkRefusal(t, "Preview", body, r.Err)
		}
	})
}

func checkRefusal(t *testing.T, fn, body string, err error) {
	t.Helper()
	if model.ErrorCode(err) != model.CodeInvalid {
		t.Fatalf("%s(%q): uncoded error %v", fn, body, err)
	}
	// "%!" marks a formatting mistake, unless the body itself quoted it.
	if msg := err.Error(); msg == "" || strings.Contains(msg, "%!") && !strings.Contains(body, "%!") {
		t.Fatalf("%s(%q): bad message %q", fn, body, msg)
	}
}

func checkVars(t *testing.T, body string, tpl *Template) {
	t.Helper()
	seen := make(map[string]bool)
	for _, v := range tpl.Vars() {
		if !validName(v.Name) || v.Name != strings.ToLower(v.Name) || seen[v.Name] {
			t.Fatalf("Parse(%q): bad or repeated variable %+v", body, v)
		}
		seen[v.Name] = true
	}
}

// literalText is the body of tpl without its variables.
func literalText(tpl *Template) string {
	var b strings.Builder
	for _, p := range tpl.parts {
		b.WriteString(p.text)
	}
	return b.String()
}
