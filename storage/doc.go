// Package storage keeps all of Parley's state in one bbolt file (parley.db).
//
// Bucket tree (schema version 8; the version that added each is in
// brackets):
//
//	meta                    schema_version -> uint64 BE                          [1]
//	                        created_at     -> RFC 3339 UTC
//	                        audit_head     -> {"seq","hash"} of the newest audit record
//	events                  seq (uint64 BE) -> {"v":1, Event}           append-only [1]
//	security_audit_events   seq (uint64 BE) -> {"v":1,"hash","rec":{}}  append-only, hash-chained [1]
//	settings                name            -> {"v":1,"value":...}              [1]
//	backup_runs             id  (uint64 BE) -> {"v":1, BackupRun}                [1]
//	users                   lower-case name -> {"v":1, User}                     [2]
//	sessions                sha256(token) hex -> {"v":1, Session}                [2]
//	sessions_by_user        lower-case name 0x00 session id -> nil (index)       [2]
//	api_keys                id  (uint64 BE) -> {"v":1, APIKey}                   [2]
//	api_keys_by_hash        sha256(key) hex -> id (index)                        [2]
//	lockouts                "user:NAME" | "ip:ADDR" -> {"v":1, Lockout}          [2]
//	setup_tokens            sha256(token) hex -> {"v":1, SetupToken}             [2]
//	accounts                id  (uint64 BE) -> {"v":1, Account}                  [3]
//	leads                   id  (uint64 BE) -> {"v":1, Lead}                     [4]
//	leads_by_key            "KIND:KEY" (normalised profile) -> id (unique)       [4]
//	lead_rows               id -> compact row (LeadRow, binary)                  [4]
//	lead_rows_by_name       lower(name)[:48] 0x00 id -> compact row              [4]
//	lead_rows_by_updated    updated (unix ns, BE) id -> compact row              [4]
//	lists                   id -> {List}; lists_by_name lower(name) -> id        [4]
//	list_members            list id, lead id -> nil                              [4]
//	lead_notes              lead id, seq -> {LeadNote}                           [4]
//	lead_timeline           lead id, event seq -> nil (index into events)        [4]
//	lead_counts             state -> uint64                                      [4]
//	lead_tombstones         salted hash of an erased profile -> {...}            [4]
//	imports                 id -> {"v":1, ImportRun}                             [5]
//	import_rejects          import id, line (uint32 BE) -> {ImportReject}        [5]
//	list_counts             list id -> member count (uint64 BE)                  [5]
//	templates               id -> {"v":1, Template}; templates_by_name lower(name) -> id  [6]
//	campaigns               id -> {"v":1, Campaign}; campaigns_by_name lower(name) -> id  [6]
//	enrolments              campaign id, lead id -> {"v":1, Enrolment}           [6]
//	enrolments_by_lead      lead id, campaign id -> nil (index)                  [6]
//	campaign_counts         campaign id, "status:S" | "step:N" | "outcome:O" -> uint64  [6]
//	approvals               id -> {"v":1, Approval}                              [6]
//	approvals_pending       id -> nil (the approvals queue)                      [6]
//	approvals_by_step       campaign id, lead id, step (uint32 BE) -> id         [6]
//	dnc                     id -> {"v":1, DNCEntry}                              [6]
//	dnc_by_value            "KIND:VALUE" (normalised) -> id (unique)             [6]
//	lead_fields             lower(custom field name) -> nil                      [6]
//	account_usage           account id, counter ("notes:2026-12") -> uint64      [7]
//	jobs                    id -> {"v":1, Job}                                   [8]
//	job_queue               account id, due (unix ns BE), job id -> nil (queued jobs, per account in due order)  [8]
//	job_leases              lease expiry (unix ns BE), job id -> nil (running jobs)  [8]
//	job_finished            finished (unix ns BE), job id -> nil (for the janitor)  [8]
//	job_dead                job id -> nil (dead letters)                         [8]
//	job_keys                "e:CAMPAIGN:LEAD" | "a:KIND:ACCOUNT" -> job id (one planned job each)  [8]
//	job_counts              account id (0 = all), state -> uint64                [8]
//	controls                "pause:global" | "pause:SCOPE:ID" -> {Pause}; "quarantine:ID" -> {Quarantine};
//	                        "pace:ID" -> next action time; "mark:NAME:ID" -> time; "note:NAME:ID" -> text  [8]
//	incidents               id -> {"v":1, Incident}                              [8]
//	incidents_open          id -> nil (not yet resolved)                         [8]
//	health                  account id, period ("hour"|"day") 0x00, start (unix ns BE) -> {"v":1, HealthSnapshot}  [8]
//
// The three lead_rows buckets hold the same compact row under different
// keys, so every order of the leads list is one sequential cursor scan
// (no JSON decoding, no random reads); SaveLead keeps them in step.
//
// account_usage also holds the runtime's budget counters ("invites:d:DATE",
// "invites:w:YYYY-Www", "cCAMPAIGN:invites:d:DATE") and its statistics
// ("stat:HOUR:KIND:ok|fail", "statd:DATE:out:OUTCOME").
//
// Later features add their buckets through new migrations; the tree above
// is updated with each one.
//
// Conventions: ids come from NextSequence and are stored as 8-byte big-endian
// keys so cursors iterate in order; values are JSON prefixed with a schema
// version ({"v":N,...}); bytes are copied out before a transaction ends; no
// network or browser I/O happens inside a transaction; sequence numbers and
// hash chains are computed inside the transaction that writes them.
//
// Every state change writes its event (and, where security-relevant, its
// audit record) in the same transaction, through Tx.
package storage
