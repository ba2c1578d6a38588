package pages

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"parley/app/model"
)

// TemplatesView is the templates list.
type TemplatesView struct {
	Templates []TemplateRow
	// Archived shows archived templates too.
	Archived bool
	Flash    *Flash
}

// TemplateRow is one line of the templates table.
type TemplateRow struct {
	ID        uint64
	Name      string
	Kind      string
	Body      string
	Chars     int
	Limit     int
	UpdatedAt time.Time
	Archived  bool
}

// TemplateFormView is the new/edit template form, with the preview when
// one was asked for.
type TemplateFormView struct {
	// ID is 0 for a new template.
	ID       uint64
	Archived bool
	Name     string
	Kind     string
	Body     string
	// LeadIDs is the "preview for lead ids" field as typed.
	LeadIDs string
	Error   string
	Flash   *Flash
	// Vars are the standard variable names; CustomVars the custom fields
	// leads have (empty when not known).
	Vars       []string
	CustomVars []string
	MessageMax int
	// Previewed is set after the Preview button, even when no lead could
	// be shown.
	Previewed bool
	Previews  []TemplatePreview
}

// TemplatePreview is the text rendered for one lead.
type TemplatePreview struct {
	LeadID  uint64
	Lead    string
	Text    string
	Chars   int
	Limit   int
	Problem string
}

// tplKindLabel names a text kind for people.
func tplKindLabel(kind string) string {
	if kind == model.TextNote {
		return "Connection note"
	}
	return "Message"
}

// tplExcerpt is the first line of a body, cut to about a table cell.
func tplExcerpt(body string) string {
	const max = 80
	line, _, more := strings.Cut(strings.TrimSpace(body), "\n")
	line = strings.TrimSpace(line)
	if utf8.RuneCountInString(line) > max {
		return string([]rune(line)[:max-1]) + "…"
	}
	if more {
		return line + " …"
	}
	return line
}

// tplAction is where the template form posts.
func tplAction(id uint64) string {
	if id == 0 {
		return "/templates"
	}
	return fmt.Sprintf("/templates/%d", id)
}
