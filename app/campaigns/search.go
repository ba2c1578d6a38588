package campaigns

import (
	"bytes"
	"encoding/base64"
	"strings"
	"time"

	"parley/app/model"
	"parley/storage"
)

// Query selects and orders leads for the list and the API.
type Query struct {
	Text        string
	State       model.LeadState
	ListID      uint64
	CampaignID  uint64
	AccountID   uint64
	Tag         string
	Replied     *bool
	CreatedFrom time.Time
	CreatedTo   time.Time
	UpdatedFrom time.Time
	UpdatedTo   time.Time
	Order       storage.LeadOrder
	// Cursor continues a previous page (opaque).
	Cursor string
	Limit  int
}

// Page is one page of leads.
type Page struct {
	Rows []storage.LeadRow
	// Next is the cursor of the following page ("" at the end).
	Next string
}

// Search returns a page of leads matching q. It walks one ordered index
// of compact rows, rejecting rows on their state and search text before
// decoding them, so it stays fast on large lists.
func (s *Service) Search(q Query) (Page, error) {
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	var after []byte
	if q.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		if err != nil {
			return Page{}, model.Errorf(model.CodeInvalid, "the page cursor is not valid; start from the first page")
		}
		after = b
	}
	text := []byte(lowerTrim(q.Text))
	tag := lowerTrim(q.Tag)
	var page Page
	var lastKey []byte
	err := s.store.View(func(tx *storage.Tx) error {
		var row storage.LeadRow
		tx.ScanLeadRows(q.Order, after, func(key, raw []byte) bool {
			state, replied, search, ok := storage.PeekLeadRow(raw)
			if !ok || (q.State != "" && state != q.State) || (q.Replied != nil && replied != *q.Replied) {
				return true
			}
			if len(text) > 0 && !bytes.Contains(search, text) {
				return true
			}
			if storage.LeadRowOf(raw, &row) != nil || !q.matches(&row, tag) {
				return true
			}
			if len(page.Rows) == limit {
				page.Next = base64.RawURLEncoding.EncodeToString(lastKey)
				return false
			}
			r := row
			r.Lists = append([]uint64(nil), row.Lists...)
			r.Tags = append([]string(nil), row.Tags...)
			page.Rows = append(page.Rows, r)
			lastKey = append(lastKey[:0], key...)
			return true
		})
		return nil
	})
	return page, err
}

func (q Query) matches(r *storage.LeadRow, tag string) bool {
	switch {
	case q.CampaignID != 0 && r.CampaignID != q.CampaignID,
		q.AccountID != 0 && r.AccountID != q.AccountID,
		!q.CreatedFrom.IsZero() && r.CreatedAt.Before(q.CreatedFrom),
		!q.CreatedTo.IsZero() && !r.CreatedAt.Before(q.CreatedTo),
		!q.UpdatedFrom.IsZero() && r.UpdatedAt.Before(q.UpdatedFrom),
		!q.UpdatedTo.IsZero() && !r.UpdatedAt.Before(q.UpdatedTo):
		return false
	}
	if q.ListID != 0 && !contains(r.Lists, q.ListID) {
		return false
	}
	if tag != "" {
		for _, t := range r.Tags {
			if strings.ToLower(t) == tag {
				return true
			}
		}
		return false
	}
	return true
}

func contains(ids []uint64, id uint64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func lowerTrim(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
