// Package campaigns is the domain a salesperson works in every day: leads
// and lists, their state machine, notes and tags, import from CSV, and
// (as they arrive) templates, campaigns and sequences, approvals, the
// do-not-contact list, forecasts, export and GDPR. Every change writes its
// event in the same transaction; changes to who gets contacted are also
// audited.
package campaigns
