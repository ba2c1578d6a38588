// Package control is the local control channel: the running Parley
// publishes its URLs in the data directory and answers authenticated
// requests from CLI commands (parley --backup, import, admin, pause,
// resume and status) on a loopback-only listener. The shared secret is a
// random token in control.token (0600), replaced at every start.
package control

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"parley/app/config"
	"parley/storage"
)

// Instance describes the running Parley (instance.json).
type Instance struct {
	PID        int       `json:"pid"`
	URL        string    `json:"url"`
	ControlURL string    `json:"control_url"`
	Version    string    `json:"version"`
	StartedAt  time.Time `json:"started_at"`
}

// WriteInstance publishes inst in the data directory.
func WriteInstance(p config.Paths, inst Instance) error {
	b, _ := json.MarshalIndent(inst, "", "  ")
	if err := storage.WriteFileAtomic(p.Instance(), append(b, '\n')); err != nil {
		return fmt.Errorf("control: write %s: %w", p.Instance(), err)
	}
	return nil
}

// ReadInstance reads instance.json.
func ReadInstance(p config.Paths) (Instance, error) {
	var inst Instance
	b, err := os.ReadFile(p.Instance())
	if err != nil {
		return inst, err
	}
	if err := json.Unmarshal(b, &inst); err != nil {
		return inst, fmt.Errorf("control: %s is not valid: %w", p.Instance(), err)
	}
	if inst.URL == "" || inst.ControlURL == "" {
		return inst, errors.New("control: instance.json is incomplete")
	}
	return inst, nil
}

// RemoveInstance deletes instance.json if it still describes pid (a newer
// instance may have replaced it).
func RemoveInstance(p config.Paths, pid int) {
	if inst, err := ReadInstance(p); err == nil && inst.PID != pid {
		return
	}
	os.Remove(p.Instance())
}

// NewToken creates a fresh control token and stores it 0600.
func NewToken(p config.Paths) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	tok := "prl_ctl_" + hex.EncodeToString(b)
	if err := storage.WriteFileAtomic(p.ControlToken(), []byte(tok+"\n")); err != nil {
		return "", fmt.Errorf("control: write token: %w", err)
	}
	return tok, nil
}

func readToken(p config.Paths) (string, error) {
	b, err := os.ReadFile(p.ControlToken())
	if err != nil {
		return "", fmt.Errorf("control: read token: %w", err)
	}
	tok := string(b)
	for len(tok) > 0 && (tok[len(tok)-1] == '\n' || tok[len(tok)-1] == '\r') {
		tok = tok[:len(tok)-1]
	}
	return tok, nil
}
