package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, src Source) (Config, []Value, error) {
	t.Helper()
	if src.UserConfigDir == nil {
		home := t.TempDir()
		src.UserConfigDir = func() (string, error) { return home, nil }
	}
	return Load(src)
}

func TestDefaults(t *testing.T) {
	dir := t.TempDir()
	c, values, err := load(t, Source{Flags: map[string]string{"PARLEY_DATA_DIR": dir}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != DefaultAddr || c.AddrExplicit || c.NoBrowser || c.BackupInterval != 24*time.Hour || c.BackupKeep != 14 || c.LogFormat != "text" {
		t.Fatalf("defaults = %+v", c)
	}
	if c.Paths.Root != dir || c.Portable {
		t.Fatalf("root = %s portable %v", c.Paths.Root, c.Portable)
	}
	if len(values) != len(Settings()) {
		t.Fatalf("values = %d, settings = %d", len(values), len(Settings()))
	}
}

// TestPrecedence: defaults < .env < environment < flags.
func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".env"), []byte("PARLEY_BACKUP_KEEP=3\nPARLEY_LOG_LEVEL=debug\nPARLEY_ADDR=127.0.0.1:9001\n"), 0o600)
	env := []string{"PARLEY_DATA_DIR=" + dir, "PARLEY_LOG_LEVEL=warn", "PARLEY_ADDR=127.0.0.1:9002", "HOME=/x"}
	c, values, err := load(t, Source{Environ: env, Flags: map[string]string{"PARLEY_ADDR": "127.0.0.1:9003"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.BackupKeep != 3 {
		t.Errorf("keep = %d, want 3 from .env", c.BackupKeep)
	}
	if c.LogLevel.String() != "WARN" {
		t.Errorf("log level = %v, want warn from the environment", c.LogLevel)
	}
	if c.Addr != "127.0.0.1:9003" || !c.AddrExplicit {
		t.Errorf("addr = %s explicit %v, want the flag", c.Addr, c.AddrExplicit)
	}
	origins := map[string]Origin{}
	for _, v := range values {
		origins[v.Setting.Env] = v.Origin
	}
	want := map[string]Origin{"PARLEY_BACKUP_KEEP": FromDotEnv, "PARLEY_LOG_LEVEL": FromEnv, "PARLEY_ADDR": FromFlag, "PARLEY_LOG_FORMAT": FromDefault}
	for k, o := range want {
		if origins[k] != o {
			t.Errorf("%s origin = %s, want %s", k, origins[k], o)
		}
	}
}

func TestInvalidValuesNameTheSettingAndTheFix(t *testing.T) {
	cases := []struct {
		env, value, want string
	}{
		{"PARLEY_ADDR", "nonsense", "must be host:port"},
		{"PARLEY_ADDR", "127.0.0.1:99999", "0 to 65535"},
		{"PARLEY_ADDR", ":7450", "every network interface"},
		{"PARLEY_ADDR", "example.com:80", "must be an IP address or localhost"},
		{"PARLEY_LOG_LEVEL", "loud", "debug, info, warn or error"},
		{"PARLEY_LOG_FORMAT", "xml", "text or json"},
		{"PARLEY_BACKUP_INTERVAL", "often", "Go duration"},
		{"PARLEY_BACKUP_INTERVAL", "1m", "at least 5m"},
		{"PARLEY_BACKUP_KEEP", "0", "from 1 to 10000"},
		{"PARLEY_LOG_MAX_MB", "-5", "from 1 to 1024"},
		{"PARLEY_NO_BROWSER", "maybe", "true or false"},
		{"PARLEY_SHUTDOWN_TIMEOUT", "1h", "between 1s and 5m"},
		{"PARLEY_TRUSTED_IPS", "10.0.0.0/40", "CIDR"},
		{"PARLEY_TRUSTED_PROXIES", "proxy.local", "CIDR"},
		{"PARLEY_ALLOWED_HOSTS", "https://parley.lan", "host name"},
		{"PARLEY_SESSION_IDLE_TIMEOUT", "10s", "duration from"},
		{"PARLEY_API_BASIC_AUTH", "sometimes", "true or false"},
	}
	for _, c := range cases {
		t.Run(c.env+"="+c.value, func(t *testing.T) {
			_, _, err := load(t, Source{Environ: []string{"PARLEY_DATA_DIR=" + t.TempDir(), c.env + "=" + c.value}})
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if !strings.Contains(msg, c.env) || !strings.Contains(msg, "environment") || !strings.Contains(msg, c.want) {
				t.Fatalf("message %q does not name %s, its origin and %q", msg, c.env, c.want)
			}
		})
	}
	_, _, err := load(t, Source{Flags: map[string]string{"PARLEY_DATA_DIR": t.TempDir(), "PARLEY_ADDR": "x"}})
	if err == nil || !strings.Contains(err.Error(), "--addr") {
		t.Fatalf("flag error does not name the flag: %v", err)
	}
}

func TestDotEnvProblems(t *testing.T) {
	t.Run("unknown key with suggestion", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, ".env"), []byte("PARLEY_BACKUP_KEPE=3\n"), 0o600)
		_, _, err := load(t, Source{Flags: map[string]string{"PARLEY_DATA_DIR": dir}})
		if err == nil || !strings.Contains(err.Error(), "PARLEY_BACKUP_KEPE") || !strings.Contains(err.Error(), "did you mean PARLEY_BACKUP_KEEP") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("data dir in .env", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, ".env"), []byte("PARLEY_DATA_DIR=/elsewhere\n"), 0o600)
		_, _, err := load(t, Source{Flags: map[string]string{"PARLEY_DATA_DIR": dir}})
		if err == nil || !strings.Contains(err.Error(), "cannot be set in") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unparsable", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, ".env"), []byte("PARLEY_ADDR='unterminated\n"), 0o600)
		_, _, err := load(t, Source{Flags: map[string]string{"PARLEY_DATA_DIR": dir}})
		if err == nil || !strings.Contains(err.Error(), ".env") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("readable by others", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("unix permissions")
		}
		dir := t.TempDir()
		p := filepath.Join(dir, ".env")
		os.WriteFile(p, []byte("PARLEY_BACKUP_KEEP=2\n"), 0o644)
		os.Chmod(p, 0o644)
		c, _, err := load(t, Source{Flags: map[string]string{"PARLEY_DATA_DIR": dir}})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "chmod 600") {
			t.Fatalf("warnings = %v", c.Warnings)
		}
	})
	t.Run("unknown environment variable warns", func(t *testing.T) {
		c, _, err := load(t, Source{Environ: []string{"PARLEY_DATA_DIR=" + t.TempDir(), "PARLEY_ADR=1"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "did you mean PARLEY_ADDR") {
			t.Fatalf("warnings = %v", c.Warnings)
		}
	})
}

// TestDataDirResolution: --data-dir, PARLEY_DATA_DIR, portable folder,
// then the user configuration directory.
func TestDataDirResolution(t *testing.T) {
	exeDir := t.TempDir()
	exe := filepath.Join(exeDir, "parley")
	os.WriteFile(exe, nil, 0o700)
	home := t.TempDir()
	ucd := func() (string, error) { return home, nil }
	flagDir, envDir := t.TempDir(), t.TempDir()

	c, _, _ := Load(Source{Executable: exe, UserConfigDir: ucd})
	if c.Paths.Root != filepath.Join(home, "Parley") || c.Portable {
		t.Errorf("fallback root = %s", c.Paths.Root)
	}
	c, _, _ = Load(Source{Executable: exe, UserConfigDir: ucd, Portable: true})
	if c.Paths.Root != filepath.Join(exeDir, PortableDirName) || !c.Portable {
		t.Errorf("--portable root = %s", c.Paths.Root)
	}
	os.Mkdir(filepath.Join(exeDir, PortableDirName), 0o700)
	c, _, _ = Load(Source{Executable: exe, UserConfigDir: ucd})
	if c.Paths.Root != filepath.Join(exeDir, PortableDirName) || !c.Portable {
		t.Errorf("existing portable folder root = %s", c.Paths.Root)
	}
	c, _, _ = Load(Source{Executable: exe, UserConfigDir: ucd, Environ: []string{"PARLEY_DATA_DIR=" + envDir}})
	if c.Paths.Root != envDir {
		t.Errorf("env root = %s", c.Paths.Root)
	}
	c, _, _ = Load(Source{Executable: exe, UserConfigDir: ucd, Environ: []string{"PARLEY_DATA_DIR=" + envDir}, Flags: map[string]string{"PARLEY_DATA_DIR": flagDir}})
	if c.Paths.Root != flagDir {
		t.Errorf("flag root = %s", c.Paths.Root)
	}
	_, _, err := Load(Source{Flags: map[string]string{"PARLEY_DATA_DIR": " "}})
	if err == nil {
		t.Error("blank --data-dir accepted")
	}
	_, _, err = Load(Source{UserConfigDir: func() (string, error) { return "", errors.New("no HOME") }})
	if err == nil || !strings.Contains(err.Error(), "--data-dir") {
		t.Errorf("no config dir: %v", err)
	}
}

func TestSecretsAreMaskedAndCollected(t *testing.T) {
	s := Setting{Env: "PARLEY_TEST_SECRET", Secret: true}
	v := Value{Setting: s, Value: "hunter2-very-secret"}
	if strings.Contains(v.Display(), "hunter2") {
		t.Fatalf("Display leaks: %s", v.Display())
	}
	if strings.Contains(quoted(s, "hunter2-very-secret"), "hunter2") {
		t.Fatal("error text would leak a secret")
	}
	plain := Value{Setting: Setting{Env: "PARLEY_ADDR"}, Value: "127.0.0.1:1"}
	if plain.Display() != "127.0.0.1:1" {
		t.Fatal("plain value masked")
	}
}

func TestPathsEnsureAndRel(t *testing.T) {
	root := filepath.Join(t.TempDir(), "data")
	p := Paths{Root: root}
	if err := p.Ensure(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{root, p.Backups(), p.Logs(), p.BrowserProfiles(), p.Plugins()} {
		fi, err := os.Stat(d)
		if err != nil || !fi.IsDir() {
			t.Fatalf("%s missing", d)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
			t.Errorf("%s mode %v, want 0700", d, fi.Mode().Perm())
		}
	}
	if got := p.Rel(filepath.Join(root, "backups", "x.db")); got != filepath.Join("backups", "x.db") {
		t.Errorf("Rel = %s", got)
	}
	if got := p.Abs("backups/x.db"); got != filepath.Join(root, "backups", "x.db") {
		t.Errorf("Abs = %s", got)
	}
	if got := p.Rel("/elsewhere/x.db"); got != "/elsewhere/x.db" {
		t.Errorf("Rel outside = %s", got)
	}

	// A data directory that cannot be created (its parent is a file) is
	// refused with a message naming the directory and the fix. Root ignores
	// permission bits, so a file in the way is the reliable case.
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o600)
	err := Paths{Root: filepath.Join(blocker, "data")}.Ensure()
	if err == nil || !strings.Contains(err.Error(), "not usable") || !strings.Contains(err.Error(), "--data-dir") {
		t.Fatalf("Ensure under a file = %v", err)
	}
}

func TestCrossSettingRules(t *testing.T) {
	cases := []struct {
		env  []string
		want string // "" = valid
	}{
		{[]string{"PARLEY_ADDR=0.0.0.0:7450"}, "PARLEY_TRUSTED_IPS is empty"},
		{[]string{"PARLEY_ADDR=192.168.1.5:7450"}, "PARLEY_TRUSTED_IPS is empty"},
		{[]string{"PARLEY_ADDR=0.0.0.0:7450", "PARLEY_TRUSTED_IPS=192.168.1.0/24"}, ""},
		{[]string{"PARLEY_ADDR=[::1]:7450"}, ""},
		{[]string{"PARLEY_TLS_CERT=/x/cert.pem"}, "go together"},
		{[]string{"PARLEY_TLS_CERT=/x/cert.pem", "PARLEY_TLS_KEY=/x/key.pem", "PARLEY_TLS_SELF_SIGNED=true"}, "exclude each other"},
		{[]string{"PARLEY_SESSION_IDLE_TIMEOUT=2h", "PARLEY_SESSION_MAX_AGE=1h"}, "longer than"},
		{[]string{"PARLEY_TLS_SELF_SIGNED=true", "PARLEY_ALLOWED_HOSTS=parley.lan, Desk.Local"}, ""},
	}
	for _, c := range cases {
		cfg, _, err := load(t, Source{Environ: append([]string{"PARLEY_DATA_DIR=" + t.TempDir()}, c.env...)})
		if c.want == "" {
			if err != nil {
				t.Errorf("%v: %v", c.env, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.env, err, c.want)
		}
		_ = cfg
	}
	cfg, _, _ := load(t, Source{Environ: []string{"PARLEY_DATA_DIR=" + t.TempDir(), "PARLEY_ALLOWED_HOSTS=parley.lan, Desk.Local", "PARLEY_TLS_SELF_SIGNED=1"}})
	if len(cfg.AllowedHosts) != 2 || cfg.AllowedHosts[1] != "desk.local" || !cfg.TLS() {
		t.Fatalf("hosts = %v tls = %v", cfg.AllowedHosts, cfg.TLS())
	}
}
