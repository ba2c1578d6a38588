package tmpl

import (
	"reflect"
	"strings"
	"testing"

	"parley/app/model"
)

func TestPreview(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		kind       string
		messageMax int
		lead       model.Lead
		want       Result // Err is checked through msg
		msg        string
	}{
		{"fits", "Hi {{first_name}} 👋", model.TextNote, 0, maria,
			Result{Text: "Hi Maria 👋", Chars: 10, Limit: 300}, ""},
		{"fallback used", "Hi {{first_name|there}}", model.TextMessage, 0, model.Lead{},
			Result{Text: "Hi there", Chars: 8, Limit: 8000}, ""},
		{"missing company", "Hi {{first_name}} at {{company}}", model.TextNote, 0, model.Lead{FirstName: "Maria"},
			Result{Text: "Hi Maria at ", Chars: 12, Limit: 300, Missing: []string{"company"}},
			"Maria has no company; add a fallback like {{company|your team}} or fill the field"},
		{"several missing", "{{first_name}}, {{title}} in {{industry}}", model.TextMessage, 0, model.Lead{FullName: "Maria Rossi"},
			Result{Text: ",  in ", Chars: 6, Limit: 8000, Missing: []string{"first_name", "title", "industry"}},
			"Maria Rossi has no first name, title or industry; add fallbacks like {{first_name|there}} or fill the fields"},
		{"missing custom field, nameless lead", "{{industry}}", model.TextNote, 0, model.Lead{},
			Result{Text: "", Chars: 0, Limit: 300, Missing: []string{"industry"}},
			"This lead has no industry; add a fallback like {{industry|some text}} or fill the field"},
		{"empty result", "{{title|}}", model.TextNote, 0, maria,
			Result{Text: "CTO", Chars: 3, Limit: 300}, ""},
		{"empty result without value", " {{title|}} ", model.TextNote, 0, model.Lead{FirstName: "Maria"},
			Result{Text: "  ", Chars: 2, Limit: 300}, "the note for Maria is empty; write some text"},
		{"exactly 300 with the value", strings.Repeat("a", 295) + "{{first_name}}", model.TextNote, 0, maria,
			Result{Text: strings.Repeat("a", 295) + "Maria", Chars: 300, Limit: 300}, ""},
		{"too long with the value", strings.Repeat("a", 296) + "{{first_name}}", model.TextNote, 0, maria,
			Result{Text: strings.Repeat("a", 296) + "Maria", Chars: 301, Limit: 300},
			"the note for Maria is 301 characters; LinkedIn allows 300 — shorten it by 1"},
		{"too long, nameless lead", "{{company}}" + strings.Repeat("b", 10), model.TextMessage, 12, model.Lead{Company: "Acme"},
			Result{Text: "Acme" + strings.Repeat("b", 10), Chars: 14, Limit: 12},
			"the message is 14 characters; messages are limited to 12 — shorten it by 2"},
		{"unknown kind", "Hi", "email", 0, maria,
			Result{Text: "Hi", Chars: 2, Limit: 0}, `"email" is not a kind of text; use "note" or "message"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse(tc.body)
			if err != nil {
				t.Fatal(err)
			}
			got := Preview(tpl, tc.kind, tc.messageMax, tc.lead)
			assertError(t, got.Err, tc.msg)
			got.Err = nil
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Preview =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}
