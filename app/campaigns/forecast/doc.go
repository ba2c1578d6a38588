// Package forecast estimates when each step of a campaign completes and
// when the whole campaign finishes, from the campaign's steps, its sender
// accounts and their limits. It is pure computation: no storage, no clock
// (the caller passes Now), and it runs live on every campaign page.
//
// # The model, in plain words
//
// Days. The forecast walks forward one day at a time, up to Horizon days
// (365 unless set). Each sender account counts days in its own time zone,
// from its own today; accounts in different zones are lined up by that
// count (day 1 is each account's own tomorrow). A day counts only if it is
// one of the account's working days. Today counts only while the account's
// local time is still before the end of its working hours, and then only
// for what is left of today's budget (the limit minus what was used today,
// when known).
//
// Budgets. On each counted day an account may do, for this campaign, the
// smallest of the campaign's daily share, the account's own daily limit and,
// for invites and messages, the warm-up limit of that date. Visits have no
// warm-up. Invites also stop for the rest of the week (Monday to Sunday, in
// the account's zone) once the account's weekly invite limit is reached; a
// weekly limit of 0 means no weekly limit. Only this campaign's invites (and
// those reported as used today) are counted against the weekly limit — other
// campaigns of the same account are not seen, so with several campaigns the
// forecast is optimistic. An account limit of 0 turns the action off.
//
// Leads. All leads form one pool that every account serves, so accounts add
// up their budgets. New leads and enrolled leads waiting for a step are all
// treated as ready now (a lead still waiting on its delay is counted as ready:
// this errs towards earlier dates). Leads are counted as expected fractions,
// not one by one, so the forecast is as fast for 100,000 leads as for 10.
//
// The steps:
//   - visit and invite use that day's visit and invite budgets; a lead moves
//     on the same day.
//   - After an invite, a share of leads accept (AcceptRate, 30% unless the
//     caller measured better) AcceptAfterDays after the invite (3 days unless
//     measured). With a wait_accept step the rest leave when its WaitDays run
//     out (a WaitDays of 0 ends the wait when acceptances are in; WaitDays
//     shorter than AcceptAfterDays means nobody accepts in time). Withdrawing
//     an invite is not counted against any budget. Without a wait_accept step
//     between an invite and a message the same share accepts and the rest are
//     simply not messaged.
//   - A message waits DelayDays after acceptance, a follow-up DelayDays after
//     the previous message; both use the message budget. A share of leads
//     (ReplyRate, 10% unless measured) reply to each message before the next
//     follow-up and stop there.
//   - When two steps share a budget (a message and its follow-ups), the step
//     earlier in the sequence is served first.
//   - A step is done on the first day its last lead is processed: the day its
//     processed count reaches the expected number minus half a lead (minus
//     half the expected number, when fewer than one lead is expected).
//
// The campaign finishes when its last step is done, waits included: the
// last leads who never accept leave when their wait runs out.
//
// Dates. Done dates are the end of working hours of that day in the time zone
// of the first active sender account. The summary shows a date as "14 Feb",
// adding the year only when it is not the current year.
package forecast
