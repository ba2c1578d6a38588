package csvin

import (
	"strings"
	"testing"

	"parley/app/model"
)

// TestOpenErrors: files that cannot be imported get a coded error a person
// can act on.
func TestOpenErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		opts     Options
		want     string // part of the message
	}{
		{"empty", "", Options{}, "The file is empty"},
		{"white space only", " \r\n\t\n  ", Options{}, "The file is empty"},
		{"byte order mark only", "\xEF\xBB\xBF", Options{}, "The file is empty"},
		{"UTF-16 byte order mark only", "\xFF\xFE", Options{}, "The file is empty"},
		{"PNG", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Options{}, "binary data"},
		{"NUL in text", "Name,Email\nAnn,a\x00@x\n", Options{}, "binary data"},
		{"control characters", "Na\x01me,\x02Em\x03ail\n\x04Ann\x05,\x06a\n", Options{}, "binary data"},
		{"UTF-16 without byte order mark", "N\x00a\x00m\x00e\x00\n\x00", Options{}, "binary data"},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", Options{}, "spreadsheet workbook"},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", Options{}, "spreadsheet workbook"},
		{"only empty rows", ",,,\n,,,\n", Options{}, "no header row"},
		{"data instead of a header", "Ann,ann@example.com\n", Options{}, `it contains "ann@example.com"`},
		{"URL instead of a header", "www.linkedin.com/in/ann\n", Options{}, "looks like a lead"},
		{"duplicate names", "Name,Email,NAME\n", Options{}, `two columns named "NAME" (columns 1 and 3)`},
		{"too many columns", strings.Repeat("c,", 200) + "last\n", Options{}, "201 columns; at most 200"},
		{"too many for the option", "a,b,c,d\n", Options{MaxColumns: 3}, "4 columns; at most 3"},
		{"header too long", "Name," + strings.Repeat("x", 100) + "\n", Options{MaxLineBytes: 50}, "longer than 50 bytes"},
		{"header never closes its quote", "Name,\"Email\nAnn,a\n", Options{}, "never closed"},
		{"bad quote in the header", "Name,Em\"ail\nAnn,a\n", Options{}, "header row (line 1) could not be read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(strings.NewReader(tc.in), tc.opts)
			if err == nil {
				t.Fatalf("no error; headers %q", r.Headers())
			}
			if model.ErrorCode(err) != model.CodeInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v (code %s), want a CodeInvalid error containing %q", err, model.ErrorCode(err), tc.want)
			}
		})
	}
}

// TestOpenTolerates: things that look odd but are fine.
func TestOpenTolerates(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"one stray control character", "Name,Notes\nAnn,\x02" + strings.Repeat("long note ", 20) + "\n"},
		{"vertical tab line breaks", "Name,Address\nAnn,\"1 Main St\vSpringfield\"\n"},
		{"an at sign in a header", "Name,E-mail @ work\nAnn,a@x\n"},
		{"a single column", "LinkedIn URL\nhttps://www.linkedin.com/in/ann\n"},
		{"blank lines before the header", "\n\n,,\nName\nAnn\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Open(strings.NewReader(tc.in), Options{}); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestDelimiter: the delimiter that gives the most consistent column count
// wins; delimiters inside quotes do not count.
func TestDelimiter(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     rune
	}{
		{"comma", "a,b,c\n1,2,3\n", ','},
		{"semicolon", "a;b;c\n1;2;3\n", ';'},
		{"tab", "a\tb\tc\n1\t2\t3\n", '\t'},
		{"semicolon with decimal commas", "Name;Revenue;Growth\nAnn;1,5;0,2\nBob;2,75;1,1\n", ';'},
		{"tab with commas in values", "Name\tTitle\nAnn\tCEO, Founder\nBob\tVP, Sales\n", '\t'},
		{"commas with a semicolon in a header", "Name,Notes; misc,Email\nAnn,x,a@x\nBob,y,b@x\n", ','},
		{"quoted semicolons", "a,b\n\"1;2;3\",\"4;5\"\n\"6;7\",8\n", ','},
		{"quoted newlines", "a;b\n\"x,\ny,\nz\";1\n\"p,q\";2\n", ';'},
		{"comma inside an unquoted title", "Name,Title,Email\nAnn,CEO, Founder,a@x\nBob,CTO,b@x\nCy,VP,c@x\n", ','},
		{"header only", "First Name;Last Name;Company\n", ';'},
		{"more columns wins a tie", "a,b;c;d\n", ';'},
		{"single column", "LinkedIn URL\nhttps://x\n", ','},
		{"empty trailing cells", "a;b;c\n1;;\n;;\n2;3;\n", ';'},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(strings.NewReader(tc.in), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Delimiter() != tc.want {
				t.Errorf("Delimiter() = %q, want %q", r.Delimiter(), tc.want)
			}
		})
	}
}
