// Package sequence decides, for one lead enrolled in a campaign, what the
// campaign does next, and records what happened. It is pure: no storage,
// no I/O, and no clock of its own — the caller passes the time in.
//
// A sequence is a short list of steps run in order:
//
//   - visit: look at the profile. Optional, and only as the first step.
//   - invite: a connection invite, with a note drawn from templates when
//     the step has variants, without a note when it has none. At most one.
//   - wait_accept: directly after the invite, wait up to WaitDays (1–90)
//     for the lead to accept. When time runs out the invite is either
//     withdrawn and the lead leaves (withdraw) or the lead just leaves and
//     the invite stays pending (exit). An invite followed by a message
//     needs this step.
//   - message: one first message, DelayDays (0–90) after acceptance, or
//     after the previous step (or enrolment) when the campaign sends no
//     invite.
//   - follow_up: up to five, each DelayDays (1–90) after the previous
//     message.
//
// A sequence has at most 10 steps. Text steps (message, follow_up) have
// 1–5 variants, an invite 0–5; every variant has a unique key of up to 8
// characters, a template and a weight of 1–100. Only steps that send a
// text may need approval.
//
// The rules while a lead runs through the steps:
//
//   - A reply always stops the sequence (status replied), wherever it is.
//   - A lead who is already a connection skips the visit, the invite and
//     the wait: the first message is due at once, without its delay,
//     because no acceptance just happened. With no message step the lead
//     is done. In a campaign without an invite, being connected is simply
//     required: a lead who is not connected leaves when a message is due.
//   - An acceptance moves the lead past the wait; the message is due
//     DelayDays after the acceptance time, even when the acceptance was
//     reported before the invite itself was recorded.
//   - After the last step the lead is done.
//
// Next reads an enrolment and what is known about the lead now (Facts)
// and returns one Action. Record applies an Outcome to an enrolment,
// refusing with a conflict any outcome that does not fit where the lead
// stands, so that a repeated or late report never advances a lead twice.
// Delays are whole days of 24 hours from the reference time; working
// hours are the runtime's business.
package sequence
