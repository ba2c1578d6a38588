// Package desktop opens the dashboard in the user's default browser.
package desktop

import (
	"fmt"
	"net/url"
	"os/exec"
)

// OpenBrowser opens u in the default browser and does not wait for it.
func OpenBrowser(u string) error {
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") {
		return fmt.Errorf("desktop: refusing to open %q", u)
	}
	name, args := openCommand(parsed.String())
	if name == "" {
		return fmt.Errorf("desktop: no way to open a browser on this system")
	}
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("desktop: %s: %w", name, err)
	}
	go cmd.Wait()
	return nil
}
