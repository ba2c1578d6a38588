package pages

import "time"

// DNCView is the do-not-contact page.
type DNCView struct {
	// Rules are the rules shown, newest first (at most Shown of Total when
	// the list is long or filtered).
	Rules []DNCRule
	Total int
	// Filter is the text typed in the filter box.
	Filter string
	// Limited is true when more rules match than the page shows.
	Limited bool
	Kinds   []DNCKind
	Form    DNCForm
	// FormError is about the add-rule form; ImportError about the upload.
	FormError   string
	ImportError string
	Import      *DNCImportResult
	// Confirm is the rule waiting for "yes, remove it".
	Confirm *DNCRule
	Flash   *Flash
}

// DNCRule is one line of the rules table.
type DNCRule struct {
	ID uint64
	// Kind is the kind in words ("E-mail domain"); Value what the rule
	// matches as stored; Describe the whole rule in words.
	Kind, Value, Describe string
	Note                  string
	CreatedBy             string
	CreatedAt             time.Time
}

// DNCKind is a kind of rule in the add form, with what it stops.
type DNCKind struct {
	Value, Label, Help, Example string
}

// DNCForm is the add-rule form as typed.
type DNCForm struct {
	Kind, Value, Note string
}

// DNCImportResult is what an uploaded rules file did.
type DNCImportResult struct {
	File        string
	Added       int
	Duplicates  int
	Blacklisted int
	Rejects     []DNCReject
	// MoreRejects counts rejected lines not listed.
	MoreRejects int
}

// DNCReject is a line of a rules file that gave no rule.
type DNCReject struct {
	Line   int
	Reason string
}
