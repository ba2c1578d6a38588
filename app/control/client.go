package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"parley/app/config"
	"parley/app/health"
)

// ErrNotRunning means no live instance answers for this data directory.
var ErrNotRunning = errors.New("no running Parley answers for this data directory")

// Client talks to the running instance's control channel.
type Client struct {
	Instance Instance
	token    string
	http     *http.Client
}

// Connect reads instance.json and the token and checks the instance
// answers. It returns ErrNotRunning when it does not.
func Connect(ctx context.Context, p config.Paths) (*Client, error) {
	inst, err := ReadInstance(p)
	if err != nil {
		return nil, ErrNotRunning
	}
	tok, err := readToken(p)
	if err != nil {
		return nil, ErrNotRunning
	}
	c := &Client{Instance: inst, token: tok, http: &http.Client{Timeout: 10 * time.Minute}}
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var got Instance
	if err := c.do(pctx, http.MethodGet, "/v1/ping", nil, &got); err != nil {
		return nil, ErrNotRunning
	}
	c.Instance = got
	return c, nil
}

// Backup asks the instance to write a snapshot to path (absolute; empty
// means its backups folder).
func (c *Client) Backup(ctx context.Context, path string) (BackupResponse, error) {
	var res BackupResponse
	err := c.do(ctx, http.MethodPost, "/v1/backup", BackupRequest{Path: path}, &res)
	return res, err
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Instance.ControlURL+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("the running Parley did not answer: %w", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		var e errorBody
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return errors.New(e.Error)
		}
		return fmt.Errorf("the running Parley answered %s", resp.Status)
	}
	return json.Unmarshal(data, out)
}

// Health asks the instance to examine its database.
func (c *Client) Health(ctx context.Context) (health.Report, error) {
	var rep health.Report
	err := c.do(ctx, http.MethodGet, "/v1/health", nil, &rep)
	return rep, err
}

// SetPassword sets a user's password in the running instance.
func (c *Client) SetPassword(ctx context.Context, user, password string) error {
	var out map[string]bool
	return c.do(ctx, http.MethodPost, "/v1/admin/set-password", SetPasswordRequest{User: user, Password: password}, &out)
}

// CreateAPIKey creates a key in the running instance.
func (c *Client) CreateAPIKey(ctx context.Context, name, scope string) (APIKeyResponse, error) {
	var out APIKeyResponse
	err := c.do(ctx, http.MethodPost, "/v1/admin/api-keys", APIKeyRequest{Name: name, Scope: scope}, &out)
	return out, err
}

// Unlock clears a lockout in the running instance.
func (c *Client) Unlock(ctx context.Context, user, ip string) error {
	var out map[string]bool
	return c.do(ctx, http.MethodPost, "/v1/admin/unlock", UnlockRequest{User: user, IP: ip}, &out)
}

// Import runs parley import in the running instance and waits for it.
func (c *Client) Import(ctx context.Context, req ImportRequest) (ImportResponse, error) {
	var out ImportResponse
	err := c.do(ctx, http.MethodPost, "/v1/import", req, &out)
	return out, err
}
