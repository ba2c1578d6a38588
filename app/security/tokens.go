package security

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// Token prefixes make Parley's secrets recognisable (the log redactor
// masks anything starting with prl_).
const (
	prefixSession = "prl_s_"
	prefixAPIKey  = "prl_k_"
	prefixSetup   = "prl_setup_"
)

// newToken returns prefix + 256 random bits, URL-safe.
func newToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("security: no randomness: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is the stored form of a random token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
