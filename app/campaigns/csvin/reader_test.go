package csvin

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"parley/app/model"
)

// readAll opens in and returns every record, failing on I/O errors.
func readAll(t *testing.T, in io.Reader, opts Options) (*Reader, []Record) {
	t.Helper()
	r, err := Open(in, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	var recs []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return r, recs
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		recs = append(recs, rec)
	}
}

func lines(recs []Record) []int {
	var out []int
	for _, r := range recs {
		out = append(out, r.Line)
	}
	return out
}

// TestLineNumbers: records start on the right physical line whatever the
// line endings, after multi-line quoted values and blank lines.
func TestLineNumbers(t *testing.T) {
	for name, nl := range map[string]string{"LF": "\n", "CRLF": "\r\n", "CR": "\r"} {
		t.Run(name, func(t *testing.T) {
			in := strings.Join([]string{
				"Name,Notes", // 1
				"Ann,one",    // 2
				`Bob,"multi` + nl + `line` + nl + `value"`, // 3-5
				"",                       // 6
				"Cy,after",               // 7
				`Di,"a` + nl + nl + `b"`, // 8-10
				`"Ed` + nl + `Jr",x`,     // 11-12
				"Fay,last",               // 13
			}, nl)
			_, recs := readAll(t, strings.NewReader(in), Options{})
			if got, want := lines(recs), []int{2, 3, 7, 8, 11, 13}; !slices.Equal(got, want) {
				t.Fatalf("lines %v, want %v", got, want)
			}
			if got := recs[1].Values[1]; got != "multi\nline\nvalue" {
				t.Errorf("multi-line value = %q", got)
			}
			if got := recs[3].Values[1]; got != "a\n\nb" {
				t.Errorf("value with a blank line = %q", got)
			}
		})
	}
	t.Run("mixed", func(t *testing.T) {
		in := "Name,Notes\r\nAnn,\"x\r\ny\"\nBob,1\rCy,\"p\n\rq\"\r\n\r\nDi,2"
		_, recs := readAll(t, strings.NewReader(in), Options{})
		if got, want := lines(recs), []int{2, 4, 5, 9}; !slices.Equal(got, want) {
			t.Fatalf("lines %v, want %v", got, want)
		}
	})
}

// TestLongLine: a 10 MB line is one rejected row with its line number; the
// rows after it are read, and the reader's buffer stays near the limit.
func TestLongLine(t *testing.T) {
	const size = 10 << 20
	long := strings.Repeat("x", size)
	for name, row := range map[string]string{
		"plain":  "Bob," + long,
		"quoted": `Bob,"` + long + `"`,
		"open":   `Bob,"` + long, // a quote that never closes on a long line
	} {
		t.Run(name, func(t *testing.T) {
			in := "Name,Notes\nAnn,first\n" + row + "\r\nCy,after\nDi,\"two\nlines\"\n"
			r, recs := readAll(t, strings.NewReader(in), Options{})
			if got, want := lines(recs), []int{2, 3, 4, 5}; !slices.Equal(got, want) {
				t.Fatalf("lines %v, want %v", got, want)
			}
			if recs[1].Err == nil || !strings.Contains(recs[1].Err.Error(), "longer than 1 MB") {
				t.Errorf("long row: %v", recs[1].Err)
			}
			if recs[2].Err != nil || recs[2].Values[0] != "Cy" || recs[3].Values[1] != "two\nlines" {
				t.Errorf("rows after the long one: %+v %+v", recs[2], recs[3])
			}
			if c := cap(r.split.buf); c > 2*DefaultMaxLineBytes {
				t.Errorf("record buffer grew to %d bytes", c)
			}
		})
	}
	t.Run("header", func(t *testing.T) {
		_, err := Open(strings.NewReader(long+"\nAnn\n"), Options{})
		if model.ErrorCode(err) != model.CodeInvalid || !strings.Contains(err.Error(), "longer than 1 MB") {
			t.Fatalf("Open with a 10 MB header: %v", err)
		}
	})
}

// TestQuoteRecovery: a quote that never closes costs the line it is on, not
// the rest of the file, whether the file ends or the limit is reached first.
func TestQuoteRecovery(t *testing.T) {
	for _, tc := range []struct {
		name, in  string
		limit     int
		wantLines []int
		wantErrs  []int // lines whose record has Err
	}{
		{"at end of file", "A,B\n1,\"open\n2,x\n3,y\n", 0, []int{2, 3, 4}, []int{2}},
		{"at end, CRLF", "A,B\r\n1,\"open\r\n2,x\r\n3,y", 0, []int{2, 3, 4}, []int{2}},
		{"at end, CR", "A,B\r1,\"open\r2,x\r3,y\r", 0, []int{2, 3, 4}, []int{2}},
		{"over the limit", "A,B\n1,\"open\n2,x\n3,y\n4,z\n5,w\n6,v\n", 12, []int{2, 3, 4, 5, 6, 7}, []int{2}},
		{"limit hit on a CR", "A,B\r1,\"ab\r\n2,x\r\n", 7, []int{2, 3}, []int{2}},
		{"a legitimate value over the limit", "A,B\n1,\"aaaa\nbbbb\ncccc\"\n2,x\n", 10, []int{2, 3, 4, 5}, []int{2, 4}},
		{"quoted lines then a bad one", "A,B\n1,\"a\nb\"\n2,\"c\n3,d\n", 0, []int{2, 4, 5}, []int{4}},
		// A stray quote closes at the next quote: both lines are lost.
		{"stray quote pairs with the next one", "A,B\n1,\"x\n2,\"y\nz\"\n3,w\n", 0, []int{2, 4, 5}, []int{2, 4}},
		// Quotes that pair up inside the runaway value keep it open to
		// the end; the lines after it are then read again on their own.
		{"runaway value read again", "A,B\n1,\"x\n2,\"\"\"\"\n3,w\n", 0, []int{2, 3, 4}, []int{2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, recs := readAll(t, strings.NewReader(tc.in), Options{MaxLineBytes: tc.limit})
			var errLines []int
			for _, r := range recs {
				if r.Err != nil {
					errLines = append(errLines, r.Line)
				}
			}
			if got := lines(recs); !slices.Equal(got, tc.wantLines) || !slices.Equal(errLines, tc.wantErrs) {
				t.Errorf("lines %v with errors on %v; want %v with errors on %v", got, errLines, tc.wantLines, tc.wantErrs)
				for _, r := range recs {
					t.Logf("  %d %q %v", r.Line, r.Values, r.Err)
				}
			}
		})
	}
}

// TestRecordsAreIndependent: a caller may keep records while reading on.
func TestRecordsAreIndependent(t *testing.T) {
	_, recs := readAll(t, strings.NewReader("A,B\n1,2\n3,4\n"), Options{})
	if !slices.Equal(recs[0].Values, []string{"1", "2"}) || !slices.Equal(recs[1].Values, []string{"3", "4"}) {
		t.Errorf("records changed after later calls: %q %q", recs[0].Values, recs[1].Values)
	}
}

// TestPastTheSample covers what only shows after the first 64 KiB.
func TestPastTheSample(t *testing.T) {
	filler := strings.Repeat("Ann,Acme\n", sniffSize/9+10)
	t.Run("Windows-1252 bytes in a UTF-8 file", func(t *testing.T) {
		r, recs := readAll(t, strings.NewReader("Name,Company\n"+filler+"Jos\xe9,\x80 Caf\xe9\n"), Options{})
		last := recs[len(recs)-1]
		if r.Encoding() != "UTF-8" || !slices.Equal(last.Values, []string{"José", "€ Café"}) {
			t.Errorf("%s: last row %q", r.Encoding(), last.Values)
		}
	})
	t.Run("NUL and BOM never survive", func(t *testing.T) {
		_, recs := readAll(t, strings.NewReader("Name,Company\n"+filler+"\uFEFFE\x00d,Um\x00brella\uFEFF\n"), Options{})
		if got := recs[len(recs)-1].Values; !slices.Equal(got, []string{"Ed", "Umbrella"}) {
			t.Errorf("last row %q", got)
		}
	})
	t.Run("a character cut by the sample", func(t *testing.T) {
		head := "Name,City\n"
		pad := strings.Repeat("a", sniffSize-len(head)-len("x,")-1)
		in := head + "x," + pad + "é\nZoë,Köln\n" // é straddles the 64 KiB mark
		r, recs := readAll(t, strings.NewReader(in), Options{})
		if r.Encoding() != "UTF-8" || recs[1].Values[1] != "Köln" {
			t.Errorf("%s: %q", r.Encoding(), recs[1].Values)
		}
	})
	t.Run("UTF-16 longer than the sample", func(t *testing.T) {
		var b bytes.Buffer
		b.Write(bomUTF16LE)
		text := "Name\tCity\r\n" + strings.Repeat("Zoë\tKöln\r\n", 20000) + "🦄\tEnd\r\n"
		for _, u := range text {
			b.Write(utf16LE(u))
		}
		r, recs := readAll(t, &b, Options{})
		last := recs[len(recs)-1]
		if r.Encoding() != "UTF-16LE" || r.Delimiter() != '\t' || len(recs) != 20001 || last.Values[0] != "🦄" || last.Line != 20002 {
			t.Errorf("%s %q: %d records, last %d %q", r.Encoding(), r.Delimiter(), len(recs), last.Line, last.Values)
		}
	})
}

// utf16LE encodes one character by hand, independently of x/text.
func utf16LE(r rune) []byte {
	if r < 0x10000 {
		return []byte{byte(r), byte(r >> 8)}
	}
	r -= 0x10000
	hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
	return []byte{byte(hi), byte(hi >> 8), byte(lo), byte(lo >> 8)}
}

// failingReader returns its data, then err.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReadErrors(t *testing.T) {
	broken := errors.New("disk on fire")
	_, err := Open(&failingReader{data: []byte("Name,Email\nAnn,a@x\n"), err: broken}, Options{})
	if !errors.Is(err, broken) || model.ErrorCode(err) != model.CodeInternal {
		t.Fatalf("Open on a failing reader: %v (code %s)", err, model.ErrorCode(err))
	}
	big := "Name,Email\n" + strings.Repeat("Ann,a@x\n", sniffSize/8+100)
	r, err := Open(&failingReader{data: []byte(big), err: broken}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		_, err = r.Next()
		if err != nil {
			break
		}
		n++
	}
	if !errors.Is(err, broken) || n == 0 {
		t.Fatalf("after %d rows: %v", n, err)
	}
	if _, again := r.Next(); !errors.Is(again, broken) {
		t.Errorf("the read error is not sticky: %v", again)
	}
}
