package dnc

import (
	"slices"
	"strings"
	"unicode/utf8"

	"parley/app/model"
)

// Matcher finds the do-not-contact rule, if any, that stops a lead. It is
// built once from every rule and is then safe for concurrent use.
type Matcher struct {
	entries   []model.DNCEntry
	profiles  map[string]int // value → index in entries of the lowest id
	companies map[string]int
	domains   map[string]int
	// titles holds the title keywords by their first word, so that a title
	// is checked only against keywords that start with one of its words.
	titles map[string][]keyword
}

// keyword is a title rule in the word index.
type keyword struct {
	text   string // as normalised
	offset int    // bytes of text before its first word
	entry  int    // index in Matcher.entries
}

// NewMatcher indexes entries. Their values are normalised again, so a rule
// stored before a change to the normalisation still matches; a rule whose
// value no longer normalises, or of an unknown kind, is ignored.
func NewMatcher(entries []model.DNCEntry) *Matcher {
	m := &Matcher{
		entries:   slices.Clone(entries),
		profiles:  make(map[string]int),
		companies: make(map[string]int),
		domains:   make(map[string]int),
		titles:    make(map[string][]keyword),
	}
	for i, e := range m.entries {
		v, err := Normalize(e.Kind, e.Value)
		if err != nil {
			continue
		}
		switch e.Kind {
		case model.DNCProfile:
			m.index(m.profiles, v, i)
		case model.DNCCompany:
			m.index(m.companies, v, i)
		case model.DNCDomain:
			m.index(m.domains, v, i)
		case model.DNCTitle:
			start, end := nextWord(v, 0)
			m.titles[v[start:end]] = append(m.titles[v[start:end]], keyword{text: v, offset: start, entry: i})
		}
	}
	return m
}

// index keeps, for each value, the rule with the lowest id.
func (m *Matcher) index(byValue map[string]int, v string, i int) {
	if j, ok := byValue[v]; !ok || m.entries[i].ID < m.entries[j].ID {
		byValue[v] = i
	}
}

// Match returns the rule that stops l. When several rules do, it returns
// the one with the lowest id, so that the answer never depends on the
// order the rules were loaded in.
func (m *Matcher) Match(l model.Lead) (model.DNCEntry, bool) {
	best := -1
	pick := func(i int) {
		if best < 0 || m.entries[i].ID < m.entries[best].ID {
			best = i
		}
	}
	lookup := func(byValue map[string]int, v string) {
		if i, ok := byValue[v]; ok {
			pick(i)
		}
	}
	if l.ProfileKey != "" && len(m.profiles) > 0 {
		lookup(m.profiles, profileValue(l.ProfileKind, l.ProfileKey))
	}
	if l.Company != "" && len(m.companies) > 0 {
		lookup(m.companies, companyKey(l.Company))
	}
	if l.Email != "" && len(m.domains) > 0 {
		// The domain itself, then each parent: eu.acme.com, acme.com, com.
		for d := emailDomain(l.Email); d != ""; {
			lookup(m.domains, d)
			_, d, _ = strings.Cut(d, ".")
		}
	}
	if l.Title != "" && len(m.titles) > 0 {
		m.matchTitle(titleKey(l.Title), pick)
	}
	if best < 0 {
		return model.DNCEntry{}, false
	}
	return m.entries[best], true
}

// matchTitle calls pick for every keyword found in title as whole words.
// A keyword found in a title starts its first word where a word of the
// title starts (a word can neither begin in the middle of the keyword's
// first word nor run on before it), so only keywords indexed under one of
// the title's words need checking.
func (m *Matcher) matchTitle(title string, pick func(int)) {
	for start, end := nextWord(title, 0); start < end; start, end = nextWord(title, end) {
		for _, k := range m.titles[title[start:end]] {
			at := start - k.offset
			if at < 0 || !strings.HasPrefix(title[at:], k.text) {
				continue
			}
			// The keyword must not run on into a longer word ("intern" in
			// "interns"). Before it, the index already ensures that.
			after := at + len(k.text)
			if after < len(title) && endsInWord(k.text) && startsWithWord(title[after:]) {
				continue
			}
			pick(k.entry)
		}
	}
}

// nextWord returns the bounds of the first word of s at or after from;
// start == end when there is none.
func nextWord(s string, from int) (start, end int) {
	start = from
	for start < len(s) {
		r, n := utf8.DecodeRuneInString(s[start:])
		if isWordRune(r) {
			break
		}
		start += n
	}
	end = start
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if !isWordRune(r) {
			break
		}
		end += n
	}
	return start, end
}

func startsWithWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

func endsInWord(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isWordRune(r)
}
