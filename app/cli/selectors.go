package cli

import (
	"errors"
	"fmt"

	"parley/automation/selectors"
)

// Selectors prints the built-in selector pack (export) or says which pack
// Parley uses and why an override in the data directory is refused
// (check; an error then).
func Selectors(c Context, action string) error {
	if action == "export" {
		_, err := c.Stdout.Write(selectors.Export())
		return err
	}
	p, src, err := selectors.Load(c.Config.Paths.Root)
	if err != nil {
		return err
	}
	if src.Warning != "" {
		return errors.New(src.Warning)
	}
	where := "the built-in pack"
	if src.Path != "" {
		where = src.Path
	}
	fmt.Fprintf(c.Stdout, "Selector pack %q version %d from %s: %d elements, all valid.\n", p.Name, p.Version, where, len(p.Elements))
	return nil
}
