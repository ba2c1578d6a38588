package campaigns

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"parley/app/campaigns/leadurl"
	"parley/app/model"
	"parley/storage"
)

// Service holds the lead operations.
type Service struct {
	store *storage.Store
	// evidence is the folder of the browser's screenshots and page copies
	// ("": none), which erasure clears of the person's pages; log says
	// when a file there could not be deleted.
	evidence string
	log      *slog.Logger
}

// New returns the service.
func New(store *storage.Store) *Service { return &Service{store: store} }

// WithEvidence names the folder where the LinkedIn driver keeps
// screenshots and page copies, so that erasing a person deletes those of
// their jobs; log reports a file that could not be deleted. It returns s.
func (s *Service) WithEvidence(dir string, log *slog.Logger) *Service {
	s.evidence, s.log = dir, log
	return s
}

// LeadInput is a lead as typed in a form or sent to the API.
type LeadInput struct {
	ProfileURL string            `json:"profile_url"`
	FirstName  string            `json:"first_name"`
	LastName   string            `json:"last_name"`
	FullName   string            `json:"full_name"`
	Company    string            `json:"company"`
	Title      string            `json:"title"`
	Email      string            `json:"email"`
	Location   string            `json:"location"`
	Tags       []string          `json:"tags"`
	Custom     map[string]string `json:"custom"`
	List       string            `json:"list"`
}

// maxField bounds every text field of a lead.
const maxField = 500

// CreateLead adds one lead by hand.
func (s *Service) CreateLead(in LeadInput, o model.Origin) (model.Lead, error) {
	p, err := leadurl.Parse(in.ProfileURL)
	if err != nil {
		return model.Lead{}, err
	}
	l := model.Lead{ProfileURL: p.URL, ProfileKind: string(p.Kind), ProfileKey: p.Key, State: model.LeadNew, Source: "manual"}
	if err := fill(&l, in); err != nil {
		return l, err
	}
	err = s.store.Update(func(tx *storage.Tx) error {
		if erased, err := tx.IsErased(p.Key); err != nil || erased {
			if err == nil {
				err = errErased
			}
			return err
		}
		if in.List != "" {
			list, err := ensureList(tx, in.List)
			if err != nil {
				return err
			}
			l.Lists = []uint64{list.ID}
		}
		l.CreatedAt, l.UpdatedAt, l.StateAt = tx.Now(), tx.Now(), tx.Now()
		if l, err = tx.CreateLead(l); err != nil {
			return err
		}
		_, err = tx.AppendLeadEvent(l.ID, leadEvent("lead.created", o, map[string]any{"source": "manual"}))
		return err
	})
	return l, err
}

var errErased = model.Errorf(model.CodeConflict, "this person asked to be erased, so Parley does not add them again; only a CSV import with the allow-erased override can")

// fill copies validated fields from in onto l (empty fields are left as
// they are, so the same function merges).
func fill(l *model.Lead, in LeadInput) error {
	for _, f := range []struct {
		name string
		val  string
		dst  *string
	}{
		{"first name", in.FirstName, &l.FirstName}, {"last name", in.LastName, &l.LastName},
		{"full name", in.FullName, &l.FullName}, {"company", in.Company, &l.Company},
		{"title", in.Title, &l.Title}, {"email", in.Email, &l.Email}, {"location", in.Location, &l.Location},
	} {
		v := strings.TrimSpace(f.val)
		if v == "" {
			continue
		}
		if utf8.RuneCountInString(v) > maxField {
			return model.Errorf(model.CodeInvalid, "%s is longer than %d characters", f.name, maxField)
		}
		if formulaLike(v) {
			return model.Errorf(model.CodeInvalid, "%s %q looks like a spreadsheet formula; remove the leading %q", f.name, trim(v, 40), v[:1])
		}
		*f.dst = v
	}
	if in.Email != "" && !strings.Contains(l.Email, "@") {
		return model.Errorf(model.CodeInvalid, "email %q is not an e-mail address", trim(in.Email, 60))
	}
	l.Tags = mergeTags(l.Tags, in.Tags)
	for k, v := range in.Custom {
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" || v == "" {
			continue
		}
		if len(k) > 64 || utf8.RuneCountInString(v) > maxField {
			return model.Errorf(model.CodeInvalid, "custom field %q is too long", trim(k, 64))
		}
		if formulaLike(v) {
			return model.Errorf(model.CodeInvalid, "custom field %s looks like a spreadsheet formula", k)
		}
		if l.Custom == nil {
			l.Custom = map[string]string{}
		}
		l.Custom[k] = v
	}
	if l.Name() == "" && l.ProfileKey != "" {
		// Nameless rows stay recognisable in lists.
		l.FullName = l.ProfileKey
	}
	return nil
}

// mergeTags adds tags (trimmed, case-insensitively unique, at most 50).
func mergeTags(have, add []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range append(append([]string{}, have...), add...) {
		t = strings.TrimSpace(t)
		if t == "" || len(t) > 64 || seen[strings.ToLower(t)] || len(out) == 50 {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func ensureList(tx *storage.Tx, name string) (model.List, error) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n < 1 || n > 80 {
		return model.List{}, model.Errorf(model.CodeInvalid, "a list name has 1 to 80 characters")
	}
	if l, ok, err := tx.ListByName(name); err != nil || ok {
		return l, err
	}
	return tx.CreateList(name)
}

func leadEvent(typ string, o model.Origin, data map[string]any) model.Event {
	if o.Actor != "" {
		data["actor"] = o.Actor
	}
	b, _ := json.Marshal(data)
	return model.Event{Type: typ, RequestID: o.RequestID, Data: b}
}

func trim(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Transition moves a lead to another state, writing its event; moves that
// change who gets contacted (do-not-contact, erasure, back to new) are
// audited too.
func (s *Service) Transition(id uint64, to model.LeadState, reason string, o model.Origin) (model.Lead, error) {
	var l model.Lead
	err := s.store.Update(func(tx *storage.Tx) error {
		var err error
		if l, err = tx.Lead(id); err != nil {
			return err
		}
		if to != model.LeadBlacklisted {
			l.BlockedBy = ""
		}
		if err := moveLead(tx, &l, to, reason, o, nil); err != nil {
			return err
		}
		if to == model.LeadBlacklisted || to == model.LeadSkipped || to == model.LeadErased {
			return exitEnrolments(tx, l.ID, "lead marked "+string(to)+" by "+actorOf(o), o)
		}
		return nil
	})
	return l, err
}

// moveLead checks and applies a state change to l, saves it and writes its
// event with data added (and, for blacklisting or un-blacklisting, an
// audit record).
func moveLead(tx *storage.Tx, l *model.Lead, to model.LeadState, reason string, o model.Origin, data map[string]any) error {
	from := l.State
	if err := model.CheckTransition(from, to); err != nil {
		return err
	}
	l.State, l.StateAt, l.UpdatedAt = to, tx.Now(), tx.Now()
	if to == model.LeadReplied {
		l.Replied = true
	}
	if err := tx.SaveLead(*l); err != nil {
		return err
	}
	if data == nil {
		data = map[string]any{}
	}
	data["from"] = from
	if reason != "" {
		data["reason"] = reason
	}
	if l.BlockedBy != "" && to == model.LeadBlacklisted {
		data["rule"] = l.BlockedBy
	}
	if _, err := tx.AppendLeadEvent(l.ID, leadEvent(to.EventType(), o, data)); err != nil {
		return err
	}
	if to == model.LeadBlacklisted || from == model.LeadBlacklisted {
		return audit(tx, o, "lead", "lead_"+string(to), fmt.Sprintf("lead:%d", l.ID), map[string]string{"from": string(from), "reason": reason})
	}
	return nil
}

// audit writes a successful audit record for a change that affects who
// gets contacted, in the transaction making the change.
func audit(tx *storage.Tx, o model.Origin, category, action, target string, details map[string]string) error {
	_, err := tx.AppendAudit(model.AuditRecord{
		Category: category, Action: action, Actor: actorOf(o), AuthMethod: o.AuthMethod, PeerIP: o.PeerIP,
		RequestID: o.RequestID, Target: target, Outcome: model.OutcomeSuccess, Details: details,
	})
	return err
}

func actorOf(o model.Origin) string {
	if o.Actor == "" {
		return "anonymous"
	}
	return o.Actor
}

// MarkRepliedTx records a reply from a lead whose sequence has already
// ended (the last message went out, then they answered): the lead moves to
// replied with its event. A lead already replied, or in a state that
// cannot move to replied (blacklisted, erased), is left as it is.
func MarkRepliedTx(tx *storage.Tx, leadID uint64, at time.Time, o model.Origin) error {
	l, err := tx.Lead(leadID)
	if err != nil {
		return err
	}
	if l.Replied || model.CheckTransition(l.State, model.LeadReplied) != nil {
		return nil
	}
	return moveLead(tx, &l, model.LeadReplied, "replied after the sequence ended", o, map[string]any{"at": at})
}
