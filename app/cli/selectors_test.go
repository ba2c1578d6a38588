package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/app/config"
	"parley/automation/selectors"
)

// TestSelectorsExportAndCheck: export prints the built-in pack; check says
// which pack is used, and refuses a broken override with the reason.
func TestSelectorsExportAndCheck(t *testing.T) {
	root := t.TempDir()
	var out strings.Builder
	c := Context{Config: config.Config{Paths: config.Paths{Root: root}}, Stdout: &out}
	if err := Selectors(c, "export"); err != nil {
		t.Fatal(err)
	}
	if _, err := selectors.Parse([]byte(out.String())); err != nil {
		t.Fatalf("the exported pack does not parse: %v", err)
	}
	exported := out.String()

	out.Reset()
	if err := Selectors(c, "check"); err != nil || !strings.Contains(out.String(), "from the built-in pack") {
		t.Fatalf("check without an override: %q, %v", out.String(), err)
	}
	override := filepath.Join(root, selectors.FileName)
	os.WriteFile(override, []byte(exported), 0o600)
	out.Reset()
	if err := Selectors(c, "check"); err != nil || !strings.Contains(out.String(), override) {
		t.Fatalf("check with a copy of the pack: %q, %v", out.String(), err)
	}
	os.WriteFile(override, []byte(`{"version": 1, "elements": {"x": {"what": "x", "action": "invite", "strategies": [{"role": "buton", "names": {"en": "x"}}]}}}`), 0o600)
	err := Selectors(c, "check")
	if err == nil || !strings.Contains(err.Error(), `"buton" is not an ARIA role`) || !strings.Contains(err.Error(), "built-in selector pack") {
		t.Fatalf("check with a broken override: %v; want the reason and the fallback", err)
	}
}
