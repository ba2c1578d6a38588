package csvin

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"parley/app/model"
)

const fuzzLimit = 64

// FuzzReader: any bytes give either a coded error from Open or a stream of
// records that ends, with increasing line numbers from 2, bounded values
// and clean cells. For plain well-formed UTF-8 input the records must match
// what encoding/csv reads from the whole file in one go.
func FuzzReader(f *testing.F) {
	for _, g := range goldenFiles {
		data, err := os.ReadFile(filepath.Join("testdata", g.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"A,B\n1,\"open\n2,x\n", "A;B\r1;\"a\r\n\"\r2;3", "A\tB\n\"x\"\"y\"\tz\n", "A,B\n" + strings.Repeat("x", 100) + "\n1,2",
		"A,B\n1,\"" + strings.Repeat("y\n", 40) + "\"\n2,3\n", "A,B\r\n,,\r\n \"q\" , \"r\"\r\n", "\xFF\xFEA\x00,\x00B\x00\n\x001\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Open(bytes.NewReader(data), Options{MaxLineBytes: fuzzLimit, MaxColumns: 16})
		if err != nil {
			if model.ErrorCode(err) != model.CodeInvalid {
				t.Fatalf("Open: uncoded error %v", err)
			}
			return
		}
		headers := r.Headers()
		if len(headers) == 0 || len(headers) > 16 || len(r.Mapping()) != len(headers) {
			t.Fatalf("%d headers, %d fields", len(headers), len(r.Mapping()))
		}
		var recs []Record
		prev := 1
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if len(recs) > len(data) {
				t.Fatal("more records than input bytes")
			}
			if rec.Line < 2 || rec.Line <= prev {
				t.Fatalf("record on line %d after line %d", rec.Line, prev)
			}
			prev = rec.Line
			checkRecord(t, rec, len(headers))
			recs = append(recs, rec)
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("Next after the end: %v", err)
		}
		compareWithStdlib(t, data, r, recs)
	})
}

func checkRecord(t *testing.T, rec Record, columns int) {
	t.Helper()
	if rec.Err != nil && model.ErrorCode(rec.Err) != model.CodeInvalid {
		t.Fatalf("line %d: uncoded row error %v", rec.Line, rec.Err)
	}
	if rec.Err == nil && len(rec.Values) != columns {
		t.Fatalf("line %d: %d values for %d columns", rec.Line, len(rec.Values), columns)
	}
	size := 0
	for _, v := range rec.Values {
		size += len(v)
		// Windows-1252 fallback may turn one byte into three.
		if !utf8.ValidString(v) || strings.ContainsAny(v, "\x00\uFEFF\r") || v != strings.TrimSpace(v) {
			t.Fatalf("line %d: unclean value %q", rec.Line, v)
		}
	}
	if size > 3*fuzzLimit {
		t.Fatalf("line %d: %d bytes of values from a %d-byte limit", rec.Line, size, fuzzLimit)
	}
}

// compareWithStdlib checks plain UTF-8 input that the reader accepted
// without a single bad row against encoding/csv reading the whole file.
func compareWithStdlib(t *testing.T, data []byte, r *Reader, recs []Record) {
	t.Helper()
	if r.Encoding() != "UTF-8" || bytes.IndexByte(data, '\r') >= 0 {
		return // encoding/csv reads a lone CR as data
	}
	for _, rec := range recs {
		if rec.Err != nil {
			return
		}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.FieldsPerRecord, cr.TrimLeadingSpace = r.Delimiter(), -1, r.Delimiter() != '\t'
	var want []Record
	header := true
	for {
		cells, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the reader accepted every row, encoding/csv says %v", err)
		}
		rec := Record{Values: make([]string, len(r.Headers()))}
		rec.Line, _ = cr.FieldPos(0)
		blank := true
		for j, c := range cells {
			c = cleanCell(c)
			blank = blank && c == ""
			if j < len(rec.Values) {
				rec.Values[j] = c
			}
		}
		if !blank && !header {
			want = append(want, rec)
		}
		header = header && blank
	}
	if len(want) != len(recs) {
		t.Fatalf("%d records, encoding/csv has %d", len(recs), len(want))
	}
	for i := range want {
		if want[i].Line != recs[i].Line || !slices.Equal(want[i].Values, recs[i].Values) {
			t.Fatalf("line %d %q; encoding/csv has line %d %q", recs[i].Line, recs[i].Values, want[i].Line, want[i].Values)
		}
	}
}
