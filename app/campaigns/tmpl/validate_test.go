package tmpl

import (
	"strings"
	"testing"

	"parley/app/model"
)

// standardHint ends the message for an unknown variable with no close
// field.
const standardHint = "; use a standard field (first_name, last_name, full_name, company, title, location, email) or a custom field your leads have"

func TestValidate(t *testing.T) {
	custom := []string{"industry", "Team_Size", "prénom"}
	tests := []struct {
		name       string
		body       string
		kind       string
		messageMax int
		msg        string // "" when the body passes
	}{
		{"standard fields", "Hi {{first_name|there}} at {{company}}", model.TextNote, 0, ""},
		{"known custom field", "in {{industry}}", model.TextNote, 0, ""},
		{"known custom field, other case", "{{team_size}} people, {{PRÉNOM}}", model.TextMessage, 0, ""},
		{"variables are not counted", strings.Repeat("a", 290) + "{{first_name}}{{company}}", model.TextNote, 0, ""},
		{"fixed text of exactly 300", strings.Repeat("a", 296) + "{{first_name|Anna}}", model.TextNote, 0, ""},

		{"unknown kind", "Hi", "email", 0, `"email" is not a kind of text; use "note" or "message"`},
		{"empty body", "", model.TextNote, 0, "the template is empty; write the text of the note"},
		{"blank body", " \n ", model.TextMessage, 0, "the template is empty; write the text of the message"},
		{"parse error", "Hi {{}}", model.TextNote, 0,
			`empty variable "{{}}" at character 4; write a field name between the braces, like {{first_name}}`},
		{"typo", "Hi {{frist_name}}", model.TextNote, 0, "{{frist_name}} is not a field — did you mean {{first_name}}?"},
		{"typo as written", "Hi {{Frist_Name|there}}", model.TextNote, 0, "{{Frist_Name}} is not a field — did you mean {{first_name}}?"},
		{"missing underscore", "{{firstname}}", model.TextNote, 0, "{{firstname}} is not a field — did you mean {{first_name}}?"},
		{"common alias", "{{name}}", model.TextNote, 0, "{{name}} is not a field — did you mean {{full_name}}?"},
		{"typo of a custom field", "{{industy}}", model.TextNote, 0, "{{industy}} is not a field — did you mean {{industry}}?"},
		{"nothing close", "{{favourite_colour}}", model.TextNote, 0, "{{favourite_colour}} is not a field" + standardHint},
		{"all unknown names listed once", "{{compnay}} {{xyz}} {{COMPNAY}} {{titel}}", model.TextNote, 0,
			"{{compnay}} (did you mean {{company}}?), {{xyz}} and {{titel}} (did you mean {{title}}?) are not fields" + standardHint},
		{"all unknown names guessed", "{{compnay}} {{titel}}", model.TextNote, 0,
			"{{compnay}} (did you mean {{company}}?) and {{titel}} (did you mean {{title}}?) are not fields"},
		{"long lists are cut", "{{a1}}{{a2}}{{a3}}{{a4}}{{a5}}{{a6}}{{a7}}{{titel}}", model.TextNote, 0,
			"{{a1}}, {{a2}}, {{a3}}, {{a4}}, {{a5}} and 3 more are not fields" + standardHint},
		{"fixed text of 301", strings.Repeat("a", 297) + "{{first_name|Anna}}", model.TextNote, 0,
			"without the leads' values the note is already 301 characters; LinkedIn allows 300 — shorten it by 1"},
		{"fixed text over a message limit", strings.Repeat("a", 90) + "{{company}}" + strings.Repeat("b", 20), model.TextMessage, 100,
			"without the leads' values the message is already 110 characters; messages are limited to 100 — shorten it by 10"},
		{"fixed text within a message limit", strings.Repeat("a", 400), model.TextMessage, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertError(t, Validate(tc.body, tc.kind, tc.messageMax, custom), tc.msg)
		})
	}
}

func TestClosest(t *testing.T) {
	known := append(StandardVars(), "industry", "department", "phone_2")
	tests := []struct{ name, want string }{
		{"frist_name", "first_name"},
		{"first_nmae", "first_name"},
		{"firstname", "first_name"},
		{"lastname", "last_name"},
		{"fullname", "full_name"},
		{"compny", "company"},
		{"emial", "email"},
		{"mail", "email"},
		{"e_mail", "email"},
		{"titel", "title"},
		{"locaton", "location"},
		{"industri", "industry"},
		{"phone", "phone_2"},
		{"job_title", "title"},
		{"surname", "last_name"},
		{"nam", ""},
		{"xyz", ""},
		{"favourite_colour", ""},
		{strings.Repeat("a", 5000), ""},
	}
	for _, tc := range tests {
		if got := closest(tc.name, known); got != tc.want {
			t.Errorf("closest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
