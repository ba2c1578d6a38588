package tmpl

import (
	"reflect"
	"strings"
	"testing"

	"parley/app/model"
)

// parsed holds bodies Parse accepts and the variables it finds in them.
var parsed = []struct {
	name string
	body string
	vars []Var
}{
	{"empty", "", nil},
	{"plain text", "Hi there, great to connect.", nil},
	{"one variable", "Hi {{first_name}}!", []Var{{Name: "first_name"}}},
	{"fallback", "Hi {{first_name|there}}!", []Var{{Name: "first_name", Fallback: "there", HasFallback: true}}},
	{"spaces around name and fallback", "Hi {{ first_name | there }}!", []Var{{Name: "first_name", Fallback: "there", HasFallback: true}}},
	{"fallback with inner spaces", "at {{company|your  team}}", []Var{{Name: "company", Fallback: "your  team", HasFallback: true}}},
	{"empty fallback", "{{title|}}", []Var{{Name: "title", HasFallback: true}}},
	{"blank fallback", "{{title| }}", []Var{{Name: "title", HasFallback: true}}},
	{"pipe inside fallback", "{{company|A|B}}", []Var{{Name: "company", Fallback: "A|B", HasFallback: true}}},
	{"single braces in fallback", "{{company|{you}}}", []Var{{Name: "company", Fallback: "{you", HasFallback: true}}},
	{"upper case name", "{{First_Name}}", []Var{{Name: "first_name"}}},
	{"non-ASCII custom name", "{{Prénom}} {{名前}}", []Var{{Name: "prénom"}, {Name: "名前"}}},
	{"digits in name", "{{phone_2}}", []Var{{Name: "phone_2"}}},
	{"repeated, first use wins", "{{company}} {{COMPANY|x}} {{company|y}}", []Var{{Name: "company"}}},
	{"order of first use", "{{title}}{{company}}{{title}}{{email}}", []Var{{Name: "title"}, {Name: "company"}, {Name: "email"}}},
	{"lone closing braces", "smile }} and } and {", nil},
	{"closing braces after a variable", "{{title}}}}", []Var{{Name: "title"}}},
	{"newline around name", "{{\nfirst_name\n}}", []Var{{Name: "first_name"}}},
	{"emoji around", "👋 {{first_name}} 🇮🇹", []Var{{Name: "first_name"}}},
	{"longest body", strings.Repeat("a", MaxBodyBytes), nil},
}

func TestParse(t *testing.T) {
	for _, tc := range parsed {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse(tc.body)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.body, err)
			}
			if got := tpl.Vars(); !reflect.DeepEqual(got, tc.vars) {
				t.Errorf("Vars() = %+v, want %+v", got, tc.vars)
			}
		})
	}
}

// unparsed holds bodies Parse refuses and the exact message of the refusal.
var unparsed = []struct {
	name string
	body string
	msg  string
}{
	{"too long", strings.Repeat("a", MaxBodyBytes+1),
		"the template is longer than 20000 bytes; shorten it"},
	{"broken UTF-8", "Hi é\xff",
		"the template has a broken character at character 5; retype it or paste the text again as plain text"},
	{"never closed", "Hello world {{ ",
		`"{{ " at character 13 is never closed with "}}"; add "}}" after the variable name`},
	{"never closed, excerpt stops at line end", "Hi {{first_name,\nhow are you?",
		`"{{first_name," at character 4 is never closed with "}}"; add "}}" after the variable name`},
	{"never closed, long excerpt", "{{" + strings.Repeat("x", 40),
		`"{{xxxxxxxxxxxxxxxxxxxxxxxxxxx…" at character 1 is never closed with "}}"; add "}}" after the variable name`},
	{"single closing brace", "Hi {{first_name}",
		`"{{first_name}" at character 4 is never closed with "}}"; add "}}" after the variable name`},
	{"closed by the next variable", "Hi {{first_name, meet {{company}}",
		`"{{first_name, meet {{company}}" at character 4 is never closed with "}}" before the next "{{" at character 23; add "}}" after the variable name`},
	{"empty", "Hi, {{}}",
		`empty variable "{{}}" at character 5; write a field name between the braces, like {{first_name}}`},
	{"blank", "{{  }}",
		`empty variable "{{  }}" at character 1; write a field name between the braces, like {{first_name}}`},
	{"fallback only", "{{|there}}",
		`empty variable "{{|there}}" at character 1; write a field name between the braces, like {{first_name}}`},
	{"space in name", "Hi{{first name}}",
		`"{{first name}}" at character 3: variable names use letters, digits and _ only, like {{first_name}}`},
	{"dash in name", "{{first-name}}",
		`"{{first-name}}" at character 1: variable names use letters, digits and _ only, like {{first_name}}`},
	{"triple braces", "{{{first_name}}}",
		`"{{{first_name}}" at character 1: variable names use letters, digits and _ only, like {{first_name}}`},
	{"only punctuation", "{{$$}}",
		`"{{$$}}" at character 1: variable names use letters, digits and _ only`},
	{"emoji in name", "{{name👋}}",
		`"{{name👋}}" at character 1: variable names use letters, digits and _ only, like {{name}}`},
	{"fallback with a variable", "{{company|{{first_name}}}}",
		`"{{company|{{first_name}}" at character 1: a fallback cannot contain "{{"; write plain text after the |, like {{company|your team}}`},
	{"long tag is shortened", "{{" + strings.Repeat("ab ", 20) + "}}",
		`"{{ab ab ab ab ab ab ab ab ab …" at character 1: variable names use letters, digits and _ only`},

	// Positions count code points, not bytes.
	{"after accents", "Olá, café {{}}",
		`empty variable "{{}}" at character 11; write a field name between the braces, like {{first_name}}`},
	{"after CJK", "你好 {{}}",
		`empty variable "{{}}" at character 4; write a field name between the braces, like {{first_name}}`},
	{"after emoji", "👋 {{}}",
		`empty variable "{{}}" at character 3; write a field name between the braces, like {{first_name}}`},
	{"after flag and family", "🇮🇹👨‍👩‍👧{{}}",
		`empty variable "{{}}" at character 8; write a field name between the braces, like {{first_name}}`},
	{"after a variable", "{{first_name}} é {{",
		`"{{" at character 18 is never closed with "}}"; add "}}" after the variable name`},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range unparsed {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse(tc.body)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want an error", tc.body, tpl.Vars())
			}
			if code := model.ErrorCode(err); code != model.CodeInvalid {
				t.Errorf("code = %q, want %q", code, model.CodeInvalid)
			}
			if got := err.Error(); got != tc.msg {
				t.Errorf("message\n got %s\nwant %s", got, tc.msg)
			}
		})
	}
}

func TestVarsIsACopy(t *testing.T) {
	tpl, err := Parse("{{company}}")
	if err != nil {
		t.Fatal(err)
	}
	tpl.Vars()[0].Name = "changed"
	if got := tpl.Vars()[0].Name; got != "company" {
		t.Errorf("Vars()[0].Name = %q after changing a copy", got)
	}
}
