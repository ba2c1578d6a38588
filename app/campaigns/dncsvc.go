package campaigns

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/idna"

	"parley/app/campaigns/dnc"
	"parley/app/model"
	"parley/storage"
)

// DNCResult says what adding do-not-contact rules did.
type DNCResult struct {
	Added       int          `json:"added"`
	Duplicates  int          `json:"duplicates"`
	Blacklisted int          `json:"blacklisted"`
	Rejects     []dnc.Reject `json:"rejects,omitempty"`
}

// AddDNC adds one do-not-contact rule and blacklists every lead it
// matches, showing the rule on each. Audited.
func (s *Service) AddDNC(kind, value, note string, o model.Origin) (model.DNCEntry, DNCResult, error) {
	norm, err := dnc.Normalize(kind, value)
	if err != nil {
		return model.DNCEntry{}, DNCResult{}, err
	}
	var e model.DNCEntry
	var res DNCResult
	err = s.store.Update(func(tx *storage.Tx) error {
		var err error
		e, err = tx.CreateDNC(model.DNCEntry{Kind: kind, Value: norm, Note: trim(strings.TrimSpace(note), 200), CreatedBy: actorOf(o), CreatedAt: tx.Now()})
		if err != nil {
			return err
		}
		if res.Blacklisted, err = applyDNC(tx, []model.DNCEntry{e}, o); err != nil {
			return err
		}
		res.Added = 1
		return dncAudit(tx, o, "dnc_added", []model.DNCEntry{e}, res.Blacklisted)
	})
	return e, res, err
}

// ImportDNC adds the rules of a CSV file (kind,value,note — or one column
// of profile URLs, e-mail addresses or domains). Rules already on the list
// are counted, not repeated; bad rows are reported with their line.
func (s *Service) ImportDNC(r io.Reader, o model.Origin) (DNCResult, error) {
	rows, rejects, err := dnc.ReadCSV(r)
	if err != nil {
		return DNCResult{}, err
	}
	res := DNCResult{Rejects: rejects}
	err = s.store.Update(func(tx *storage.Tx) error {
		var added []model.DNCEntry
		for _, row := range rows {
			if _, dup, err := tx.DNCByValue(row.Kind, row.Value); err != nil {
				return err
			} else if dup {
				res.Duplicates++
				continue
			}
			e, err := tx.CreateDNC(model.DNCEntry{Kind: row.Kind, Value: row.Value, Note: trim(row.Note, 200), CreatedBy: actorOf(o), CreatedAt: tx.Now()})
			if err != nil {
				return fmt.Errorf("line %d: %w", row.Line, err)
			}
			added = append(added, e)
		}
		res.Added = len(added)
		if len(added) == 0 {
			return nil
		}
		var err error
		if res.Blacklisted, err = applyDNC(tx, added, o); err != nil {
			return err
		}
		return dncAudit(tx, o, "dnc_imported", added, res.Blacklisted)
	})
	return res, err
}

func dncAudit(tx *storage.Tx, o model.Origin, action string, added []model.DNCEntry, blacklisted int) error {
	var rules []string
	for i, e := range added {
		if i == 10 {
			rules = append(rules, fmt.Sprintf("and %d more", len(added)-10))
			break
		}
		rules = append(rules, auditRule(e))
	}
	if _, err := tx.AppendEvent(leadEvent("dnc.added", o, map[string]any{"count": len(added), "blacklisted": blacklisted})); err != nil {
		return err
	}
	return audit(tx, o, "dnc", action, "dnc", map[string]string{"rules": strings.Join(rules, "; "), "count": fmt.Sprint(len(added)), "blacklisted": fmt.Sprint(blacklisted)})
}

// applyDNC blacklists the leads the new rules match. Rows are screened
// cheaply first (profile lookups, company and title from the compact
// rows, a byte search for e-mail domains) and only candidates are decoded.
func applyDNC(tx *storage.Tx, rules []model.DNCEntry, o model.Origin) (int, error) {
	m := dnc.NewMatcher(rules)
	candidates := map[uint64]bool{}
	var domains [][]byte
	rowScan := false
	for _, r := range rules {
		switch r.Kind {
		case model.DNCProfile:
			kind, key, _ := strings.Cut(r.Value, ":")
			if l, ok, err := tx.LeadByProfile(kind, key); err != nil {
				return 0, err
			} else if ok {
				candidates[l.ID] = true
			}
		case model.DNCDomain:
			// E-mail addresses may hold an international domain in either
			// form; screen for both (Match decides).
			domains = append(domains, []byte(r.Value))
			if ascii, err := idna.ToASCII(r.Value); err == nil && ascii != r.Value {
				domains = append(domains, []byte(ascii))
			}
		default:
			rowScan = true
		}
	}
	if rowScan {
		var row storage.LeadRow
		tx.ScanLeadRows(storage.OrderOldest, nil, func(_, raw []byte) bool {
			if storage.LeadRowOf(raw, &row) == nil {
				if _, hit := m.Match(model.Lead{Company: row.Company, Title: row.Title}); hit {
					candidates[row.ID] = true
				}
			}
			return true
		})
	}
	if len(domains) > 0 {
		tx.EachLeadRaw(func(id uint64, raw []byte) bool {
			low := bytes.ToLower(raw)
			for _, d := range domains {
				if bytes.Contains(low, d) {
					candidates[id] = true
					break
				}
			}
			return true
		})
	}
	n := 0
	for id := range candidates {
		l, err := tx.Lead(id)
		if err != nil {
			return n, err
		}
		rule, hit := m.Match(l)
		if !hit || l.State == model.LeadBlacklisted || l.State == model.LeadErased {
			continue
		}
		l.BlockedBy = dnc.Describe(rule)
		reason := dncReason(rule)
		if err := moveLead(tx, &l, model.LeadBlacklisted, reason, o, nil); err != nil {
			return n, err
		}
		if err := exitEnrolments(tx, l.ID, reason, o); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// RemoveDNC deletes a rule. Leads it blacklisted stay blacklisted until
// someone moves them back to new. Audited.
func (s *Service) RemoveDNC(id uint64, o model.Origin) error {
	return s.store.Update(func(tx *storage.Tx) error {
		e, err := tx.DNC(id)
		if err != nil {
			return err
		}
		if err := tx.DeleteDNC(id); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(leadEvent("dnc.removed", o, map[string]any{"rule": id})); err != nil {
			return err
		}
		return audit(tx, o, "dnc", "dnc_removed", fmt.Sprintf("dnc:%d", id), map[string]string{"rule": auditRule(e)})
	})
}

// DNCEntries returns the do-not-contact list in the order it was built.
func (s *Service) DNCEntries() ([]model.DNCEntry, error) {
	var out []model.DNCEntry
	err := s.store.View(func(tx *storage.Tx) (err error) {
		out, err = tx.DNCEntries()
		return err
	})
	return out, err
}

// ExportDNC writes the list as CSV (it reads back with ImportDNC).
func (s *Service) ExportDNC(w io.Writer) error {
	entries, err := s.DNCEntries()
	if err != nil {
		return err
	}
	return dnc.WriteCSV(w, entries)
}

// auditRule names a rule for the audit trail: a profile rule identifies a
// person, so only its number is recorded.
func auditRule(e model.DNCEntry) string {
	if e.Kind == model.DNCProfile {
		return fmt.Sprintf("profile rule %d", e.ID)
	}
	return dnc.Describe(e)
}

// dncReason is the reason written with a blacklisting (in the lead's
// timeline and the audit trail), without personal data.
func dncReason(rule model.DNCEntry) string {
	return "on the do-not-contact list (" + auditRule(rule) + ")"
}
