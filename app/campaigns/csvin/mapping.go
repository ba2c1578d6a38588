package csvin

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// synonyms maps a header name, squashed to lower-case letters and digits
// ("E-mail Address" → "emailaddress"), to the standard field it names. The
// spellings come from LinkedIn, Sales Navigator, Apollo, HubSpot and
// Salesforce exports and from hand-made sheets.
var synonyms = []struct {
	field Field
	names []string
}{
	{FieldProfileURL, []string{"linkedin", "linkedinurl", "linkedinprofile", "linkedinprofileurl", "linkedinprofilelink",
		"linkedinlink", "profileurl", "profilelink", "defaultprofileurl", "publicprofileurl", "linkedinpublicurl",
		"publiclinkedinurl", "url"}},
	{FieldFirstName, []string{"firstname", "first", "fname", "givenname", "forename"}},
	{FieldLastName, []string{"lastname", "last", "lname", "surname", "familyname"}},
	{FieldFullName, []string{"name", "fullname", "displayname"}},
	{FieldCompany, []string{"company", "companyname", "organization", "organisation", "organizationname",
		"organisationname", "accountname", "account", "employer", "currentcompany"}},
	{FieldTitle, []string{"title", "jobtitle", "position", "jobposition", "headline", "role", "jobrole",
		"currenttitle", "currentposition", "occupation", "designation"}},
	{FieldEmail, []string{"email", "emailaddress", "workemail", "businessemail", "mail", "primaryemail"}},
	{FieldLocation, []string{"location", "city", "country", "region", "state", "province", "geography", "town"}},
	{FieldTags, []string{"tags", "tag", "labels", "label"}},
}

// namePrefixes are words CRMs put before a field name ("Contact Email",
// "Person Linkedin Url"). They are only stripped when the rest is a known
// name, so "Company Linkedin Url" (the company's page) stays custom.
var namePrefixes = []string{"contact", "lead", "person", "prospect"}

// maxCustomName bounds the length, in bytes, of a custom field name, so
// that it fits as a storage key whatever the script.
const maxCustomName = 64

// proposeMapping proposes a field for each column. names are the trimmed
// header names, "" for a column without a name (which is not imported).
// Each standard field goes to the first column that names it; a later
// column with a name for the same field becomes custom, so two "location"
// columns (City, Country) keep both values. Custom names are made unique
// with a numeric suffix ("phone", "phone_2").
func proposeMapping(names []string) []Field {
	out := make([]Field, len(names))
	used := make(map[Field]bool)
	for i, n := range names {
		if n == "" {
			continue // FieldIgnore
		}
		if f := standardField(n); f != FieldIgnore && !used[f] {
			used[f] = true
			out[i] = f
			continue
		}
		base := snakeCase(n)
		if base == "" {
			base = fmt.Sprintf("column_%d", i+1)
		}
		name := base
		for k := 2; used[CustomField(name)]; k++ {
			name = fmt.Sprintf("%s_%d", base, k)
		}
		used[CustomField(name)] = true
		out[i] = CustomField(name)
	}
	return out
}

// standardField returns the standard field a header names, or FieldIgnore.
// Case, spaces and punctuation do not matter.
func standardField(name string) Field {
	key := strings.ReplaceAll(snakeCase(name), "_", "")
	if f := lookupSynonym(key); f != FieldIgnore {
		return f
	}
	for _, p := range namePrefixes {
		if rest, ok := strings.CutPrefix(key, p); ok && rest != "" {
			if f := lookupSynonym(rest); f != FieldIgnore {
				return f
			}
		}
	}
	return FieldIgnore
}

func lookupSynonym(key string) Field {
	for _, s := range synonyms {
		if slices.Contains(s.names, key) {
			return s.field
		}
	}
	return FieldIgnore
}

// snakeCase lower-cases name and joins its runs of letters and digits with
// "_": "Company Size (#)" → "company_size". Letters outside ASCII are kept.
// The result has at most maxCustomName bytes and never ends in "_".
func snakeCase(name string) string {
	var b strings.Builder
	gap := false
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			gap = true
			continue
		}
		r = unicode.ToLower(r)
		sep := gap && b.Len() > 0
		need := utf8.RuneLen(r)
		if sep {
			need++
		}
		if b.Len()+need > maxCustomName {
			break
		}
		if sep {
			b.WriteByte('_')
		}
		b.WriteRune(r)
		gap = false
	}
	return b.String()
}
