package dnc

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"parley/app/campaigns/csvin"
	"parley/app/model"
)

// FuzzReadCSV checks what callers of ReadCSV rely on: no panic, a coded
// message for a refused file, rows that are stored values (they normalise
// to themselves) with real notes, and line numbers that only go up.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"kind,value,note\nprofile,https://www.linkedin.com/in/jane-doe/,x\ncompany,\"ACME, Inc.\",\ncompany,Acme,\n",
		"\uFEFFtype;value;comment\r\ntitle;Head of HR;\"a;b\"\r\n",
		"https://www.linkedin.com/in/jane-doe/\njane@acme.com\n@acme.com\nAcme\n",
		"acme.com\nglobex.com\n",
		"Blocked\n\njane@acme.com\n\"unclosed\nx\n",
		"value\n'=cmd\n",
		"profile,https://www.linkedin.com/in/jane-doe/,note\n",
		"\xff\xfea\x00.\x00b\x00\n\x00",
		"\xfe\xff\x00a\x00.\x00b\x00\n",
		"kind,value,note\ntitle,\"x\"\"y\",\"multi\nline\"\ncompany,Caf\xe9,\n",
		"",
		"PK\x03\x04",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, rejects, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			if model.ErrorCode(err) != model.CodeInvalid || model.PublicMessage(err) == "" || badFormat(err.Error(), string(data)) {
				t.Fatalf("uncoded or bad error: %v", err)
			}
			if rows != nil || rejects != nil {
				t.Fatalf("error %v with %d rows and %d rejects", err, len(rows), len(rejects))
			}
			return
		}
		lines := make(map[int]bool)
		last := 0
		for _, r := range rows {
			if r.Line <= last {
				t.Fatalf("row line %d after %d", r.Line, last)
			}
			last = r.Line
			lines[r.Line] = true
			if v, err := Normalize(r.Kind, r.Value); err != nil || v != r.Value {
				t.Fatalf("line %d: %s %q normalises to %q, %v", r.Line, r.Kind, r.Value, v, err)
			}
		}
		last = 0
		for _, r := range rejects {
			if r.Line <= last || lines[r.Line] {
				t.Fatalf("reject line %d after %d, or also a row", r.Line, last)
			}
			last = r.Line
			if r.Reason == "" || badFormat(r.Reason, string(data)) {
				t.Fatalf("line %d: bad reason %q", r.Line, r.Reason)
			}
		}
	})
}

// FuzzNormalize checks that Normalize never panics, refuses with a coded
// message, and accepts its own output unchanged.
func FuzzNormalize(f *testing.F) {
	for _, tc := range normalizeCases {
		f.Add(tc.kind, tc.in)
	}
	f.Fuzz(func(t *testing.T, kind, value string) {
		v, err := Normalize(kind, value)
		if err != nil {
			if model.ErrorCode(err) != model.CodeInvalid || badFormat(err.Error(), kind+value) {
				t.Fatalf("Normalize(%q, %q): bad error %v", kind, value, err)
			}
			return
		}
		again, err := Normalize(kind, v)
		if err != nil || again != v {
			t.Fatalf("Normalize(%q, %q) = %q, which normalises to %q, %v", kind, value, v, again, err)
		}
		// A rule matches the lead it was made from.
		lead := model.Lead{Company: value, Title: value, Email: "x@" + v}
		if kind == model.DNCProfile {
			k, key, _ := strings.Cut(v, ":")
			lead = model.Lead{ProfileKind: k, ProfileKey: key}
		}
		if _, ok := NewMatcher([]model.DNCEntry{{ID: 1, Kind: kind, Value: v}}).Match(lead); !ok {
			t.Fatalf("rule %s %q does not match the lead %+v it came from", kind, v, lead)
		}
	})
}

// badFormat spots a fmt mistake in a message, unless the input quoted in
// it has the same marks.
func badFormat(msg, input string) bool {
	return strings.Contains(msg, "%!") && !strings.Contains(input, "%!")
}

// FuzzRoundTrip checks that any rule WriteCSV writes reads back the same.
// Notes are limited to what a stored note can be: trimmed text without
// control characters other than tab and line feed.
func FuzzRoundTrip(f *testing.F) {
	for i, tc := range normalizeCases {
		f.Add(tc.kind, tc.in, []string{"", "note", "=1+1", "two\nlines", `"q", x`}[i%5])
	}
	f.Fuzz(func(t *testing.T, kind, value, note string) {
		v, err := Normalize(kind, value)
		if err != nil || !storable(note) || ambiguous(v) || ambiguous(note) {
			return
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, []model.DNCEntry{{ID: 1, Kind: kind, Value: v, Note: note, CreatedBy: "=x"}}); err != nil {
			t.Fatal(err)
		}
		rows, rejects, err := ReadCSV(&buf)
		if err != nil || len(rejects) != 0 || len(rows) != 1 {
			t.Fatalf("%s %q %q: read back %+v, %+v, %v from %q", kind, v, note, rows, rejects, err, buf.String())
		}
		if r := rows[0]; r.Kind != kind || r.Value != v || r.Note != note {
			t.Fatalf("wrote %s %q %q, read %s %q %q", kind, v, note, r.Kind, r.Value, r.Note)
		}
	})
}

func storable(note string) bool {
	if !utf8.ValidString(note) || strings.TrimSpace(note) != note {
		return false
	}
	for _, r := range note {
		if r != '\t' && r != '\n' && (unicode.IsControl(r) || r == '\uFEFF') {
			return false
		}
	}
	return true
}

// ambiguous reports the one kind of cell that does not survive
// csvin.NeutraliseCell: it already starts with the ' that guards a formula.
func ambiguous(s string) bool {
	rest, ok := strings.CutPrefix(s, "'")
	return ok && !csvin.SafeCell(rest)
}
