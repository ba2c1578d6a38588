package app

import (
	"bytes"
	"strings"
	"testing"

	"parley/app/config"
)

func TestParseArgs(t *testing.T) {
	cases := []struct {
		args    []string
		name    string
		backup  string
		restore string
		flags   map[string]string
		usage   bool
	}{
		{args: nil, name: "serve"},
		{args: []string{"--no-browser", "--addr", "127.0.0.1:0"}, name: "serve", flags: map[string]string{"PARLEY_NO_BROWSER": "true", "PARLEY_ADDR": "127.0.0.1:0"}},
		{args: []string{"--backup"}, name: "backup"},
		{args: []string{"--backup", "/tmp/x.db"}, name: "backup", backup: "/tmp/x.db"},
		{args: []string{"--backup=/tmp/x.db", "--data-dir", "/d"}, name: "backup", backup: "/tmp/x.db", flags: map[string]string{"PARLEY_DATA_DIR": "/d"}},
		{args: []string{"--backup", "/tmp/x.db", "--data-dir", "/d"}, name: "backup", backup: "/tmp/x.db", flags: map[string]string{"PARLEY_DATA_DIR": "/d"}},
		{args: []string{"-backup", "out"}, name: "backup", backup: "out"},
		{args: []string{"--restore", "f.db"}, name: "restore", restore: "f.db"},
		{args: []string{"--data-dir", "/d", "doctor"}, name: "doctor", flags: map[string]string{"PARLEY_DATA_DIR": "/d"}},
		{args: []string{"doctor", "--data-dir", "/d"}, name: "doctor", flags: map[string]string{"PARLEY_DATA_DIR": "/d"}},
		{args: []string{"--version"}, name: "version"},
		{args: []string{"version"}, name: "version"},
		{args: []string{"-h"}, name: "help"},
		{args: []string{"--help", "--bogus"}, usage: true},
		{args: []string{"--bogus"}, usage: true},
		{args: []string{"bogus"}, usage: true},
		{args: []string{"--restore"}, usage: true},
		{args: []string{"--backup", "a", "b"}, usage: true},
		{args: []string{"--backup", "--restore", "x"}, usage: true},
		{args: []string{"doctor", "--backup"}, usage: true},
		{args: []string{"--no-browser=maybe"}, name: "serve", flags: map[string]string{"PARLEY_NO_BROWSER": "maybe"}},
		{args: []string{"import", "leads.csv", "--list", "Q1"}, name: "import"},
		{args: []string{"--data-dir", "/d", "import", "--duplicates", "merge", "leads.csv"}, name: "import", flags: map[string]string{"PARLEY_DATA_DIR": "/d"}},
		{args: []string{"import"}, usage: true},
		{args: []string{"--list", "Q1"}, usage: true},
		{args: []string{"import", "a.csv", "b.csv"}, usage: true},
	}
	for _, c := range cases {
		cmd, err := parseArgs(c.args)
		if c.usage {
			var ue usageError
			if err == nil || !asUsage(err, &ue) {
				t.Errorf("%v: err = %v, want a usage error", c.args, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		if cmd.name != c.name || cmd.backupPath != c.backup || cmd.restoreFile != c.restore {
			t.Errorf("%v: got %+v", c.args, cmd)
		}
		for k, v := range c.flags {
			if cmd.flags[k] != v {
				t.Errorf("%v: flag %s = %q, want %q", c.args, k, cmd.flags[k], v)
			}
		}
	}
}

func asUsage(err error, ue *usageError) bool {
	u, ok := err.(usageError)
	*ue = u
	return ok
}

func TestHelpListsEveryFlagAndVariable(t *testing.T) {
	var buf bytes.Buffer
	usage(&buf, "v1")
	out := buf.String()
	for _, s := range config.Settings() {
		if !strings.Contains(out, s.Env) {
			t.Errorf("--help lacks %s", s.Env)
		}
		if s.Flag != "" && !strings.Contains(out, "--"+s.Flag) {
			t.Errorf("--help lacks --%s", s.Flag)
		}
	}
	for _, f := range []string{"--backup", "--restore", "--portable", "--version", "--help", "doctor"} {
		if !strings.Contains(out, f) {
			t.Errorf("--help lacks %s", f)
		}
	}
}

func TestMainExitCodesAndOneLineErrors(t *testing.T) {
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(t.Context(), Env{Args: args, Stdout: &out, Stderr: &errb, Version: "v1"})
		return code, out.String(), errb.String()
	}
	if code, out, _ := run("--version"); code != 0 || out != "parley v1\n" {
		t.Errorf("--version = %d %q", code, out)
	}
	if code, _, errOut := run("--bogus"); code != 2 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "--help") {
		t.Errorf("--bogus = %d %q", code, errOut)
	}
	code, _, errOut := run("--data-dir", t.TempDir(), "--addr", "nope")
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "--addr") {
		t.Errorf("bad addr = %d %q", code, errOut)
	}
}

func FuzzParseArgs(f *testing.F) {
	f.Add("--backup\x00/tmp/x\x00--data-dir\x00d")
	f.Add("doctor\x00--addr=1")
	f.Fuzz(func(t *testing.T, joined string) {
		cmd, err := parseArgs(strings.Split(joined, "\x00"))
		if err == nil && cmd.name == "" {
			t.Fatal("no command and no error")
		}
	})
}
