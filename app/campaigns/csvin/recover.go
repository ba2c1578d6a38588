package csvin

import "io"

// atEnd finishes the record at the end of the input (or a read error).
func (s *splitter) atEnd(rec rawRecord, err error, unclosed bool, st scanState) (rawRecord, error) {
	switch {
	case err != io.EOF:
		return rec, err
	case len(s.buf) == 0:
		return rec, io.EOF
	case unclosed && st.first >= 0:
		return s.giveBack(rec, st, problemUnclosed), nil
	case unclosed:
		rec.problem = problemUnclosed
	}
	rec.data, rec.atEOF = s.buf, true
	return rec, nil
}

// overflow rejects a record that grew past the limit.
func (s *splitter) overflow(rec rawRecord, st scanState) (rawRecord, error) {
	if st.first >= 0 {
		p := problemTooLong
		if st.inQuotes {
			p = problemUnclosed // a huge value and a missing quote look alike
		}
		return s.giveBack(rec, st, p), nil
	}
	// A single physical line is too long: drop the rest of it. Its quotes
	// are ignored so that a runaway quote cannot swallow the file.
	rec.problem = problemTooLong
	for {
		chunk, err := s.chunk()
		if err == io.EOF {
			return rec, nil
		}
		if err != nil {
			return rec, err
		}
		for i, c := range chunk {
			if c == '\n' || c == '\r' {
				s.consume(i + 1)
				s.line++
				s.skipLF = c == '\r'
				return rec, nil
			}
		}
		s.consume(len(chunk))
	}
}

// giveBack rejects the first physical line of a record that spans lines but
// could not be completed, and queues the lines after it to be read again,
// each on its own. The given-back bytes are fewer than limit and are read
// again only once, so recovery costs linear time however quotes are placed.
func (s *splitter) giveBack(rec rawRecord, st scanState, p problem) rawRecord {
	s.spare = append(s.spare[:0], s.buf[st.second:]...)
	s.pending = s.spare
	s.line = rec.line + 1
	// When the first line ended in a CR that was the last byte read, an LF
	// may still follow in the input and belongs to that line break.
	s.skipLF = st.second == len(s.buf) && s.buf[st.first] == '\r'
	rec.data, rec.problem = s.buf[:st.first], p
	return rec
}
