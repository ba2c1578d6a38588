package csvin

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"parley/app/model"
)

var update = flag.Bool("update", false, "rewrite the .golden files in testdata")

// goldenFiles are the fixtures in testdata; each has a .golden file with
// what the reader makes of it. Run go test -update after a deliberate
// change and review the diff.
var goldenFiles = []struct{ file, covers string }{
	{"utf8_bom_crlf.csv", "UTF-8 with BOM, comma, CRLF, accents and emoji"},
	{"utf8_semicolon_lf.csv", "UTF-8 without BOM, semicolon, LF, decimal commas, non-ASCII custom names"},
	{"tab_cr.tsv", "tab delimiter, lone CR line endings (also inside a quoted value), empty cells"},
	{"utf16le_tab.csv", "UTF-16LE with BOM (Excel Unicode Text), tab, CRLF, surrogate pairs"},
	{"utf16be_comma.csv", "UTF-16BE with BOM, comma, LF"},
	{"cp1252_semicolon.csv", "Windows-1252 bytes 0xE9, 0x80, 0xDF, 0x93/0x94; semicolon; CRLF"},
	{"quoted.csv", "embedded newlines (LF, CRLF), delimiters and quotes in values; line numbers after them"},
	{"apollo_headers.csv", "prefixed header names, first location wins, company page stays custom"},
	{"custom_no_url.csv", "custom columns, no profile URL, names that normalise alike, unnamed columns"},
	{"duplicate_headers.csv", "two columns with the same name"},
	{"cells.csv", "missing trailing cells, extra cells, trimming, stray BOM"},
	{"formula.csv", "formula-injection cells are read as they are"},
	{"blank_lines.csv", "blank, white-space and ,,, lines are skipped"},
	{"header_only.csv", "a header and no rows, without a final newline"},
	{"empty.csv", "an empty file"},
	{"image.png.csv", "a PNG image renamed to .csv"},
	{"bad_quotes.csv", "bad quoting rejects one row each and reading goes on"},
	{"no_header.csv", "a first row that is data"},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenFiles {
		t.Run(tc.file, func(t *testing.T) {
			got := dumpFile(t, filepath.Join("testdata", tc.file))
			golden := filepath.Join("testdata", tc.file+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("%s (%s): reader output differs from %s\n--- got\n%s--- want\n%s", tc.file, tc.covers, golden, got, want)
			}
		})
	}
}

// TestGoldenListComplete keeps fixtures from being added without a test.
func TestGoldenListComplete(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasSuffix(name, ".golden") {
			continue
		}
		if !slices.ContainsFunc(goldenFiles, func(g struct{ file, covers string }) bool { return g.file == name }) {
			t.Errorf("testdata/%s is not in goldenFiles", name)
		}
	}
}

// TestFixtureBytes guards the fixtures whose point is their raw bytes
// against being re-saved as UTF-8 by an editor.
func TestFixtureBytes(t *testing.T) {
	for _, tc := range []struct {
		file, encoding string
		prefix, has    []byte
	}{
		{"utf8_bom_crlf.csv", "UTF-8 (BOM)", bomUTF8, []byte("Jos\xC3\xA9")},
		{"utf16le_tab.csv", "UTF-16LE", bomUTF16LE, []byte("F\x00i\x00r\x00")},
		{"utf16be_comma.csv", "UTF-16BE", bomUTF16BE, []byte("\x00F\x00u\x00l")},
		{"cp1252_semicolon.csv", "Windows-1252", []byte("Vorname;"), []byte("Jos\xE9;Stra\xDFe;Caf\xE9 Z\xFCrich;\x80 500")},
		{"tab_cr.tsv", "UTF-8", []byte("Name\t"), []byte("Initech\t\tmet")},
	} {
		raw, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(raw, tc.prefix) || !bytes.Contains(raw, tc.has) {
			t.Errorf("%s: the fixture lost its %s bytes", tc.file, tc.encoding)
		}
		if tc.file == "tab_cr.tsv" && bytes.IndexByte(raw, '\n') >= 0 {
			t.Errorf("%s: must use lone CR line endings", tc.file)
		}
		f, err := os.Open(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		r, err := Open(f, Options{})
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if r.Encoding() != tc.encoding {
			t.Errorf("%s: Encoding() = %q, want %q", tc.file, r.Encoding(), tc.encoding)
		}
	}
}

// dumpFile renders everything the reader reports about a file.
func dumpFile(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return dump(t, f, Options{})
}

func dump(t *testing.T, in io.Reader, opts Options) string {
	t.Helper()
	var b strings.Builder
	r, err := Open(in, opts)
	if err != nil {
		fmt.Fprintf(&b, "open error (%s): %v\n", model.ErrorCode(err), err)
		return b.String()
	}
	fmt.Fprintf(&b, "encoding: %s\ndelimiter: %q\n", r.Encoding(), r.Delimiter())
	mapping := r.Mapping()
	for i, h := range r.Headers() {
		fmt.Fprintf(&b, "column %d %q -> %q\n", i+1, h, mapping[i])
	}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		fmt.Fprintf(&b, "line %d:", rec.Line)
		for _, v := range rec.Values {
			fmt.Fprintf(&b, " %q", v)
		}
		if rec.Err != nil {
			fmt.Fprintf(&b, " error (%s): %v", model.ErrorCode(rec.Err), rec.Err)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
