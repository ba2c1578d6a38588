// Package storage keeps all of Parley's state in one bbolt file (parley.db).
//
// Bucket tree (schema version 1):
//
//	meta                    schema_version -> uint64 BE
//	                        created_at     -> RFC 3339 UTC
//	                        audit_head     -> {"seq","hash"} of the newest audit record
//	events                  seq (uint64 BE) -> {"v":1, Event}           append-only
//	security_audit_events   seq (uint64 BE) -> {"v":1,"hash","rec":{}}  append-only, hash-chained
//	settings                name            -> {"v":1,"value":...}
//	backup_runs             id  (uint64 BE) -> {"v":1, BackupRun}
//
// Later features add their buckets (accounts, leads, campaigns, per-account
// job queues and their indexes) through new migrations; the tree above is
// updated with each one.
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
