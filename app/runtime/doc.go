// Package runtime turns campaigns into actions on LinkedIn, safely.
//
// Jobs live in per-account queues in bbolt (storage's job buckets). The
// planner keeps one job per active enrolment (its next step) in step with
// the campaigns: storage calls it inside every transaction that changes an
// enrolment, an approval or a campaign's state, so a job is planned in the
// same transaction as the change that causes it. Account-wide jobs (inbox
// checks, the selector canary) are planned by the scheduler.
//
// The scheduler runs rounds. In each round every account that may act gets
// one turn, least recently served first, under a global concurrency limit;
// a turn runs at most MaxJobsPerRun jobs and ends at the first action on
// LinkedIn, after which the account waits a randomised pause. An account
// acts only when nothing stops it (see Block): a global, account or
// campaign pause, a quarantine, its working hours, and its daily, weekly,
// warm-up and campaign budgets. The same checks write the "why is it idle"
// line the dashboard shows, so the UI and the scheduler never disagree.
//
// A claim is a lease with an expiry, taken in the transaction that also
// reserves the action's budget; a failure gives the budget back. Sends are
// marked in flight in that committed transaction before the browser acts,
// and a send found in flight after a crash, or after an error that leaves
// its fate unknown, is reconciled through the Site (does the invite or the
// message exist?) before it is ever tried again.
package runtime
