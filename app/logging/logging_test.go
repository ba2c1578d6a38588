package logging

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const canary = "canary-secret-7f3a9c1e"

func TestRedactorString(t *testing.T) {
	r := NewRedactor(canary, "abc") // "abc" is too short to register
	cases := []struct{ in, mustNot string }{
		{"value " + canary + " in text", canary},
		{"Authorization: Bearer abcdef0123456789xyz", "abcdef0123456789xyz"},
		{"basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="},
		{"token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXZhbHVl", "eyJzdWIiOiIxMjM0In0"},
		{"key sk-proj-abcdefghijklmnopqrstu", "sk-proj-abcdefghijklmnopqrstu"},
		{"bot 1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"},
		{"GET /api?api_key=zzz123&x=1", "zzz123"},
		{"password=hunter2 and more", "hunter2"},
		{"postgres://user:pa55word@db.example:5432/x", "pa55word"},
		{"control prl_ctl_0123456789abcdef0123", "0123456789abcdef0123"},
	}
	for _, c := range cases {
		out := r.String(c.in)
		if strings.Contains(out, c.mustNot) || !strings.Contains(out, Mask) {
			t.Errorf("String(%q) = %q", c.in, out)
		}
	}
	if got := r.String("nothing secret about abc here"); got != "nothing secret about abc here" {
		t.Errorf("clean text changed: %q", got)
	}
	r.Add("added-later-secret")
	if strings.Contains(r.String("x added-later-secret"), "added-later-secret") {
		t.Error("secret added later not redacted")
	}
}

func TestHandlerRedactsEverywhere(t *testing.T) {
	var buf bytes.Buffer
	r := NewRedactor(canary)
	log := slog.New(NewHandler(slog.NewJSONHandler(&buf, nil), r))
	log = log.With("preset", "p "+canary, "api_key", "plain-looking")
	log.WithGroup("g").Info("message with "+canary,
		"attr", canary,
		"err", errors.New("failed with "+canary),
		"password", "hunter2",
		slog.Group("nested", "deep", "x "+canary),
		"stringer", stringer{},
		"n", 42,
	)
	out := buf.String()
	for _, leak := range []string{canary, "hunter2", "plain-looking"} {
		if strings.Contains(out, leak) {
			t.Errorf("log line leaks %q: %s", leak, out)
		}
	}
	if !strings.Contains(out, `"n":42`) {
		t.Errorf("non-string attribute lost: %s", out)
	}
}

type stringer struct{}

func (stringer) String() string { return "stringer " + canary }

func TestNewWritesRotatedPrivateFileAndStderr(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "logs", "parley.log")
	var stderr bytes.Buffer
	log, closer, err := New(Options{Level: slog.LevelInfo, Stderr: &stderr, File: file, MaxMB: 1, MaxFiles: 2, Redactor: NewRedactor(canary)})
	if err != nil {
		t.Fatal(err)
	}
	log.Debug("hidden at info level")
	log.Info("hello " + canary)
	closer.Close()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"file": string(data), "stderr": stderr.String()} {
		if !strings.Contains(out, "hello") || strings.Contains(out, canary) || strings.Contains(out, "hidden") {
			t.Errorf("%s sink = %q", name, out)
		}
	}
	if !strings.HasPrefix(string(data), "{") {
		t.Errorf("file sink is not JSON: %q", data)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
			t.Errorf("log file mode %v, want 0600", fi.Mode().Perm())
		}
	}
}
