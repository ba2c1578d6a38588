package csvin

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestMappingSpellings opens a one-column file per header spelling.
func TestMappingSpellings(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   Field
	}{
		{"LinkedIn URL", FieldProfileURL},
		{"Linkedin Profile", FieldProfileURL},
		{"Profile URL", FieldProfileURL},
		{"profile_url", FieldProfileURL},
		{"LinkedIn", FieldProfileURL},
		{"URL", FieldProfileURL},
		{"Person Linkedin Url", FieldProfileURL},
		{"linkedInProfileUrl", FieldProfileURL},
		{"LINKEDIN_PROFILE_URL", FieldProfileURL},
		{"defaultProfileUrl", FieldProfileURL},
		{"First Name", FieldFirstName},
		{"first_name", FieldFirstName},
		{"Firstname", FieldFirstName},
		{"Given name", FieldFirstName},
		{"FIRST-NAME", FieldFirstName},
		{"Contact First Name", FieldFirstName},
		{"Last Name", FieldLastName},
		{"Surname", FieldLastName},
		{"Family name", FieldLastName},
		{"last.name", FieldLastName},
		{"Name", FieldFullName},
		{"Full Name", FieldFullName},
		{"fullName", FieldFullName},
		{"Contact Name", FieldFullName},
		{"Company", FieldCompany},
		{"Company Name", FieldCompany},
		{"Organization", FieldCompany},
		{"Organisation", FieldCompany},
		{"Account Name", FieldCompany},
		{"Employer", FieldCompany},
		{"Title", FieldTitle},
		{"Job Title", FieldTitle},
		{"Position", FieldTitle},
		{"Headline", FieldTitle},
		{"Role", FieldTitle},
		{"Email", FieldEmail},
		{"E-mail", FieldEmail},
		{"Email Address", FieldEmail},
		{"Work Email", FieldEmail},
		{" e-mail  address ", FieldEmail},
		{"Location", FieldLocation},
		{"City", FieldLocation},
		{"Country", FieldLocation},
		{"Region", FieldLocation},
		{"Tags", FieldTags},
		{"Labels", FieldTags},
		{"Tag", FieldTags},
		// Not standard fields.
		{"Company Linkedin Url", CustomField("company_linkedin_url")},
		{"Personal Email", CustomField("personal_email")},
		{"Leadership Style", CustomField("leadership_style")},
		{"Phone Number", CustomField("phone_number")},
		{"Website", CustomField("website")},
		{"Notes (internal)", CustomField("notes_internal")},
		{"Nº de téléphone", CustomField("nº_de_téléphone")},
		{"???", CustomField("column_1")},
	} {
		r, err := Open(strings.NewReader(tc.header+"\nvalue\n"), Options{})
		if err != nil {
			t.Errorf("%q: %v", tc.header, err)
			continue
		}
		if got := r.Mapping(); len(got) != 1 || got[0] != tc.want {
			t.Errorf("%q maps to %q, want %q", tc.header, got, tc.want)
		}
		if got := r.Headers(); len(got) != 1 || got[0] != strings.TrimSpace(tc.header) {
			t.Errorf("%q: Headers() = %q", tc.header, got)
		}
	}
}

// TestMappingFirstWins: each standard field goes to the first column that
// names it; later ones are kept as custom columns under unique names.
func TestMappingFirstWins(t *testing.T) {
	headers := "Email,Work Email,City,Country,Region,Name,Full Name,Phone,Phone #,phone_2,,Tags"
	r, err := Open(strings.NewReader(headers+"\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Field{
		FieldEmail, CustomField("work_email"),
		FieldLocation, CustomField("country"), CustomField("region"),
		FieldFullName, CustomField("full_name"),
		CustomField("phone"), CustomField("phone_2"), CustomField("phone_2_2"),
		FieldIgnore, FieldTags,
	}
	if got := r.Mapping(); !slices.Equal(got, want) {
		t.Errorf("Mapping() = %q\nwant        %q", got, want)
	}
	if got := r.Headers()[10]; got != "column 11" {
		t.Errorf("unnamed column is called %q", got)
	}
	for _, f := range r.Mapping() {
		if f == FieldProfileURL {
			t.Error("no column names a profile URL, but one was mapped")
		}
	}
}

func TestCustomFieldHelpers(t *testing.T) {
	f := CustomField("lead_source")
	if !f.IsCustom() || f.CustomName() != "lead_source" || string(f) != "custom:lead_source" {
		t.Errorf("CustomField: %q custom=%v name=%q", f, f.IsCustom(), f.CustomName())
	}
	for _, f := range []Field{FieldEmail, FieldIgnore, "custom:"} {
		if f.IsCustom() || f.CustomName() != "" {
			t.Errorf("%q is reported as custom", f)
		}
	}
}

func TestSnakeCaseLength(t *testing.T) {
	for _, name := range []string{strings.Repeat("Word ", 100), strings.Repeat("Wörd ", 100), strings.Repeat("語", 100)} {
		got := snakeCase(name)
		if n := len(got); n > maxCustomName || n < maxCustomName-6 || strings.HasSuffix(got, "_") || !utf8.ValidString(got) {
			t.Errorf("snakeCase of a long name = %q (%d bytes)", got, n)
		}
	}
}
