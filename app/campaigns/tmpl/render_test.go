package tmpl

import (
	"reflect"
	"testing"

	"parley/app/model"
)

// maria is the lead most tests render for.
var maria = model.Lead{
	FirstName: "Maria",
	LastName:  "Rossi",
	Company:   "Acme",
	Title:     "CTO",
	Email:     "maria@acme.example",
	Location:  "Milano",
	Custom:    map[string]string{"industry": "Robotics", "prénom": "Marie", "blank": "  \t", "padded": "  Turin \n"},
}

func TestRender(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		lead    model.Lead
		text    string
		missing []string
	}{
		{"plain text is kept as written", "  Hi,\r\n  see you!  ", maria, "  Hi,\r\n  see you!  ", nil},
		{"standard fields", "{{first_name}} {{last_name}} | {{full_name}} | {{company}} | {{title}} | {{location}} | {{email}}", maria,
			"Maria Rossi | Maria Rossi | Acme | CTO | Milano | maria@acme.example", nil},
		{"full name wins over first and last", "{{full_name}}", model.Lead{FirstName: "Maria", LastName: "Rossi", FullName: "Dr. Maria Rossi"}, "Dr. Maria Rossi", nil},
		{"full name from first name alone", "{{full_name}}", model.Lead{FirstName: "Maria"}, "Maria", nil},
		{"names are case-insensitive", "{{FIRST_NAME}} at {{Company}}", maria, "Maria at Acme", nil},
		{"custom field", "in {{industry}}", maria, "in Robotics", nil},
		{"custom field, other case", "in {{Industry}}", maria, "in Robotics", nil},
		{"custom field stored in upper case", "in {{industry}}", model.Lead{Custom: map[string]string{"Industry": "Robotics"}}, "in Robotics", nil},
		{"non-ASCII custom field", "Salut {{PRÉNOM}}", maria, "Salut Marie", nil},
		{"value is trimmed", "[{{padded}}]", maria, "[Turin]", nil},
		{"fallback unused when there is a value", "Hi {{first_name|there}}", maria, "Hi Maria", nil},
		{"fallback", "Hi {{first_name|there}}", model.Lead{}, "Hi there", nil},
		{"fallback with spaces", "at {{ company | your team }}.", model.Lead{}, "at your team.", nil},
		{"empty fallback", "Hi{{title|}}!", model.Lead{}, "Hi!", nil},
		{"missing standard field", "at {{company}}.", model.Lead{FirstName: "Maria"}, "at .", []string{"company"}},
		{"missing custom field", "in {{industry}}", model.Lead{}, "in ", []string{"industry"}},
		{"whitespace-only value is missing", "[{{blank}}]", maria, "[]", []string{"blank"}},
		{"whitespace-only value takes the fallback", "[{{blank|none}}]", maria, "[none]", nil},
		{"repeated variable", "{{first_name}}, {{first_name}}!", maria, "Maria, Maria!", nil},
		{"repeated missing listed once", "{{title}} {{TITLE}} {{company}} {{title}}", model.Lead{}, "   ", []string{"title", "company"}},
		{"missing in one use, fallback in another", "{{title|x}} {{title}}", model.Lead{}, "x ", []string{"title"}},
		{"adjacent variables", "{{first_name}}{{last_name}}{{company}}", maria, "MariaRossiAcme", nil},
		{"unicode around", "👋 {{first_name}} — 你好 🇮🇹", maria, "👋 Maria — 你好 🇮🇹", nil},
		{"unicode values", "{{first_name}} {{company}}", model.Lead{FirstName: "Zoë", Company: "株式会社"}, "Zoë 株式会社", nil},
		{"value with braces is inserted as is", "{{company}}", model.Lead{Company: "{{x}}"}, "{{x}}", nil},
		{"lone closing braces", "}} {{first_name}} }}", maria, "}} Maria }}", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := Parse(tc.body)
			if err != nil {
				t.Fatal(err)
			}
			text, missing := tpl.Render(LeadLookup(tc.lead))
			if text != tc.text {
				t.Errorf("text = %q, want %q", text, tc.text)
			}
			if !reflect.DeepEqual(missing, tc.missing) {
				t.Errorf("missing = %q, want %q", missing, tc.missing)
			}
		})
	}
}

func TestRenderLooksUpLowerCasedNames(t *testing.T) {
	tpl, err := Parse("{{First_Name}}{{ÉCOLE}}")
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	tpl.Render(func(name string) (string, bool) {
		asked = append(asked, name)
		return "", false
	})
	if want := []string{"first_name", "école"}; !reflect.DeepEqual(asked, want) {
		t.Errorf("lookup called with %q, want %q", asked, want)
	}
}

func TestLeadLookup(t *testing.T) {
	lead := model.Lead{Company: "Acme", Custom: map[string]string{"company": "Shadowed", "Team": "Core", "team_size": "12"}}
	tests := []struct {
		name  string
		value string
		ok    bool
	}{
		{"company", "Acme", true}, // a standard field wins over a custom one
		{"COMPANY", "Acme", true},
		{"title", "", true}, // standard fields always exist
		{"team", "Core", true},
		{"TEAM_SIZE", "12", true},
		{"nothing", "", false},
	}
	look := LeadLookup(lead)
	for _, tc := range tests {
		if v, ok := look(tc.name); v != tc.value || ok != tc.ok {
			t.Errorf("lookup(%q) = %q, %v; want %q, %v", tc.name, v, ok, tc.value, tc.ok)
		}
	}
}

func TestStandardVars(t *testing.T) {
	want := []string{"first_name", "last_name", "full_name", "company", "title", "location", "email"}
	got := StandardVars()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("StandardVars() = %q, want %q", got, want)
	}
	got[0] = "changed"
	if StandardVars()[0] != "first_name" {
		t.Error("StandardVars returns shared state")
	}
}
