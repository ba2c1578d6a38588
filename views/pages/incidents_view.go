package pages

import "time"

// IncidentsView is the incidents page.
type IncidentsView struct {
	Now      time.Time
	Open     []IncidentRow
	Resolved []IncidentRow
}

// IncidentView is one incident's page.
type IncidentView struct {
	Incident IncidentRow
	// Note is the resolve note as typed (shown again after an error).
	Note  string
	Error string
	Flash *Flash
}
