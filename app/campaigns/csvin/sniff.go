package csvin

import (
	"bufio"
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textEncoding is what Open decided about the bytes of the file.
type textEncoding struct {
	name  string
	bom   int               // bytes of UTF-8 byte order mark to skip
	enc   encoding.Encoding // nil for UTF-8, which is read as is
	utf16 bool              // two bytes per code unit: a sample may end in half of one
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// detectEncoding trusts a byte order mark first. Without one, a sample that
// is valid UTF-8 is UTF-8 (plain ASCII included); anything else is taken to
// be Windows-1252, which is what Excel on Windows writes for "CSV" and which
// decodes every byte, so nothing is lost to replacement characters.
func detectEncoding(sample []byte, complete bool) textEncoding {
	switch {
	case bytes.HasPrefix(sample, bomUTF8):
		return textEncoding{name: "UTF-8 (BOM)", bom: len(bomUTF8)}
	case bytes.HasPrefix(sample, bomUTF16LE):
		return textEncoding{name: "UTF-16LE", enc: unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), utf16: true}
	case bytes.HasPrefix(sample, bomUTF16BE):
		return textEncoding{name: "UTF-16BE", enc: unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), utf16: true}
	case utf8.Valid(wholeRunes(sample, complete)):
		return textEncoding{name: "UTF-8"}
	}
	return textEncoding{name: "Windows-1252", enc: charmap.Windows1252}
}

// wholeRunes drops a multi-byte character cut in two by the end of a
// sample that is not the whole file.
func wholeRunes(b []byte, complete bool) []byte {
	if complete {
		return b
	}
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// decodeSample returns the sample as UTF-8 without a byte order mark.
func (e textEncoding) decodeSample(sample []byte, complete bool) []byte {
	if e.enc == nil {
		return wholeRunes(sample[e.bom:], complete)
	}
	if e.utf16 && !complete && len(sample)%2 == 1 {
		sample = sample[:len(sample)-1] // half a UTF-16 code unit
	}
	text, err := e.enc.NewDecoder().Bytes(sample)
	if err != nil {
		return sample // not reached with a byte order mark; judge the raw bytes
	}
	return text
}

// stream returns the rest of the file, decoded to UTF-8.
func (e textEncoding) stream(in *bufio.Reader) (*bufio.Reader, error) {
	if e.enc == nil {
		_, err := in.Discard(e.bom)
		return in, err
	}
	return bufio.NewReaderSize(transform.NewReader(in, e.enc.NewDecoder()), 16<<10), nil
}

// candidates are the delimiters Open considers, in order of preference
// when they fit the sample equally well.
var candidates = []byte{',', ';', '\t'}

// sniffRecords is how many records of the sample are compared.
const sniffRecords = 50

// sniffDelimiter picks the delimiter that splits the header into more than
// one column and gives the largest share of the sampled rows the header's
// column count; ties go to more columns, then to the earlier candidate.
// Records are found with the same quote-aware splitter as the rows, so a
// delimiter inside a quoted value does not count. A file with one column
// gets ','.
func sniffDelimiter(text []byte, complete bool) byte {
	best, bestScore := candidates[0], delimScore{}
	for _, d := range candidates {
		if sc := scoreDelimiter(text, d, complete); sc.better(bestScore) {
			best, bestScore = d, sc
		}
	}
	return best
}

type delimScore struct {
	columns  int // cells in the header
	records  int // records sampled, header included
	matching int // records with as many cells as the header
}

func (a delimScore) better(b delimScore) bool {
	if a.columns < 2 {
		return false
	}
	if b.columns < 2 {
		return true
	}
	if l, r := a.matching*b.records, b.matching*a.records; l != r {
		return l > r
	}
	return a.columns > b.columns
}

func scoreDelimiter(text []byte, delim byte, complete bool) delimScore {
	var sc delimScore
	s := newSplitter(bufio.NewReader(bytes.NewReader(text)), delim, len(text)+1)
	for sc.records < sniffRecords {
		rec, err := s.next()
		// A record cut off by the end of the sample would skew the count.
		if err != nil || rec.problem != problemNone || (rec.atEOF && !complete) {
			break
		}
		if len(bytes.TrimSpace(rec.data)) == 0 {
			continue
		}
		if sc.records == 0 {
			sc.columns = rec.fields
		}
		sc.records++
		if rec.fields == sc.columns {
			sc.matching++
		}
	}
	return sc
}
