package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"parley/app/control"
	"parley/app/model"
	"parley/app/security"
	"parley/storage"
)

// AdminArgs are the options of parley admin ACTION.
type AdminArgs struct {
	Action        string
	User          string
	IP            string
	Name          string
	Scope         string
	PasswordStdin bool
	Stdin         io.Reader
	Stderr        io.Writer
}

// Admin runs parley admin set-password | create-api-key | unlock, through
// the running instance when there is one, else on the database directly.
// Every action is audited with actor "cli".
func Admin(ctx context.Context, c Context, a AdminArgs) error {
	var password string
	switch a.Action {
	case "set-password":
		if a.User == "" {
			return errors.New("admin set-password needs --user NAME")
		}
		if !a.PasswordStdin {
			return errors.New("admin set-password reads the password from standard input: add --password-stdin (e.g. echo 'a long password' | parley admin set-password --user admin --password-stdin)")
		}
		pw, err := readPassword(a.Stdin, a.Stderr)
		if err != nil {
			return err
		}
		password = pw
	case "create-api-key":
		if a.Name == "" || (a.Scope != model.ScopeRead && a.Scope != model.ScopeControl) {
			return errors.New("admin create-api-key needs --name NAME and --scope read|control")
		}
	case "unlock":
		if a.User == "" && a.IP == "" {
			return errors.New("admin unlock needs --user NAME and/or --ip ADDRESS")
		}
	default:
		return fmt.Errorf("unknown admin action %q: use set-password, create-api-key or unlock", a.Action)
	}

	p := c.Config.Paths
	store, err := storage.Open(storage.Options{Path: p.DB(), Logger: c.Logger, SnapshotDir: p.Backups(), AppVersion: c.Version})
	if errors.Is(err, storage.ErrLocked) {
		client, cerr := control.Connect(ctx, p)
		if cerr != nil {
			return fmt.Errorf("the database is in use by another process and no running Parley answers for %s", p.Root)
		}
		return adminRemote(ctx, c, client, a, password)
	}
	if err != nil {
		return fmt.Errorf("cannot open the database: %v", err)
	}
	defer store.Close()
	sec := security.New(security.Options{Store: store, Logger: c.Logger})
	return adminLocal(c, sec, a, password)
}

func adminLocal(c Context, sec *security.Service, a AdminArgs, password string) error {
	m := security.Meta{PeerIP: "local"}
	switch a.Action {
	case "set-password":
		if err := sec.SetPassword(a.User, password, model.ActorCLI, m); err != nil {
			return publicError(err)
		}
		fmt.Fprintf(c.Stdout, "Password set for %s. Every session of that user is signed out.\n", a.User)
	case "create-api-key":
		secret, _, err := sec.CreateAPIKey(a.Name, a.Scope, model.ActorCLI, m)
		if err != nil {
			return publicError(err)
		}
		fmt.Fprintln(c.Stdout, secret)
	case "unlock":
		if err := sec.Unlock(a.User, a.IP, model.ActorCLI, m); err != nil {
			return publicError(err)
		}
		fmt.Fprintln(c.Stdout, "Unlocked.")
	}
	return nil
}

func adminRemote(ctx context.Context, c Context, client *control.Client, a AdminArgs, password string) error {
	switch a.Action {
	case "set-password":
		if err := client.SetPassword(ctx, a.User, password); err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, "Password set for %s. Every session of that user is signed out.\n", a.User)
	case "create-api-key":
		res, err := client.CreateAPIKey(ctx, a.Name, a.Scope)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.Stdout, res.Key)
	case "unlock":
		if err := client.Unlock(ctx, a.User, a.IP); err != nil {
			return err
		}
		fmt.Fprintln(c.Stdout, "Unlocked.")
	}
	return nil
}

// readPassword takes the password from standard input: without echo when
// it is a terminal, else the first line of the pipe (its line ending
// removed, nothing else: spaces are part of a password).
func readPassword(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(prompt, "New password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("reading the password: %v", err)
		}
		return string(b), nil
	}
	if in == nil {
		return "", errors.New("no standard input to read the password from")
	}
	line, err := bufio.NewReader(io.LimitReader(in, 64<<10)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password: %v", err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if line == "" {
		return "", errors.New("standard input was empty: pipe the password in, e.g. echo 'a long password' | parley admin set-password --user admin --password-stdin")
	}
	return line, nil
}

func publicError(err error) error {
	if model.ErrorCode(err) == model.CodeInternal {
		return err
	}
	return errors.New(model.PublicMessage(err))
}
