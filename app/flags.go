package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"parley/app/cli"
	"parley/app/config"
)

// command is what the invocation asks for.
type command struct {
	name        string // serve, backup, restore, doctor, admin, import, pause, resume, status, version, help
	backupPath  string
	restoreFile string
	portable    bool
	flags       map[string]string // setting Env name -> flag value
	admin       adminFlags
	importArgs  importFlags
	controlRaw  controlFlags
	control     cli.ControlArgs
	// selectors is the action of parley selectors: export or check.
	selectors string
}

// controlFlags are the options of parley pause, resume and status as
// typed; parseControl checks and converts them.
type controlFlags struct {
	account, campaign string
	forDur, reason    string
	json              bool
}

// importFlags are the options of parley import FILE.
type importFlags struct {
	file, list, duplicates string
}

// adminFlags are the options of parley admin ACTION.
type adminFlags struct {
	action        string
	user, ip      string
	name, scope   string
	passwordStdin bool
}

// usageError is a mistake on the command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg + " (see parley --help)" }

// optionalValue is a flag that may appear alone (--backup) or with a value
// (--backup=PATH or --backup PATH).
type optionalValue struct {
	set   bool
	value string
}

func (o *optionalValue) String() string   { return o.value }
func (o *optionalValue) IsBoolFlag() bool { return true }
func (o *optionalValue) Set(v string) error {
	o.set = true
	if v != "true" {
		o.value = v
	}
	return nil
}

type boolSetting struct{ value string }

func (b *boolSetting) String() string   { return b.value }
func (b *boolSetting) IsBoolFlag() bool { return true }
func (b *boolSetting) Set(v string) error {
	b.value = v
	return nil
}

var subcommands = map[string]string{
	"doctor":    "check the data directory, database, audit trail, backups and configuration",
	"admin":     "set-password, create-api-key or unlock (see below)",
	"import":    "import leads from a CSV file (see below)",
	"pause":     "pause sending: everything, one account or one campaign (see below)",
	"resume":    "lift a pause (see below)",
	"status":    "what each account is doing or why it is idle, pauses, incidents",
	"selectors": "export the built-in selector pack, or check the override in the data directory",
	"demo":      "watch Parley work against a built-in LinkedIn-like test site (a fresh demo data folder)",
	"version":   "print the version",
	"help":      "print this help",
}

func parseArgs(args []string) (command, error) {
	cmd := command{name: "serve", flags: map[string]string{}}
	fs := flag.NewFlagSet("parley", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var backup optionalValue
	var restore string
	var version, help bool
	fs.Var(&backup, "backup", "")
	fs.StringVar(&restore, "restore", "", "")
	fs.BoolVar(&version, "version", false, "")
	fs.BoolVar(&help, "help", false, "")
	fs.BoolVar(&help, "h", false, "")
	fs.BoolVar(&cmd.portable, "portable", false, "")
	fs.StringVar(&cmd.admin.user, "user", "", "")
	fs.StringVar(&cmd.admin.ip, "ip", "", "")
	fs.StringVar(&cmd.admin.name, "name", "", "")
	fs.StringVar(&cmd.admin.scope, "scope", "", "")
	fs.BoolVar(&cmd.admin.passwordStdin, "password-stdin", false, "")
	fs.StringVar(&cmd.importArgs.list, "list", "", "")
	fs.StringVar(&cmd.importArgs.duplicates, "duplicates", "", "")
	fs.StringVar(&cmd.controlRaw.account, "account", "", "")
	fs.StringVar(&cmd.controlRaw.campaign, "campaign", "", "")
	fs.StringVar(&cmd.controlRaw.forDur, "for", "", "")
	fs.StringVar(&cmd.controlRaw.reason, "reason", "", "")
	fs.BoolVar(&cmd.controlRaw.json, "json", false, "")
	settingFlags := map[string]string{}
	for _, s := range config.Settings() {
		if s.Flag == "" {
			continue
		}
		settingFlags[s.Flag] = s.Env
		if s.Default == "false" {
			fs.Var(&boolSetting{}, s.Flag, "")
		} else {
			fs.String(s.Flag, "", "")
		}
	}

	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				cmd.name = "help"
				return cmd, nil
			}
			return cmd, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	fs.Visit(func(f *flag.Flag) {
		if env, ok := settingFlags[f.Name]; ok {
			cmd.flags[env] = f.Value.String()
		}
	})

	if len(positional) > 0 {
		if _, ok := subcommands[positional[0]]; ok {
			cmd.name, positional = positional[0], positional[1:]
		} else if !backup.set {
			return cmd, usageError{fmt.Sprintf("unknown command %q", positional[0])}
		}
	}
	importUsed := cmd.importArgs != (importFlags{})
	if cmd.name == "import" {
		if len(positional) == 0 {
			return cmd, usageError{"import needs a file: parley import FILE --list NAME"}
		}
		cmd.importArgs.file, positional = positional[0], positional[1:]
	} else if importUsed {
		return cmd, usageError{"--list and --duplicates belong to parley import"}
	}
	adminUsed := cmd.admin != (adminFlags{})
	if cmd.name == "admin" {
		if len(positional) == 0 {
			return cmd, usageError{"admin needs an action: set-password, create-api-key or unlock"}
		}
		cmd.admin.action, positional = positional[0], positional[1:]
	} else if adminUsed {
		return cmd, usageError{"--user, --ip, --name, --scope and --password-stdin belong to parley admin"}
	}
	if cmd.name == "selectors" {
		if len(positional) == 0 || positional[0] != "export" && positional[0] != "check" {
			return cmd, usageError{"selectors needs an action: parley selectors export, or parley selectors check"}
		}
		cmd.selectors, positional = positional[0], positional[1:]
	}
	switch cmd.name {
	case "pause", "resume", "status":
		a, err := parseControl(cmd.name, cmd.controlRaw)
		if err != nil {
			return cmd, err
		}
		cmd.control = a
	default:
		if cmd.controlRaw != (controlFlags{}) {
			return cmd, usageError{"--account, --campaign, --for, --reason and --json belong to parley pause, resume and status"}
		}
	}
	switch {
	case cmd.name != "serve" && (backup.set || restore != ""):
		return cmd, usageError{"--backup and --restore cannot be combined with " + cmd.name}
	case help:
		cmd.name = "help"
		return cmd, nil
	case version:
		cmd.name = "version"
		return cmd, nil
	case backup.set && restore != "":
		return cmd, usageError{"--backup and --restore cannot be used together"}
	case backup.set:
		cmd.name = "backup"
		cmd.backupPath = backup.value
		if len(positional) > 0 && cmd.backupPath == "" {
			cmd.backupPath, positional = positional[0], positional[1:]
		}
	case restore != "":
		cmd.name = "restore"
		cmd.restoreFile = restore
	}
	if len(positional) > 0 {
		return cmd, usageError{fmt.Sprintf("unexpected argument %q", positional[0])}
	}
	return cmd, nil
}

// parseControl checks the options of parley pause, resume and status.
func parseControl(name string, f controlFlags) (cli.ControlArgs, error) {
	var a cli.ControlArgs
	switch {
	case name == "status" && (f.account != "" || f.campaign != "" || f.forDur != "" || f.reason != ""):
		return a, usageError{"status takes only --json"}
	case name == "resume" && (f.forDur != "" || f.reason != "" || f.json):
		return a, usageError{"resume takes only --account ID or --campaign ID"}
	case name == "pause" && f.json:
		return a, usageError{"--json belongs to parley status"}
	case f.account != "" && f.campaign != "":
		return a, usageError{"use --account or --campaign, not both"}
	}
	var err error
	if a.Account, err = parseID("account", f.account); err != nil {
		return a, err
	}
	if a.Campaign, err = parseID("campaign", f.campaign); err != nil {
		return a, err
	}
	if f.forDur != "" {
		d, err := time.ParseDuration(f.forDur)
		if err != nil || d <= 0 {
			return a, usageError{"--for: use a duration such as 30m or 2h"}
		}
		a.For = d
	}
	a.Reason, a.JSON = f.reason, f.json
	return a, nil
}

// parseID reads the number of an account or campaign (0: not given).
func parseID(what, v string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil || id == 0 {
		where := "parley status lists them"
		if what == "campaign" {
			where = "it ends the campaign page's address"
		}
		return 0, usageError{fmt.Sprintf("--%s: use the %s's number, e.g. --%s 3 (%s)", what, what, what, where)}
	}
	return id, nil
}

func usage(w io.Writer, version string) {
	fmt.Fprintf(w, `Parley %s — a local-first LinkedIn outreach workstation.

Usage:
  parley [flags]              serve the dashboard and open it in the browser
  parley --backup [PATH]      write a checksummed snapshot (PATH: directory or file;
                              default: backups/ in the data directory)
  parley --restore FILE       replace the database with a verified snapshot
                              (Parley must be stopped)
  parley doctor               %s
  parley admin set-password --user NAME --password-stdin
                              set (or create) a user's password, read from stdin;
                              signs that user out everywhere
  parley admin create-api-key --name NAME --scope read|control
                              print a new API key (only the key) for scripts
  parley admin unlock --user NAME [--ip ADDRESS]
                              clear a sign-in lockout
  parley import FILE [--list NAME] [--duplicates skip|merge]
                              import leads from a CSV file into a list; prints
                              what was imported and why rows were not
  parley pause [--account ID | --campaign ID] [--for 2h] [--reason TEXT]
                              stop sending: every account (no scope flag), one
                              account or one campaign; --for lifts it by itself
  parley resume [--account ID | --campaign ID]
                              lift that pause
  parley status [--json]      each account's state or why it is idle, the
                              pauses, open incidents and dead letters; --json
                              prints it as JSON for scripts
  parley demo [--no-browser] [--addr HOST:PORT]
                              watch Parley work end to end without a LinkedIn
                              account: a built-in LinkedIn-like site, a fresh
                              data folder, a signed-in demo account, 50 sample
                              leads and a running campaign
  parley selectors export     print the built-in selector pack (JSON); save it as
                              selectors.json in the data directory and edit it
                              when LinkedIn changes a page
  parley selectors check      say which selector pack is in use and why an
                              override is refused (exit 1 then)
  parley version | help

The admin commands, import, pause, resume, status and --backup work whether
Parley is running or not; changes are recorded as actor "cli".

Flags:
`, version, subcommands["doctor"])
	settings := config.Settings()
	for _, s := range settings {
		if s.Flag == "" {
			continue
		}
		arg := " VALUE"
		switch {
		case s.Default == "false":
			arg = ""
		case s.Flag == "data-dir":
			arg = " DIR"
		case s.Flag == "addr":
			arg = " HOST:PORT"
		}
		fmt.Fprintf(w, "  %-22s %s (%s)\n", "--"+s.Flag+arg, s.Help, s.Env)
	}
	for _, f := range [][2]string{
		{"--portable", "keep all data in parley-data/ beside the executable"},
		{"--backup [PATH]", "see above"},
		{"--restore FILE", "see above"},
		{"--version", "print the version"},
		{"--help", "print this help"},
	} {
		fmt.Fprintf(w, "  %-22s %s\n", f[0], f[1])
	}
	fmt.Fprint(w, `
Environment (also read from .env in the data directory; flags win over the
environment, which wins over .env):
`)
	sort.Slice(settings, func(i, j int) bool { return settings[i].Env < settings[j].Env })
	for _, s := range settings {
		def := ""
		if s.Default != "" {
			def = " (default " + s.Default + ")"
		}
		fmt.Fprintf(w, "  %-24s %s%s\n", s.Env, s.Help, def)
	}
	fmt.Fprint(w, `
Data directory: --data-dir, else PARLEY_DATA_DIR, else parley-data/ beside the
executable if it exists (portable mode), else the user configuration folder
(Parley/).

Exit status: 0 on success, 1 on failure (one line on stderr), 2 on a
command-line mistake.
`)
}
