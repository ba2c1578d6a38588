package dnc

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"parley/app/campaigns/csvin"
	"parley/app/model"
)

// csvHeader is the header row WriteCSV writes; ReadCSV uses the first
// three columns and ignores the others.
var csvHeader = []string{"kind", "value", "note", "created_by", "created_at"}

// WriteCSV writes entries, in the order given, as a UTF-8 CSV file with
// the columns kind, value, note, created_by and created_at (RFC 3339, UTC;
// empty when unknown). Lines end in CRLF and values are quoted as RFC 4180
// says. A cell a spreadsheet could run as a formula is written with a ' in
// front, which spreadsheets hide and ReadCSV removes.
func WriteCSV(w io.Writer, entries []model.DNCEntry) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("dnc: write csv header: %w", err)
	}
	for _, e := range entries {
		created := ""
		if !e.CreatedAt.IsZero() {
			created = e.CreatedAt.UTC().Format(time.RFC3339)
		}
		record := []string{e.Kind, e.Value, e.Note, e.CreatedBy, created}
		for i, v := range record {
			record[i] = csvin.NeutraliseCell(v)
		}
		if err := cw.Write(record); err != nil {
			return fmt.Errorf("dnc: write csv rule %d: %w", e.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("dnc: write csv: %w", err)
	}
	return nil
}
