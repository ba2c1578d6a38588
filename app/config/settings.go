// Package config turns defaults, the data directory's .env file, the
// environment and command-line flags (in that order of precedence, lowest
// first) into one validated Config.
package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is Parley's validated configuration.
type Config struct {
	Paths Paths
	// Portable is true when the data directory is parley-data beside the
	// executable.
	Portable bool
	// Addr is the HTTP listen address. AddrExplicit is true when the user
	// chose it; only the default address falls back to a free port.
	Addr         string
	AddrExplicit bool
	NoBrowser    bool

	LogLevel    slog.Level
	LogFormat   string
	LogMaxMB    int
	LogMaxFiles int

	// BackupInterval between scheduled snapshots; 0 turns them off.
	BackupInterval time.Duration
	BackupKeep     int

	ShutdownTimeout time.Duration

	// Runtime: jobs one account may run per scheduler round, and how many
	// accounts act at once.
	AccountMaxJobsPerRun int
	RuntimeConcurrency   int
	// BrowserPath is the Chromium, Chrome or Edge to drive (empty: look
	// for one); LinkedInBaseURL points the driver at another LinkedIn (the
	// test site, for tests and the demo).
	BrowserPath     string
	LinkedInBaseURL string

	// Security.
	SessionIdle    time.Duration
	SessionMaxAge  time.Duration
	TrustedIPs     []netip.Prefix
	TrustedProxies []netip.Prefix
	AllowedHosts   []string
	APIBasicAuth   bool
	TLSCert        string
	TLSKey         string
	TLSSelfSigned  bool

	// Warnings are problems worth logging that do not stop Parley.
	Warnings []string

	secrets []string
}

// DefaultAddr is where Parley listens unless told otherwise.
const DefaultAddr = "127.0.0.1:7450"

// Setting describes one configuration value: its environment name (also
// its .env key), its flag, its default and how it lands in Config.
type Setting struct {
	Env     string
	Flag    string
	Default string
	Help    string
	// Secret values are never printed and are fed to the log redactor.
	Secret bool
	// NotInDotEnv settings make no sense in the data dir's .env file.
	NotInDotEnv bool
	apply       func(c *Config, v string) error
}

// Settings lists every setting. --help is generated from it.
func Settings() []Setting {
	return []Setting{
		{Env: "PARLEY_DATA_DIR", Flag: "data-dir", NotInDotEnv: true,
			Help:  "data directory (database, backups, logs, browser profiles, plugins, .env)",
			apply: func(c *Config, v string) error { return nil }},
		{Env: "PARLEY_ADDR", Flag: "addr", Default: DefaultAddr,
			Help:  "HTTP listen address host:port (port 0 picks a free port)",
			apply: applyAddr},
		{Env: "PARLEY_NO_BROWSER", Flag: "no-browser", Default: "false",
			Help:  "do not open the dashboard in the default browser",
			apply: func(c *Config, v string) (err error) { c.NoBrowser, err = parseBool(v); return err }},
		{Env: "PARLEY_LOG_LEVEL", Default: "info",
			Help:  "log level: debug, info, warn or error",
			apply: applyLogLevel},
		{Env: "PARLEY_LOG_FORMAT", Default: "text",
			Help: "format of the log on stderr: text or json (the log file is always json)",
			apply: func(c *Config, v string) error {
				if v != "text" && v != "json" {
					return fmt.Errorf("must be text or json")
				}
				c.LogFormat = v
				return nil
			}},
		{Env: "PARLEY_LOG_MAX_MB", Default: "20",
			Help:  "size in MB at which logs/parley.log is rotated",
			apply: intIn(1, 1024, func(c *Config, n int) { c.LogMaxMB = n })},
		{Env: "PARLEY_LOG_MAX_FILES", Default: "5",
			Help:  "rotated log files to keep",
			apply: intIn(1, 100, func(c *Config, n int) { c.LogMaxFiles = n })},
		{Env: "PARLEY_BACKUP_INTERVAL", Default: "24h",
			Help:  "time between scheduled snapshots (Go duration, e.g. 6h; 0 turns them off)",
			apply: applyBackupInterval},
		{Env: "PARLEY_BACKUP_KEEP", Default: "14",
			Help:  "snapshots to keep in backups/ (older ones are deleted)",
			apply: intIn(1, 10000, func(c *Config, n int) { c.BackupKeep = n })},
		{Env: "PARLEY_ACCOUNT_MAX_JOBS_PER_RUN", Default: "60",
			Help:  "jobs one account may run in one scheduler round before the next account's turn (fairness)",
			apply: intIn(1, 1000, func(c *Config, n int) { c.AccountMaxJobsPerRun = n })},
		{Env: "PARLEY_RUNTIME_CONCURRENCY", Default: "2",
			Help:  "LinkedIn accounts that act at the same time (each drives its own browser context)",
			apply: intIn(1, 16, func(c *Config, n int) { c.RuntimeConcurrency = n })},
		{Env: "PARLEY_BROWSER_PATH",
			Help:  "the Chromium, Chrome or Edge executable to drive (default: the one installed on this computer)",
			apply: func(c *Config, v string) error { c.BrowserPath = v; return nil }},
		{Env: "LINKEDIN_BASE_URL",
			Help:  "for tests and demos only: the LinkedIn-like site the driver talks to instead of LinkedIn (parley demo sets it)",
			apply: applyLinkedInBaseURL},
		{Env: "PARLEY_SESSION_IDLE_TIMEOUT", Default: "30m",
			Help:  "sign out a dashboard session after this long without a request",
			apply: durationIn(time.Minute, 24*time.Hour, func(c *Config, d time.Duration) { c.SessionIdle = d })},
		{Env: "PARLEY_SESSION_MAX_AGE", Default: "12h",
			Help:  "sign out a dashboard session this long after sign-in, active or not",
			apply: durationIn(5*time.Minute, 30*24*time.Hour, func(c *Config, d time.Duration) { c.SessionMaxAge = d })},
		{Env: "PARLEY_TRUSTED_IPS",
			Help:  "comma-separated IPs/CIDR ranges allowed to connect besides this computer; required to listen on a non-loopback address",
			apply: func(c *Config, v string) (err error) { c.TrustedIPs, err = ParsePrefixes(v); return err }},
		{Env: "PARLEY_TRUSTED_PROXIES",
			Help:  "comma-separated IPs/CIDR ranges of reverse proxies whose X-Forwarded-For is believed",
			apply: func(c *Config, v string) (err error) { c.TrustedProxies, err = ParsePrefixes(v); return err }},
		{Env: "PARLEY_ALLOWED_HOSTS",
			Help:  "comma-separated host names the dashboard answers to besides localhost, 127.0.0.1 and ::1",
			apply: applyHosts},
		{Env: "PARLEY_API_BASIC_AUTH", Default: "false",
			Help:  "also accept HTTP Basic auth (user name and password) on /api/v1",
			apply: func(c *Config, v string) (err error) { c.APIBasicAuth, err = parseBool(v); return err }},
		{Env: "PARLEY_TLS_CERT", Flag: "tls-cert",
			Help:  "PEM certificate file: serve HTTPS (with --tls-key)",
			apply: func(c *Config, v string) error { c.TLSCert = v; return nil }},
		{Env: "PARLEY_TLS_KEY", Flag: "tls-key",
			Help:  "PEM private key file for --tls-cert",
			apply: func(c *Config, v string) error { c.TLSKey = v; return nil }},
		{Env: "PARLEY_TLS_SELF_SIGNED", Flag: "tls-self-signed", Default: "false",
			Help:  "serve HTTPS with a self-signed certificate generated into tls/ in the data directory",
			apply: func(c *Config, v string) (err error) { c.TLSSelfSigned, err = parseBool(v); return err }},
		{Env: "PARLEY_SHUTDOWN_TIMEOUT", Default: "10s",
			Help: "how long a graceful shutdown may take before connections are cut",
			apply: func(c *Config, v string) error {
				d, err := time.ParseDuration(v)
				if err != nil || d < time.Second || d > 5*time.Minute {
					return fmt.Errorf("must be a duration between 1s and 5m, e.g. 10s")
				}
				c.ShutdownTimeout = d
				return nil
			}},
	}
}

func applyAddr(c *Config, v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("must be host:port, e.g. %s", DefaultAddr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q must be a number from 0 to 65535", port)
	}
	if host == "" {
		return fmt.Errorf("the host is empty, which would listen on every network interface; use 127.0.0.1:%s", port)
	}
	if ip := net.ParseIP(host); ip == nil && host != "localhost" {
		return fmt.Errorf("host %q must be an IP address or localhost", host)
	}
	c.Addr = v
	return nil
}

// Loopback reports whether Addr is a loopback address.
func (c Config) Loopback() bool {
	host, _, _ := net.SplitHostPort(c.Addr)
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// TLS reports whether HTTPS is on.
func (c Config) TLS() bool { return c.TLSCert != "" || c.TLSSelfSigned }

// validate checks rules that involve several settings.
func (c Config) validate() error {
	if !c.Loopback() && len(c.TrustedIPs) == 0 {
		return fmt.Errorf("PARLEY_ADDR %s is reachable from the network, but PARLEY_TRUSTED_IPS is empty: list the IPs or ranges that may connect (e.g. 192.168.1.0/24), or listen on 127.0.0.1", c.Addr)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together: give both files, or neither")
	}
	if c.TLSCert != "" && c.TLSSelfSigned {
		return fmt.Errorf("--tls-self-signed and --tls-cert exclude each other: choose one")
	}
	if c.SessionIdle > c.SessionMaxAge {
		return fmt.Errorf("PARLEY_SESSION_IDLE_TIMEOUT (%s) is longer than PARLEY_SESSION_MAX_AGE (%s)", c.SessionIdle, c.SessionMaxAge)
	}
	return nil
}

func applyHosts(c *Config, v string) error {
	c.AllowedHosts = nil
	for _, h := range strings.Split(v, ",") {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		if strings.ContainsAny(h, "/:@ ") {
			return fmt.Errorf("%q is not a host name (give names only, without scheme or port)", h)
		}
		c.AllowedHosts = append(c.AllowedHosts, h)
	}
	return nil
}

func durationIn(lo, hi time.Duration, set func(*Config, time.Duration)) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < lo || d > hi {
			return fmt.Errorf("must be a duration from %s to %s, e.g. %s", lo, hi, lo*2)
		}
		set(c, d)
		return nil
	}
}

// ParsePrefixes reads a comma-separated list of IPs and CIDR ranges.
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			addr, err := netip.ParseAddr(item)
			if err != nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR range", item)
			}
			addr = addr.Unmap()
			out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("%q is not an IP address or CIDR range", item)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func applyLogLevel(c *Config, v string) error {
	switch strings.ToLower(v) {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		return fmt.Errorf("must be debug, info, warn or error")
	}
	return nil
}

func applyBackupInterval(c *Config, v string) error {
	d, err := time.ParseDuration(v)
	if v == "0" {
		d, err = 0, nil
	}
	if err != nil {
		return fmt.Errorf("must be a Go duration such as 24h or 30m, or 0 to turn scheduled backups off")
	}
	if d != 0 && d < 5*time.Minute {
		return fmt.Errorf("must be at least 5m (or 0 to turn scheduled backups off)")
	}
	c.BackupInterval = d
	return nil
}

func intIn(lo, hi int, set func(*Config, int)) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a whole number from %d to %d", lo, hi)
		}
		set(c, n)
		return nil
	}
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off", "":
		return false, nil
	}
	return false, fmt.Errorf("must be true or false")
}

func applyLinkedInBaseURL(c *Config, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("must be a site's address such as http://127.0.0.1:8089 (for tests and demos)")
	}
	c.LinkedInBaseURL = strings.TrimRight(v, "/")
	if !strings.HasSuffix(u.Hostname(), "linkedin.com") {
		c.Warnings = append(c.Warnings, "LINKEDIN_BASE_URL="+c.LinkedInBaseURL+": Parley talks to this test site instead of LinkedIn")
	}
	return nil
}
