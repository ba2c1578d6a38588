package pages

import "parley/app/model"

// DeadLettersView is the dead letters page: jobs that failed for good.
type DeadLettersView struct {
	Rows []DeadLetterRow
	// NextBefore is the cursor of the next (older) page, 0 on the last.
	NextBefore uint64
	Flash      *Flash
	Error      string
}

// DeadLetterRow is one dead letter with the names around it.
type DeadLetterRow struct {
	Job model.Job
	// What names the job for people ("send_invite for Jane Doe").
	What         string
	Account      AccountRef
	LeadName     string
	CampaignName string
}
