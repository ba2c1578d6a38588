package model

import "time"

// Audit outcomes.
const (
	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
)

// Actors that are not people.
const (
	ActorCLI       = "cli"
	ActorScheduler = "scheduler"
	ActorSystem    = "system"
	ActorDashboard = "dashboard"
)

// AuditRecord is one entry of the hash-chained security audit trail
// (security_audit_events). PrevHash is the Hash of the record before it;
// Hash covers every other field, so editing, inserting or deleting a record
// breaks the chain from that point on.
type AuditRecord struct {
	Seq        uint64            `json:"seq"`
	At         time.Time         `json:"at"`
	Category   string            `json:"category"`
	Action     string            `json:"action"`
	Actor      string            `json:"actor"`
	AuthMethod string            `json:"auth_method,omitempty"`
	PeerIP     string            `json:"peer_ip,omitempty"`
	RequestID  string            `json:"request_id,omitempty"`
	Target     string            `json:"target,omitempty"`
	Outcome    string            `json:"outcome"`
	Details    map[string]string `json:"details,omitempty"`
	PrevHash   string            `json:"prev_hash"`
	Hash       string            `json:"hash"`
}

// AuditHead identifies the newest record of the audit chain.
type AuditHead struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// Origin says who asked for a change and from where, for events and the
// audit trail.
type Origin struct {
	Actor      string
	AuthMethod string
	PeerIP     string
	RequestID  string
}
