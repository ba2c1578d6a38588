package security

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"parley/app/model"
)

// Password rules. Lengths count characters (Unicode code points) after
// NFKC normalisation; nothing is ever truncated.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 1024
)

// argon2id parameters (OWASP's baseline: 19 MiB, 2 passes, 1 lane). They
// are stored in every hash, so raising them later re-hashes at next login.
type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
}

var defaultArgon = argonParams{memory: 19 * 1024, time: 2, threads: 1}

// CheckPassword says what is wrong with a new password, in words for the
// person choosing it.
func CheckPassword(pw string) error {
	if !utf8.ValidString(pw) {
		return model.Errorf(model.CodeInvalid, "The password is not valid text.")
	}
	n := utf8.RuneCountInString(norm.NFKC.String(pw))
	switch {
	case n < MinPasswordLen:
		return model.Errorf(model.CodeInvalid, "The password must have at least %d characters.", MinPasswordLen)
	case n > MaxPasswordLen:
		return model.Errorf(model.CodeInvalid, "The password must have at most %d characters.", MaxPasswordLen)
	case strings.TrimSpace(pw) == "":
		return model.Errorf(model.CodeInvalid, "The password cannot be only spaces.")
	}
	return nil
}

// hashPassword returns a PHC string: $argon2id$v=19$m=..,t=..,p=..$salt$hash.
// Passwords are NFKC-normalised first, so the same password typed on
// another keyboard or OS still matches.
func hashPassword(pw string, p argonParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(norm.NFKC.String(pw)), salt, p.time, p.memory, p.threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// verifyPassword checks pw against a PHC string in constant time. stale is
// true when the hash used other parameters than current.
func verifyPassword(pw, phc string, current argonParams) (ok, stale bool, err error) {
	p, salt, want, err := parsePHC(phc)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(norm.NFKC.String(pw)), salt, p.time, p.memory, p.threads, uint32(len(want)))
	ok = subtle.ConstantTimeCompare(got, want) == 1
	return ok, p != current, nil
}

func parsePHC(phc string) (argonParams, []byte, []byte, error) {
	var p argonParams
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("security: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, errors.New("security: unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil || p.time == 0 || p.threads == 0 {
		return p, nil, nil, errors.New("security: malformed argon2 parameters")
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, errors.New("security: malformed salt")
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, errors.New("security: malformed hash")
	}
	return p, salt, key, nil
}
