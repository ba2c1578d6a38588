package csvin

import "bufio"

// splitter cuts decoded text into records. encoding/csv cannot do this job
// alone: it stops at the first quoting error, cannot bound the size of a
// record, and a single stray quote makes it read the rest of the file as one
// value. The splitter follows the same quoting rules (a quote opens a value
// only at the start of a cell; "" inside quotes is a quote), counts physical
// lines, and recovers from bad quoting on its own, so that every record it
// hands to encoding/csv is at most limit bytes and one bad row costs one row.
type splitter struct {
	in      *bufio.Reader
	pending []byte // lines given back after a failed record; read before in
	spare   []byte // backing array for pending
	buf     []byte // the record being read
	delim   byte
	limit   int
	line    int  // physical line number of the next byte
	skipLF  bool // the last line break was a CR; an LF right after it belongs to it
	// special marks the bytes the scanner must look at; all others are
	// copied as they are, which is most of a file.
	special [256]bool
}

// rawRecord is one record as found in the text, without its line break.
type rawRecord struct {
	data    []byte // valid until the next call to next
	line    int    // physical line where the record starts
	fields  int    // cells, counting delimiters outside quotes
	problem problem
	atEOF   bool // ended by the end of the input rather than a line break
}

// scanState is where the scanner is within a record.
type scanState struct {
	inQuotes, afterClose, prevCR, fieldStart bool
	// Where the first physical line ends and the second starts, once the
	// record spans lines; needed to give the rest back.
	first, second int
}

func newSplitter(in *bufio.Reader, delim byte, limit int) *splitter {
	s := &splitter{in: in, delim: delim, limit: limit, line: 1, buf: make([]byte, 0, min(limit+1, 4096))}
	for _, c := range []byte{'\n', '\r', '"', delim} {
		s.special[c] = true
	}
	// Spaces before an opening quote are allowed, as in rowParser.reset.
	if delim != '\t' {
		s.special[' '], s.special['\t'] = true, true
	}
	return s
}

// chunk returns the unread bytes at hand, reading more when there are none.
func (s *splitter) chunk() ([]byte, error) {
	if len(s.pending) > 0 {
		return s.pending, nil
	}
	if s.in.Buffered() == 0 {
		if _, err := s.in.Peek(1); err != nil {
			return nil, err
		}
	}
	return s.in.Peek(s.in.Buffered())
}

// consume marks n bytes of the last chunk as read.
func (s *splitter) consume(n int) {
	if len(s.pending) > 0 {
		s.pending = s.pending[n:]
		return
	}
	s.in.Discard(n) // cannot fail: the bytes are buffered
}

// next returns the next record, skipping empty lines. It returns io.EOF at
// the end of the input and passes on any other read error.
func (s *splitter) next() (rawRecord, error) {
	rec := rawRecord{line: s.line, fields: 1}
	st := scanState{fieldStart: true, first: -1, second: -1}
	// Lines given back after a failed record end at every line break:
	// their quotes have already proved untrustworthy.
	blind := len(s.pending) > 0
	s.buf = s.buf[:0]
chunks:
	for {
		chunk, err := s.chunk()
		if err != nil {
			return s.atEnd(rec, err, st.inQuotes && !blind, st)
		}
		if s.skipLF {
			s.skipLF = false
			if chunk[0] == '\n' {
				s.consume(1)
				continue
			}
		}
		if room := s.limit + 1 - len(s.buf); len(chunk) > room {
			chunk = chunk[:room]
		}
		for i, c := range chunk {
			if !s.special[c] {
				st.fieldStart, st.afterClose, st.prevCR = false, false, false
				continue
			}
			if c != '\n' && c != '\r' {
				s.scanByte(c, &st, &rec)
				continue
			}
			if !st.inQuotes || blind {
				s.line++
				s.skipLF = c == '\r'
				s.buf = append(s.buf, chunk[:i]...)
				s.consume(i + 1)
				if len(s.buf) == 0 { // a blank line
					rec.line = s.line
					blind = len(s.pending) > 0
					continue chunks
				}
				rec.data = s.buf
				return rec, nil
			}
			s.lineInQuotes(c, len(s.buf)+i, &st)
		}
		s.buf = append(s.buf, chunk...)
		s.consume(len(chunk))
		if len(s.buf) > s.limit {
			return s.overflow(rec, st)
		}
	}
}

// scanByte follows a quote, delimiter or space outside a line break.
func (s *splitter) scanByte(c byte, st *scanState, rec *rawRecord) {
	st.prevCR = false
	switch {
	case c == '"':
		if st.inQuotes {
			st.inQuotes, st.afterClose = false, true
		} else {
			// At the start of a cell this opens a quoted value; right
			// after a closing quote it is the "" escape.
			st.inQuotes, st.afterClose = st.fieldStart || st.afterClose, false
		}
		st.fieldStart = false
	case st.inQuotes:
	case c == s.delim:
		rec.fields++
		st.fieldStart, st.afterClose = true, false
	case st.fieldStart && (c == ' ' || c == '\t'):
	default:
		st.fieldStart, st.afterClose = false, false
	}
}

// lineInQuotes counts a line break inside a quoted value, at offset pos of
// the record; CRLF counts once.
func (s *splitter) lineInQuotes(c byte, pos int, st *scanState) {
	if c == '\n' && st.prevCR {
		if st.second == pos {
			st.second++
		}
	} else {
		s.line++
		if st.first < 0 {
			st.first, st.second = pos, pos+1
		}
	}
	st.prevCR = c == '\r'
}
