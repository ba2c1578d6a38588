package pages

import "parley/app/model"

// DeadLettersView is the dead letters page: jobs that failed for good.
type DeadLettersView struct {
	Rows []JobRow
	// NextBefore is the cursor of the next (older) page, 0 on the last.
	NextBefore uint64
	Flash      *Flash
	Error      string
}

// JobRow is a job with the names around it.
type JobRow struct {
	Job model.Job
	// What names the job for people ("send_invite for Jane Doe").
	What         string
	Account      AccountRef
	LeadName     string
	CampaignName string
}

// JobsView is the jobs page: what each account did and will do, newest first.
type JobsView struct {
	Rows     []JobRow
	Accounts []AccountRef
	// Account and State are the filters (0 and "" for all).
	Account uint64
	State   string
	// NextBefore is the cursor of the next (older) page, 0 on the last.
	NextBefore uint64
}

// JobStates are the states the jobs page filters by.
var JobStates = []string{model.JobQueued, model.JobRunning, model.JobDone, model.JobDead, model.JobCancelled}

// JobView is one job's page: what it is, how it stands and the action log
// of its latest tries.
type JobView struct {
	Row         JobRow
	Description string
	// Gone names the evidence files retention has deleted since.
	Gone  map[string]bool
	Flash *Flash
	Error string
}

// JobTitle says what a job does, for people ("Send an invite to Jane Doe").
func JobTitle(r JobRow) string {
	lead := r.LeadName
	if lead == "" {
		lead = "the lead"
	}
	switch r.Job.Kind {
	case model.JobVisit:
		return "Visit the profile of " + lead
	case model.JobInvite:
		return "Send a connection invite to " + lead
	case model.JobCheckAccept:
		return "Check whether " + lead + " accepted the invite"
	case model.JobMessage:
		return "Send a message to " + lead
	case model.JobWithdraw:
		return "Withdraw the invite to " + lead
	case model.JobCheckInbox:
		return "Read the LinkedIn inbox for new replies"
	case model.JobCanary:
		return "Check the selector pack against LinkedIn's pages"
	case model.JobAdvance:
		return "Move " + lead + " to the next campaign step"
	}
	return r.What
}
