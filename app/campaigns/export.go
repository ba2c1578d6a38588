package campaigns

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"parley/app/campaigns/csvin"
	"parley/app/model"
	"parley/storage"
)

// Export formats.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// exportPage leads are read per short transaction while exporting.
const exportPage = 500

// ExportLeads writes the leads matching q (in q's order) as CSV or as a
// JSON array, page by page so no long transaction blocks writers. Cells
// that a spreadsheet would run as formulas are neutralised. Audited: it
// takes personal data out of Parley.
func (s *Service) ExportLeads(w io.Writer, q Query, format, filter string, o model.Origin) (int, error) {
	if format != FormatCSV && format != FormatJSON {
		return 0, model.Errorf(model.CodeInvalid, "format must be csv or json")
	}
	var fields []string
	lists := map[uint64]string{}
	err := s.store.Update(func(tx *storage.Tx) error {
		fields = tx.LeadFields()
		sort.Strings(fields)
		all, err := tx.Lists()
		for _, l := range all {
			lists[l.ID] = l.Name
		}
		if err != nil {
			return err
		}
		return audit(tx, o, "lead", "leads_exported", "leads", map[string]string{"format": format, "filter": filter})
	})
	if err != nil {
		return 0, err
	}
	out := newLeadWriter(w, format, fields, lists)
	n := 0
	q.Limit = exportPage
	q.Cursor = ""
	for {
		page, err := s.Search(q)
		if err != nil {
			return n, err
		}
		var leads []model.Lead
		err = s.store.View(func(tx *storage.Tx) error {
			for _, r := range page.Rows {
				l, err := tx.Lead(r.ID)
				if err != nil {
					return err
				}
				leads = append(leads, l)
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		for _, l := range leads {
			if err := out.write(l); err != nil {
				return n, err
			}
			n++
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	return n, out.close()
}

// leadWriter writes leads in one export format.
type leadWriter struct {
	format string
	w      io.Writer
	csv    *csv.Writer
	fields []string
	lists  map[uint64]string
	n      int
}

var exportColumns = []string{"id", "profile_url", "first_name", "last_name", "full_name", "company", "title", "email", "location",
	"tags", "lists", "state", "state_at", "replied", "campaign_id", "account_id", "blocked_by", "source", "created_at", "updated_at"}

func newLeadWriter(w io.Writer, format string, fields []string, lists map[uint64]string) *leadWriter {
	lw := &leadWriter{format: format, w: w, fields: fields, lists: lists}
	if format == FormatCSV {
		lw.csv = csv.NewWriter(w)
	}
	return lw
}

func (lw *leadWriter) listNames(ids []uint64) []string {
	var out []string
	for _, id := range ids {
		if n, ok := lw.lists[id]; ok {
			out = append(out, n)
		}
	}
	return out
}

func (lw *leadWriter) write(l model.Lead) error {
	if lw.format == FormatJSON {
		sep := ",\n"
		if lw.n == 0 {
			sep = "[\n"
		}
		lw.n++
		b, err := json.Marshal(struct {
			model.Lead
			ListNames []string `json:"list_names,omitempty"`
		}{l, lw.listNames(l.Lists)})
		if err != nil {
			return err
		}
		_, err = io.WriteString(lw.w, sep+string(b))
		return err
	}
	if lw.n == 0 {
		if err := lw.head(); err != nil {
			return err
		}
	}
	lw.n++
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	id := func(v uint64) string {
		if v == 0 {
			return ""
		}
		return fmt.Sprint(v)
	}
	row := []string{fmt.Sprint(l.ID), l.ProfileURL, l.FirstName, l.LastName, l.FullName, l.Company, l.Title, l.Email, l.Location,
		strings.Join(l.Tags, ", "), strings.Join(lw.listNames(l.Lists), ", "), string(l.State), ts(l.StateAt), fmt.Sprint(l.Replied),
		id(l.CampaignID), id(l.AccountID), l.BlockedBy, l.Source, ts(l.CreatedAt), ts(l.UpdatedAt)}
	for _, f := range lw.fields {
		row = append(row, customValue(l, f))
	}
	for i := range row {
		row[i] = csvin.NeutraliseCell(row[i])
	}
	return lw.csv.Write(row)
}

func (lw *leadWriter) head() error {
	head := append([]string{}, exportColumns...)
	for _, f := range lw.fields {
		head = append(head, "custom:"+f)
	}
	return lw.csv.Write(head)
}

func customValue(l model.Lead, name string) string {
	for k, v := range l.Custom {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

func (lw *leadWriter) close() error {
	if lw.format == FormatJSON {
		end := "\n]\n"
		if lw.n == 0 {
			end = "[]\n"
		}
		_, err := io.WriteString(lw.w, end)
		return err
	}
	if lw.n == 0 {
		if err := lw.head(); err != nil {
			return err
		}
	}
	lw.csv.Flush()
	return lw.csv.Error()
}
