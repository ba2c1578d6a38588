package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"

	"github.com/joho/godotenv"

	"parley/app/typo"
)

// PortableDirName is the data folder that, next to the executable, turns on
// portable mode (everything stays on the USB stick).
const PortableDirName = "parley-data"

// Source is everything configuration is read from.
type Source struct {
	// Flags maps a setting's Env name to the value given on the command line
	// (only flags the user actually set).
	Flags map[string]string
	// Environ is the process environment, as os.Environ returns it.
	Environ []string
	// Executable is the path of the running binary (for portable mode).
	Executable string
	// Portable asks for portable mode, creating parley-data if needed.
	Portable bool
	// UserConfigDir is os.UserConfigDir, replaceable in tests.
	UserConfigDir func() (string, error)
}

// Origin says where a setting's value came from.
type Origin string

// Origins, in increasing precedence.
const (
	FromDefault Origin = "default"
	FromDotEnv  Origin = ".env"
	FromEnv     Origin = "environment"
	FromFlag    Origin = "flag"
)

// Value is a resolved setting, for display (secret values are masked).
type Value struct {
	Setting Setting
	Value   string
	Origin  Origin
}

// Load resolves the data directory, reads its .env and builds the Config.
// Errors name the setting, where its value came from and how to fix it.
func Load(src Source) (Config, []Value, error) {
	var c Config
	env := parseEnviron(src.Environ)
	root, portable, err := resolveDataDir(src, env)
	if err != nil {
		return c, nil, err
	}
	c.Paths = Paths{Root: root}
	c.Portable = portable

	dotenv, warnings, err := readDotEnv(c.Paths.DotEnv())
	if err != nil {
		return c, nil, err
	}
	c.Warnings = append(c.Warnings, warnings...)

	settings := Settings()
	known := map[string]bool{}
	for _, s := range settings {
		known[s.Env] = true
	}
	for k := range dotenv {
		if strings.HasPrefix(k, "PARLEY_") && !known[k] {
			return c, nil, fmt.Errorf("%s sets %s, which is not a Parley setting%s; remove or correct that line",
				c.Paths.DotEnv(), k, suggest(k, settings))
		}
	}
	for k := range env {
		if strings.HasPrefix(k, "PARLEY_") && !known[k] {
			c.Warnings = append(c.Warnings, fmt.Sprintf("environment variable %s is not a Parley setting%s; it is ignored", k, suggest(k, settings)))
		}
	}

	var values []Value
	for _, s := range settings {
		v, origin := s.Default, FromDefault
		if x, ok := dotenv[s.Env]; ok {
			if s.NotInDotEnv {
				return c, nil, fmt.Errorf("%s cannot be set in %s (the .env file lives inside the data directory); use the flag or the environment", s.Env, c.Paths.DotEnv())
			}
			v, origin = x, FromDotEnv
		}
		if x, ok := env[s.Env]; ok {
			v, origin = x, FromEnv
		}
		if x, ok := src.Flags[s.Env]; ok {
			v, origin = x, FromFlag
		}
		if err := s.apply(&c, v); err != nil {
			return c, nil, fmt.Errorf("%s %s: %v", describe(s, origin), quoted(s, v), err)
		}
		if s.Secret && v != "" {
			c.secrets = append(c.secrets, v)
		}
		if s.Env == "PARLEY_ADDR" {
			c.AddrExplicit = origin != FromDefault
		}
		values = append(values, Value{Setting: s, Value: v, Origin: origin})
	}
	if err := c.validate(); err != nil {
		return c, nil, err
	}
	if c.Portable {
		c.Warnings = append(c.Warnings, "portable mode: all data lives in "+root)
	}
	return c, values, nil
}

// Secrets are the values of secret settings, for the log redactor.
func (c Config) Secrets() []string { return append([]string(nil), c.secrets...) }

// Display renders a resolved value for humans; secrets are masked.
func (v Value) Display() string {
	if v.Setting.Secret && v.Value != "" {
		return "******** (set)"
	}
	return v.Value
}

func describe(s Setting, o Origin) string {
	switch o {
	case FromFlag:
		return "--" + s.Flag
	case FromEnv:
		return s.Env + " (environment)"
	case FromDotEnv:
		return s.Env + " (.env)"
	}
	return s.Env + " (default)"
}

func quoted(s Setting, v string) string {
	if s.Secret {
		return "value"
	}
	return fmt.Sprintf("%q", v)
}

func parseEnviron(environ []string) map[string]string {
	m := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "PARLEY_") {
			m[k] = v
		}
	}
	return m
}

func resolveDataDir(src Source, env map[string]string) (string, bool, error) {
	pick := func(p, from string) (string, bool, error) {
		if strings.TrimSpace(p) == "" {
			return "", false, fmt.Errorf("%s is empty; give a directory path", from)
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", false, fmt.Errorf("%s %q: %v", from, p, err)
		}
		return abs, false, nil
	}
	if v, ok := src.Flags["PARLEY_DATA_DIR"]; ok {
		return pick(v, "--data-dir")
	}
	if v, ok := env["PARLEY_DATA_DIR"]; ok {
		return pick(v, "PARLEY_DATA_DIR")
	}
	if src.Executable != "" {
		exe := src.Executable
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
		portable := filepath.Join(filepath.Dir(exe), PortableDirName)
		if fi, err := os.Stat(portable); err == nil && fi.IsDir() {
			return portable, true, nil
		}
		if src.Portable {
			return portable, true, nil
		}
	} else if src.Portable {
		return "", false, errors.New("--portable: cannot tell where the executable is")
	}
	ucd := src.UserConfigDir
	if ucd == nil {
		ucd = os.UserConfigDir
	}
	base, err := ucd()
	if err != nil {
		return "", false, fmt.Errorf("cannot find the user configuration directory (%v); pass --data-dir or set PARLEY_DATA_DIR", err)
	}
	return filepath.Join(base, "Parley"), false, nil
}

// readDotEnv reads the data directory's .env if present. It warns when the
// file is readable by other users: it may hold provider keys.
func readDotEnv(path string) (map[string]string, []string, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		// Missing, or the data directory itself is not a directory: the
		// data directory check reports that with its fix.
		return map[string]string{}, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	var warnings []string
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		warnings = append(warnings, fmt.Sprintf("%s is readable by other users (mode %v); it may hold secrets: run chmod 600 %s", path, fi.Mode().Perm(), path))
	}
	m, err := godotenv.Read(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s cannot be parsed: %v; each line must be NAME=value", path, err)
	}
	return m, warnings, nil
}

// suggest names the closest known setting, for typos.
func suggest(name string, settings []Setting) string {
	names := make([]string, len(settings))
	for i, s := range settings {
		names[i] = s.Env
	}
	best := typo.Closest(name, names, 3)
	if best == "" {
		return ""
	}
	return " (did you mean " + best + "?)"
}

// SortedEnvNames lists every setting's environment name, sorted.
func SortedEnvNames() []string {
	var names []string
	for _, s := range Settings() {
		names = append(names, s.Env)
	}
	sort.Strings(names)
	return names
}
