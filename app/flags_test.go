package app

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parley/app/cli"
	"parley/app/config"
	"parley/storage"
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
		{args: []string{"pause"}, name: "pause"},
		{args: []string{"pause", "--account", "3", "--for", "2h", "--reason", "new proxy"}, name: "pause"},
		{args: []string{"--data-dir", "/d", "resume", "--campaign", "2"}, name: "resume", flags: map[string]string{"PARLEY_DATA_DIR": "/d"}},
		{args: []string{"status", "--json"}, name: "status"},
		{args: []string{"pause", "--for", "soon"}, usage: true},
		{args: []string{"pause", "--for", "-1h"}, usage: true},
		{args: []string{"pause", "--for", "0s"}, usage: true},
		{args: []string{"pause", "--account", "x"}, usage: true},
		{args: []string{"pause", "--account", "0"}, usage: true},
		{args: []string{"pause", "--account", "1", "--campaign", "2"}, usage: true},
		{args: []string{"pause", "--json"}, usage: true},
		{args: []string{"pause", "global"}, usage: true},
		{args: []string{"resume", "--for", "1h"}, usage: true},
		{args: []string{"status", "--account", "1"}, usage: true},
		{args: []string{"doctor", "--account", "1"}, usage: true},
		{args: []string{"--reason", "x"}, usage: true},
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

func TestParseControlArgs(t *testing.T) {
	cmd, err := parseArgs([]string{"pause", "--campaign", "4", "--for", "90m", "--reason", "new copy"})
	if err != nil {
		t.Fatal(err)
	}
	want := cli.ControlArgs{Campaign: 4, For: 90 * time.Minute, Reason: "new copy"}
	if cmd.control != want {
		t.Fatalf("control = %+v, want %+v", cmd.control, want)
	}
	if cmd, _ := parseArgs([]string{"status", "--json"}); cmd.control != (cli.ControlArgs{JSON: true}) {
		t.Fatalf("status --json = %+v", cmd.control)
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
	for _, f := range []string{"--backup", "--restore", "--portable", "--version", "--help", "doctor",
		"parley pause [--account ID | --campaign ID] [--for 2h] [--reason TEXT]",
		"parley resume [--account ID | --campaign ID]", "parley status [--json]"} {
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
	if code, _, errOut := run("pause", "--for", "soon"); code != 2 || errOut != "parley: --for: use a duration such as 30m or 2h (see parley --help)\n" {
		t.Errorf("pause --for soon = %d %q", code, errOut)
	}
}

// TestMainPauseResumeStatus runs the commands as a user types them, on a
// database no Parley holds.
func TestMainPauseResumeStatus(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(t.Context(), Env{Args: append([]string{"--data-dir", dir}, args...), Stdout: &out, Stderr: &errb, Version: "v1"})
		return code, out.String(), errb.String()
	}
	if code, _, errOut := run("status"); code != 1 || !strings.Contains(errOut, "there is no database") {
		t.Fatalf("status without a database = %d %q", code, errOut)
	}
	store, err := storage.Open(storage.Options{Path: filepath.Join(dir, "parley.db"), AppVersion: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	if code, out, errOut := run("pause", "--for", "2h", "--reason", "lunch"); code != 0 || !strings.HasPrefix(out, "Paused all accounts until ") || errOut != "" {
		t.Fatalf("pause = %d %q %q", code, out, errOut)
	}
	code, out, _ := run("status", "--json")
	if !strings.Contains(out, `"accounts": []`) || !strings.Contains(out, `"open_incidents": []`) {
		t.Errorf("status --json has null lists: %s", out)
	}
	var st struct {
		Paused *struct{ By, Reason string } `json:"paused"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Paused == nil || st.Paused.By != "cli" || st.Paused.Reason != "lunch" {
		t.Fatalf("status --json = %d %q", code, out)
	}
	if code, _, errOut := run("pause"); code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "already paused") {
		t.Fatalf("second pause = %d %q", code, errOut)
	}
	if code, _, errOut := run("pause", "--account", "7"); code != 1 || errOut != "parley: account 7 does not exist\n" {
		t.Fatalf("pause --account 7 = %d %q", code, errOut)
	}
	if code, out, _ := run("resume"); code != 0 || out != "Resumed all accounts.\n" {
		t.Fatalf("resume = %d %q", code, out)
	}
	if code, _, errOut := run("resume"); code != 1 || !strings.Contains(errOut, "not paused") {
		t.Fatalf("second resume = %d %q", code, errOut)
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
