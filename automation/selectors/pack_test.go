package selectors

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestDefaultPackIsValid(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range p.Keys() {
		el := p.Elements[key]
		if len(el.Selectors("en", "Ada Lovelace")) == 0 {
			t.Errorf("%s yields no selector", key)
		}
	}
}

func TestParseRefusesBadPacksWithTheReason(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{`, "not a selector pack"},
		{`{"version":1,"elements":{},"extra":1}`, "unknown field"},
		{`{"version":0,"elements":{"a":{}}}`, "positive"},
		{`{"version":1,"elements":{}}`, "no elements"},
		{`{"version":1,"elements":{"a":{"what":"x","action":"invite"}}}`, `"a" has no strategies`},
		{`{"version":1,"elements":{"a":{"what":"x","strategies":[{"css":"b"}]}}}`, `needs "what" and "action"`},
		{`{"version":1,"elements":{"a":{"what":"x","action":"invite","strategies":[{"role":"buton","names":{"en":"x"}}]}}}`, "not an ARIA role"},
		{`{"version":1,"elements":{"a":{"what":"x","action":"invite","strategies":[{"role":"button","names":{"de":"x"}}]}}}`, "English name"},
		{`{"version":1,"elements":{"a":{"what":"x","action":"invite","strategies":[{"role":"button","names":{"en":"x","xx":"y"}}]}}}`, "not one of the languages"},
		{`{"version":1,"elements":{"a":{"what":"x","action":"invite","strategies":[{"role":"button","names":{"en":"Hi {first}"}}]}}}`, "only {name}"},
		{`{"version":1,"elements":{"a":{"what":"x","action":"invite","strategies":[{"role":"button","names":{"en":"(x"}}]}}}`, "not a valid pattern"},
		{`{"version":1,"elements":{"a":{"what":"x","action":"invite","strategies":[{"role":"button","css":"b","names":{"en":"x"}}]}}}`, "not both"},
		{`{"version":1,"elements":{"a":{"what":"x","action":"invite","strategies":[{}]}}}`, `give "role"`},
	} {
		_, err := Parse([]byte(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want an error containing %q", c.json, err, c.want)
		}
	}
}

// TestSelectorsOrder: the account's language first, then the others,
// then CSS; the lead's name is a literal, not a pattern.
func TestSelectorsOrder(t *testing.T) {
	el := Element{What: "x", Action: "invite", Strategies: []Strategy{
		{Role: "button", Names: map[string]string{"en": "Invite {name} to connect", "de": "{name} einladen", "fr": "Inviter {name}"}},
		{CSS: "button.connect"},
	}}
	got := el.Selectors("de", "A. (Ada) Lovelace/Byron")
	want := []string{
		`role=button[name=/^(?:A\. \(Ada\) Lovelace\/Byron einladen)$/i]`,
		`role=button[name=/^(?:Invite A\. \(Ada\) Lovelace\/Byron to connect)$/i]`,
		`role=button[name=/^(?:Inviter A\. \(Ada\) Lovelace\/Byron)$/i]`,
		`css=button.connect`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("selectors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The patterns, as Go reads them, match what they should.
	body := regexp.MustCompile(`name=/(.*)/i\]`).FindStringSubmatch(got[1])[1]
	re := regexp.MustCompile("(?i)" + strings.ReplaceAll(body, `\/`, "/"))
	if !re.MatchString("Invite A. (Ada) Lovelace/Byron to connect") || re.MatchString("Invite Someone to connect") {
		t.Errorf("pattern %s matches the wrong names", re)
	}
	if any := el.Selectors("en", ""); !strings.Contains(any[0], "Invite .* to connect") {
		t.Errorf("no name: %s; want any name", any[0])
	}
}

func TestLoadOverride(t *testing.T) {
	dir := t.TempDir()
	def, _ := Default()
	p, src, err := Load(dir)
	if err != nil || p.Version != def.Version || src.Path != "" || src.Warning != "" {
		t.Fatalf("no override: %v %+v %v", p.Version, src, err)
	}
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, FileName), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	newer := strings.Replace(string(Export()), fmt.Sprintf(`"version": %d`, def.Version), `"version": 99`, 1)
	newer = strings.Replace(newer, "Invite {name} to connect", "Invite {name} to join", 1)
	write(newer)
	p, src, err = Load(dir)
	if err != nil || p.Version != 99 || src.Path == "" || !strings.Contains(p.Elements["profile.connect"].Strategies[0].Names["en"], "join") {
		t.Fatalf("a valid newer override was not used: %+v %v", src, err)
	}
	write(`{"version": 99, "elements": {}}`)
	p, src, _ = Load(dir)
	if p.Version != def.Version || !strings.Contains(src.Warning, "no elements") || !strings.Contains(src.Warning, "built-in") {
		t.Fatalf("an invalid override: %+v; want the built-in pack and why", src)
	}
	// An override older than the built-in pack would undo its fixes.
	write(newer) // version 99
	newerDefault := *def
	newerDefault.Version = 100
	p, src = load(dir, &newerDefault)
	if p.Version != 100 || !strings.Contains(src.Warning, "older than the built-in pack") {
		t.Fatalf("an older override: %+v; want the built-in pack and why", src)
	}
}
