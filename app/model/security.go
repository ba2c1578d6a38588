package model

import "time"

// Roles. The owner is created at first start; every user is an
// administrator of this installation for now.
const (
	RoleOwner = "owner"
	RoleAdmin = "admin"
)

// User is a dashboard login. PasswordHash is a PHC-format argon2id string;
// an empty hash means the password has not been set yet (first run).
type User struct {
	Name              string    `json:"name"`
	Role              string    `json:"role"`
	PasswordHash      string    `json:"password_hash,omitempty"`
	PasswordChangedAt time.Time `json:"password_changed_at,omitzero"`
	CreatedAt         time.Time `json:"created_at"`
}

// Session is a server-side login session. ID is the hex SHA-256 of the
// random token in the cookie; the token itself is never stored.
type Session struct {
	ID        string    `json:"id"`
	User      string    `json:"user"`
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`
	// RotatedAt is when this id was issued (login or rotation); CreatedAt is
	// kept across rotations so the absolute timeout counts from login.
	RotatedAt time.Time `json:"rotated_at"`
	PeerIP    string    `json:"peer_ip"`
	UserAgent string    `json:"user_agent"`
	// CSRF is the synchronizer token pages carry; it survives rotation so
	// pages loaded before a rotation keep working.
	CSRF string `json:"csrf"`
	// LoginID is the id the session had at login; it names the login across
	// rotations (revoking, listing, ending its streams).
	LoginID string `json:"login_id"`
	// ReplacedBy and GraceUntil are set when the id was rotated: the old id
	// keeps working until GraceUntil for requests already in flight.
	ReplacedBy string    `json:"replaced_by,omitempty"`
	GraceUntil time.Time `json:"grace_until,omitzero"`
}

// API key scopes. Control includes read.
const (
	ScopeRead    = "read"
	ScopeControl = "control"
)

// APIKey is a key for scripts. Only the SHA-256 of the key is stored;
// Prefix (its first characters) lets people tell keys apart.
type APIKey struct {
	ID         uint64    `json:"id"`
	Name       string    `json:"name"`
	Scope      string    `json:"scope"`
	Prefix     string    `json:"prefix"`
	Hash       string    `json:"hash"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
	RevokedBy  string    `json:"revoked_by,omitempty"`
}

// Lockout tracks failed logins for one user name or one peer IP.
type Lockout struct {
	Key         string      `json:"key"`
	Failures    []time.Time `json:"failures,omitempty"`
	LockedUntil time.Time   `json:"locked_until,omitzero"`
	// Locks counts locks in a row; each doubles the lock period.
	Locks    int       `json:"locks"`
	LastLock time.Time `json:"last_lock,omitzero"`
}

// SetupToken is the one-time first-run link. Only its hash is stored.
type SetupToken struct {
	Hash      string    `json:"hash"`
	User      string    `json:"user"`
	ExpiresAt time.Time `json:"expires_at"`
}
