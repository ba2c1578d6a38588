package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"time"

	"parley/app/model"
)

// LeadRow is the compact form of a lead that list pages and searches read:
// everything a row of the leads table shows or filters on, and a
// lower-cased search text, in a small binary record that decodes without
// JSON. Full records are read only for the detail page.
type LeadRow struct {
	ID         uint64
	State      model.LeadState
	Replied    bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
	CampaignID uint64
	AccountID  uint64
	Lists      []uint64
	Name       string
	Company    string
	Title      string
	Tags       []string
	ProfileURL string
	// search is lower-cased name, company, title and tags.
	search []byte
}

// Matches reports whether the lower-cased query occurs in the row's name,
// company, title or tags.
func (r *LeadRow) Matches(lowerQuery string) bool {
	return lowerQuery == "" || bytes.Contains(r.search, []byte(lowerQuery))
}

const leadRowVersion = 1

func stateIndex(s model.LeadState) byte {
	for i, x := range model.LeadStates() {
		if x == s {
			return byte(i)
		}
	}
	return 0
}

func rowOf(l model.Lead) []byte {
	b := make([]byte, 0, 160)
	flags := byte(0)
	if l.Replied {
		flags |= 1
	}
	tags := strings.Join(l.Tags, "\x1f")
	search := strings.ToLower(l.Name() + "\x00" + l.Company + "\x00" + l.Title + "\x00" + tags)
	// The search text comes first so a scan can reject a row without
	// decoding the rest (peekRow).
	b = append(b, leadRowVersion, stateIndex(l.State), flags)
	b = binary.AppendUvarint(b, uint64(len(search)))
	b = append(b, search...)
	b = binary.AppendUvarint(b, l.ID)
	b = binary.AppendUvarint(b, uint64(l.CreatedAt.Unix()))
	b = binary.AppendUvarint(b, uint64(l.UpdatedAt.Unix()))
	b = binary.AppendUvarint(b, l.CampaignID)
	b = binary.AppendUvarint(b, l.AccountID)
	b = binary.AppendUvarint(b, uint64(len(l.Lists)))
	for _, id := range l.Lists {
		b = binary.AppendUvarint(b, id)
	}
	for _, s := range []string{l.Name(), l.Company, l.Title, tags, l.ProfileURL} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

var errBadRow = errors.New("storage: malformed lead row")

// peekRow reads the state, the replied flag and the search text (a slice
// of b, valid only inside the transaction) without decoding the row.
func peekRow(b []byte) (state model.LeadState, replied bool, search []byte, ok bool) {
	states := model.LeadStates()
	if len(b) < 4 || b[0] != leadRowVersion || int(b[1]) >= len(states) {
		return "", false, nil, false
	}
	l, n := binary.Uvarint(b[3:])
	if n <= 0 || uint64(len(b)-3-n) < l {
		return "", false, nil, false
	}
	return states[b[1]], b[2]&1 != 0, b[3+n : 3+n+int(l)], true
}

// decodeRow fills r from b. Strings are copied: b belongs to bbolt.
func decodeRow(b []byte, r *LeadRow) error {
	state, replied, search, ok := peekRow(b)
	if !ok {
		return errBadRow
	}
	r.State, r.Replied = state, replied
	r.search = append(r.search[:0], search...)
	p := b[3:]
	if _, n := binary.Uvarint(p); n > 0 {
		p = p[n+len(search):]
	}
	next := func() uint64 {
		v, n := binary.Uvarint(p)
		if n <= 0 {
			p = nil
			return 0
		}
		p = p[n:]
		return v
	}
	r.ID = next()
	r.CreatedAt = time.Unix(int64(next()), 0).UTC()
	r.UpdatedAt = time.Unix(int64(next()), 0).UTC()
	r.CampaignID, r.AccountID = next(), next()
	n := next()
	if n > 10000 {
		return errBadRow
	}
	r.Lists = r.Lists[:0]
	for range n {
		r.Lists = append(r.Lists, next())
	}
	str := func() []byte {
		l := next()
		if uint64(len(p)) < l {
			p = nil
			return nil
		}
		s := p[:l]
		p = p[l:]
		return s
	}
	r.Name, r.Company, r.Title = string(str()), string(str()), string(str())
	tags := str()
	r.Tags = r.Tags[:0]
	if len(tags) > 0 {
		r.Tags = strings.Split(string(tags), "\x1f")
	}
	r.ProfileURL = string(str())
	if p == nil {
		return errBadRow
	}
	return nil
}
