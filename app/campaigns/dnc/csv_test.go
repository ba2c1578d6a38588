package dnc

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"parley/app/model"
)

// dump lists what ReadCSV made of a file, rows and rejects in line order,
// one per line: "2 company acme | note" or "3 ! reason".
func dump(rows []Row, rejects []Reject) string {
	var b strings.Builder
	for len(rows) > 0 || len(rejects) > 0 {
		if len(rejects) == 0 || len(rows) > 0 && rows[0].Line < rejects[0].Line {
			r := rows[0]
			fmt.Fprintf(&b, "%d %s %s", r.Line, r.Kind, r.Value)
			if r.Note != "" {
				fmt.Fprintf(&b, " | %s", r.Note)
			}
			b.WriteByte('\n')
			rows = rows[1:]
			continue
		}
		fmt.Fprintf(&b, "%d ! %s\n", rejects[0].Line, rejects[0].Reason)
		rejects = rejects[1:]
	}
	return b.String()
}

const (
	reasonUnknown = "cannot tell what kind of rule %q is: on its own a value must be a LinkedIn profile URL, an e-mail address or a domain; " +
		"for a company or a title keyword, start the file with the header row kind,value,note and write company or title in the kind column"
	reasonSeveral = "the line has several values separated by commas, but the file has no header row; " +
		"give one profile URL, e-mail address or domain per line, or start the file with the header row kind,value,note " +
		"(a value with a comma in it goes in double quotes)"
)

func TestReadCSV(t *testing.T) {
	cases := []struct {
		name string
		file string
		want string
	}{
		{
			name: "header with every kind, bad rows and duplicates",
			file: "kind,value,note\n" +
				"profile,https://www.linkedin.com/in/Jane-Doe/?trk=x,asked us to stop\n" +
				"company,\"ACME, Inc.\",\n" +
				"domain,@globex.com,competitor\n" +
				"title,Intern,\n" +
				"company,Acme Corp,same company again\n" +
				"Domain,jane@GLOBEX.com,\n" +
				"email,jane@initech.com,\n" +
				"title,x,\n" +
				"company,,no value\n" +
				",https://www.linkedin.com/in/joe/,kind left empty\n" +
				",Initech,kind left empty\n" +
				"profile,https://www.linkedin.com/company/acme/,\n",
			want: "2 profile profile:jane-doe | asked us to stop\n" +
				"3 company acme\n" +
				"4 domain globex.com | competitor\n" +
				"5 title intern\n" +
				"6 ! same rule as line 3\n" +
				"7 ! same rule as line 4\n" +
				`8 ! "email" is not a kind of rule; use profile, company, domain or title` + "\n" +
				`9 ! the title keyword "x" is too short; use at least 2 characters` + "\n" +
				"10 ! the value is empty; put the profile URL, company, domain or title keyword in the value column\n" +
				"11 profile profile:joe | kind left empty\n" +
				"12 ! " + fmt.Sprintf(reasonUnknown, "Initech") + "\n" +
				"13 ! " + needURL + "the address is a company page, not a person's profile; a profile URL has /in/ after linkedin.com, like " + example + "\n",
		},
		{
			name: "UTF-8 BOM, semicolons, type and comment, columns in another order, extra columns",
			file: "\uFEFFComment;Extra;VALUE;Type\r\n" +
				"Kunde hat abgelehnt;x;Müller & Söhne GmbH;company\r\n" +
				"\"zwei; Teile\";;Geschäftsführer;title\r\n",
			want: "2 company muller sohne | Kunde hat abgelehnt\n" +
				"3 title geschaftsfuhrer | zwei; Teile\n",
		},
		{
			name: "value column only",
			file: "Value\nacme.com\n@acme.com\nAcme\n",
			want: "2 domain acme.com\n" +
				"3 ! same rule as line 2\n" +
				"4 ! " + fmt.Sprintf(reasonUnknown, "Acme") + "\n",
		},
		{
			name: "multi-line note keeps line numbers, blank lines skipped",
			file: "kind,value,note\n\n" +
				"company,Acme,\"first line\nsecond line\"\n" +
				",,\n" +
				"company,Globex,\n",
			want: "3 company acme | first line\nsecond line\n" +
				"6 company globex\n",
		},
		{
			name: "formula cells read back without the guarding quote",
			file: "kind,value,note\n" +
				"title,'=cmd,\"'=HYPERLINK(\"\"x\"\")\"\n" +
				"title,'intern',it's quoted\n",
			want: "2 title =cmd | =HYPERLINK(\"x\")\n" +
				"3 title 'intern' | it's quoted\n",
		},
		{
			name: "single column of URLs and e-mail addresses, no header",
			file: "https://www.linkedin.com/in/jane-doe/\n" +
				"jane@acme.com\n" +
				"@acme.com\n" +
				"www.globex.com\n" +
				"linkedin.com/in/JANE-DOE\n" +
				"Acme Inc\n" +
				"https://www.acme.com/about\n" +
				"https://www.linkedin.com/sales/lead/ACwAAAbc,NAME_SEARCH,x\n" +
				"\"https://www.linkedin.com/sales/lead/ACwAAAbc,NAME_SEARCH,x\"\n",
			want: "1 profile profile:jane-doe\n" +
				"2 domain acme.com\n" +
				"3 ! same rule as line 2\n" +
				"4 domain globex.com\n" +
				"5 ! same rule as line 1\n" +
				"6 ! " + fmt.Sprintf(reasonUnknown, "Acme Inc") + "\n" +
				`7 ! "https://www.acme.com/about" is a web address but not a LinkedIn profile; to stop everyone with an e-mail address at acme.com, give the domain acme.com` + "\n" +
				"8 ! " + reasonSeveral + "\n" +
				"9 profile sales_nav:ACwAAAbc\n",
		},
		{
			name: "single column whose first value csvin takes for a header",
			file: "acme.com\r\nglobex.com\r\n",
			want: "1 domain acme.com\n2 domain globex.com\n",
		},
		{
			name: "single column with a title",
			file: "\n\nBlocked e-mails\njane@acme.com\nBob Smith\n",
			want: "4 domain acme.com\n" +
				"5 ! " + fmt.Sprintf(reasonUnknown, "Bob Smith") + "\n",
		},
		{
			name: "single column, Windows line endings and a BOM",
			file: "\uFEFFhttps://www.linkedin.com/in/jane-doe/\r\n\r\nacme.com\r\n",
			want: "1 profile profile:jane-doe\n3 domain acme.com\n",
		},
		{
			name: "header only",
			file: "kind,value,note\n",
			want: "",
		},
	}
	for _, tc := range cases {
		rows, rejects, err := ReadCSV(strings.NewReader(tc.file))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := dump(rows, rejects); got != tc.want {
			t.Errorf("%s:\n--- got\n%s--- want\n%s", tc.name, got, tc.want)
		}
	}
}

func TestReadCSVEncodings(t *testing.T) {
	utf16le := func(s string) []byte {
		out := []byte{0xFF, 0xFE}
		for _, r := range s {
			out = append(out, byte(r), byte(r>>8))
		}
		return out
	}
	utf16be := func(s string) []byte {
		out := []byte{0xFE, 0xFF}
		for _, r := range s {
			out = append(out, byte(r>>8), byte(r))
		}
		return out
	}
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"UTF-16LE single column", utf16le("https://www.linkedin.com/in/jane-doe/\r\njürgen@bücher.de\r\n"),
			"1 profile profile:jane-doe\n2 domain bücher.de\n"},
		{"UTF-16BE single column", utf16be("acme.com\nglobex.com\n"),
			"1 domain acme.com\n2 domain globex.com\n"},
		{"UTF-16LE with header, tabs", utf16le("kind\tvalue\tnote\r\ncompany\tSociété Générale\tné\r\n"),
			"2 company societe generale | né\n"},
		{"Windows-1252 with header", []byte("kind;value;note\r\ncompany;Caf\xe9 Cr\xe8me SARL;\x93VIP\x94\r\n"),
			"2 company cafe creme | \u201cVIP\u201d\n"},
		{"Windows-1252 single column", []byte("jane@caf\xe9.fr\r\n"),
			"1 domain café.fr\n"},
	}
	for _, tc := range cases {
		rows, rejects, err := ReadCSV(bytes.NewReader(tc.file))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := dump(rows, rejects); got != tc.want {
			t.Errorf("%s:\n--- got\n%s--- want\n%s", tc.name, got, tc.want)
		}
	}
}

func TestReadCSVBadFiles(t *testing.T) {
	const ruleFirst = "the first row holds a rule, not column names; start the file with the header row kind,value,note"
	cases := []struct {
		name string
		file string
		want string
	}{
		{"empty", "", "the file is empty; put one rule per line, under the header row kind,value,note"},
		{"white space and a BOM", "\uFEFF \r\n\t\n", "the file is empty; put one rule per line, under the header row kind,value,note"},
		{"PNG image", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
			"This file is not a CSV file: it contains binary data. Export the list as CSV (comma-separated values) and upload that file."},
		{"Excel workbook", "PK\x03\x04\x14\x00\x06\x00",
			`This is a spreadsheet workbook (such as .xlsx or .xls), not a CSV file. Open it in your spreadsheet app, save it as "CSV UTF-8 (Comma delimited)" and upload that file.`},
		{"no value column", "name,email\nJane,jane@acme.com\n",
			"the file has no value column (its columns are name, email); start the file with the header row kind,value,note"},
		{"kind and note but no value", "kind\ncompany\n",
			"the file has no value column (its columns are kind); start the file with the header row kind,value,note"},
		{"kind and type", "kind,value,type\n",
			"the header has both a kind and a type column; keep one of them"},
		{"rules without a header", "company,Acme,note\ndomain,acme.com,\n", ruleFirst},
		{"kinds as column names", "Domain,Note\nacme.com,x\n",
			"the file has no value column (its columns are Domain, Note); start the file with the header row kind,value,note"},
		{"lead columns", "Title,Company\nCEO,Acme\n",
			"the file has no value column (its columns are Title, Company); start the file with the header row kind,value,note"},
		{"rules with URLs without a header", "profile,https://www.linkedin.com/in/jane-doe/,note\n", ruleFirst},
		{"rules with URLs without a header, semicolons", "\n\nProfile;https://www.linkedin.com/in/jane-doe/;note\n", ruleFirst},
		{"URL rows with notes but no header", "https://www.linkedin.com/in/jane-doe/,asked us\n", ruleFirst},
		{"lead export, URL first", "https://www.linkedin.com/in/jane-doe/,Jane,Doe\n", ruleFirst},
		{"lead export, name first", "Jane,Doe,https://www.linkedin.com/in/jane-doe/\n",
			`The first row looks like a lead, not column names (it contains "https://www.linkedin.com/in/jane-doe/"). Add a header row with names such as "LinkedIn URL", "First Name" and "Company", then upload the file again.`},
		{"too large", strings.Repeat("a", MaxFileBytes+1), "the file is larger than 16 MB; split it into smaller files"},
	}
	for _, tc := range cases {
		rows, rejects, err := ReadCSV(strings.NewReader(tc.file))
		if err == nil {
			t.Errorf("%s: no error; read %s", tc.name, dump(rows, rejects))
			continue
		}
		if model.ErrorCode(err) != model.CodeInvalid || model.PublicMessage(err) != tc.want {
			t.Errorf("%s:\n got %q (%s)\nwant %q", tc.name, model.PublicMessage(err), model.ErrorCode(err), tc.want)
		}
	}
}

func TestReadCSVTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("kind,value\n")
	for i := range MaxRows + 1 {
		fmt.Fprintf(&b, "title,kw%d\n", i)
	}
	_, _, err := ReadCSV(strings.NewReader(b.String()))
	if want := "the file has more than 100000 rules; split it into smaller files"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

func TestWriteCSV(t *testing.T) {
	at := time.Date(2025, 3, 4, 10, 30, 0, 0, time.FixedZone("CET", 3600))
	entries := []model.DNCEntry{
		{ID: 1, Kind: "profile", Value: "profile:jane-doe", Note: "asked us, twice", CreatedBy: "ann", CreatedAt: at},
		{ID: 2, Kind: "title", Value: "=cmd", Note: "@SUM(A1)", CreatedBy: "+bob"},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, entries); err != nil {
		t.Fatal(err)
	}
	want := "kind,value,note,created_by,created_at\r\n" +
		"profile,profile:jane-doe,\"asked us, twice\",ann,2025-03-04T09:30:00Z\r\n" +
		"title,'=cmd,'@SUM(A1),'+bob,\r\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
}

func TestRoundTrip(t *testing.T) {
	notes := []string{
		"", "plain", "with, comma", `with "quotes"`, "two\nlines", "; semicolon", "=1+1", "+33 6 12 34 56 78",
		"-12.5", "@here", "- a list", "Ünïcödé 😀", "'quoted'", "tab\tinside",
	}
	var entries []model.DNCEntry
	add := func(kind, value string) {
		v, err := Normalize(kind, value)
		if err != nil {
			t.Fatalf("Normalize(%q, %q): %v", kind, value, err)
		}
		entries = append(entries, model.DNCEntry{
			ID: uint64(len(entries) + 1), Kind: kind, Value: v, Note: notes[len(entries)%len(notes)],
			CreatedBy: "=evil()", CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		})
	}
	for _, v := range []string{"https://www.linkedin.com/in/jane-doe/", "https://www.linkedin.com/in/j%C3%BCrgen/",
		"https://www.linkedin.com/sales/lead/ACwAAAbc,NAME", "https://www.linkedin.com/in/ACoAAA1234567890abcdefghijklmnop"} {
		add(model.DNCProfile, v)
	}
	for _, v := range []string{"ACME, Inc.", "Société Générale", "3M", "東京電力"} {
		add(model.DNCCompany, v)
	}
	for _, v := range []string{"acme.com", "bücher.de", "eu.acme.co.uk"} {
		add(model.DNCDomain, v)
	}
	for _, v := range []string{"intern", "head of hr, emea", "=cmd", "+1", "-vp-", "@home", "\"quoted\"", "c++"} {
		add(model.DNCTitle, v)
	}

	var buf bytes.Buffer
	if err := WriteCSV(&buf, entries); err != nil {
		t.Fatal(err)
	}
	rows, rejects, err := ReadCSV(&buf)
	if err != nil || len(rejects) > 0 {
		t.Fatalf("read back: %v, rejects %+v", err, rejects)
	}
	if len(rows) != len(entries) {
		t.Fatalf("read back %d rows, wrote %d", len(rows), len(entries))
	}
	for i, r := range rows {
		e := entries[i]
		if r.Kind != e.Kind || r.Value != e.Value || r.Note != e.Note {
			t.Errorf("rule %d: wrote %q %q %q, read %q %q %q", e.ID, e.Kind, e.Value, e.Note, r.Kind, r.Value, r.Note)
		}
	}
}
