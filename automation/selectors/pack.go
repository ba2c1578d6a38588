// Package selectors holds the selector pack: every element the LinkedIn
// driver looks for, each with several ways to find it, in order. The
// first strategies name an ARIA role and the element's accessible name in
// the languages LinkedIn's interface comes in; CSS comes last, because
// class names change most often. A pack is JSON, versioned, embedded in
// the binary (default.json) and overridable by a file in the data folder
// (selectors.json) without a rebuild, so a changed LinkedIn page is fixed
// by editing one file (docs/RUNBOOK.md).
package selectors

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Languages are the interface languages a pack names elements in, in the
// order they are tried after the account's own.
var Languages = []string{"en", "de", "fr", "es", "it", "pt", "nl"}

// FileName is the override file in the data folder.
const FileName = "selectors.json"

//go:embed default.json
var defaultPack []byte

// Pack is a versioned set of elements.
type Pack struct {
	// Version grows with every change; an override older than the
	// embedded pack is refused (it would undo fixes).
	Version int    `json:"version"`
	Name    string `json:"name"`
	// Elements by key ("profile.connect").
	Elements map[string]Element `json:"elements"`
}

// Element is one thing on a page and the ways to find it.
type Element struct {
	// What says in words what the element is (shown when it is missing).
	What string `json:"what"`
	// Action is the Site action that needs it (visit, invite, message,
	// withdraw, inbox, session); a missing element degrades only that
	// action.
	Action string `json:"action"`
	// Canary: the selector canary checks this element on its page.
	Canary bool `json:"canary,omitempty"`
	// Strategies, tried in order.
	Strategies []Strategy `json:"strategies"`
}

// Strategy is one way to find an element: a role with its accessible name
// per language (a pattern; {name} stands for the lead's name), or a CSS
// selector.
type Strategy struct {
	Role string `json:"role,omitempty"`
	// Names by language; each is a regular expression matched against the
	// whole accessible name, case-insensitively.
	Names map[string]string `json:"names,omitempty"`
	CSS   string            `json:"css,omitempty"`
}

// Source says where a loaded pack came from.
type Source struct {
	// Path is the override file, empty for the embedded pack.
	Path string
	// Warning explains why an override was not used.
	Warning string
}

// roles are the ARIA roles a pack may name.
var roles = []string{"button", "link", "dialog", "alertdialog", "textbox", "menuitem", "menu", "heading", "main", "navigation",
	"list", "listitem", "article", "img", "region", "alert", "status", "combobox", "checkbox", "tab", "form", "group"}

// placeholder is the one variable a name pattern may use.
var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// Default returns the embedded pack.
func Default() (*Pack, error) { return Parse(defaultPack) }

// Parse reads and validates a pack.
func Parse(b []byte) (*Pack, error) {
	var p Pack
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("not a selector pack: %w", err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Validate checks every element and strategy and says what is wrong with
// the first bad one.
func (p *Pack) Validate() error {
	if p.Version < 1 {
		return errors.New(`"version" must be a positive number`)
	}
	if len(p.Elements) == 0 {
		return errors.New("the pack has no elements")
	}
	for _, key := range p.Keys() {
		el := p.Elements[key]
		if el.What == "" || el.Action == "" {
			return fmt.Errorf("element %q needs \"what\" and \"action\"", key)
		}
		if len(el.Strategies) == 0 {
			return fmt.Errorf("element %q has no strategies", key)
		}
		for i, s := range el.Strategies {
			if err := s.validate(); err != nil {
				return fmt.Errorf("element %q, strategy %d: %w", key, i+1, err)
			}
		}
	}
	return nil
}

func (s Strategy) validate() error {
	switch {
	case s.Role != "" && s.CSS != "":
		return errors.New(`give either "role" (with "names") or "css", not both`)
	case s.CSS != "":
		if len(s.Names) > 0 {
			return errors.New(`"names" belong to a "role" strategy`)
		}
		return nil
	case s.Role == "":
		return errors.New(`give "role" (with "names") or "css"`)
	}
	if !slices.Contains(roles, s.Role) {
		return fmt.Errorf("%q is not an ARIA role this driver knows (%s)", s.Role, strings.Join(roles, ", "))
	}
	if _, ok := s.Names["en"]; !ok {
		return errors.New(`a role strategy needs at least an English name ("en")`)
	}
	for lang, name := range s.Names {
		if !slices.Contains(Languages, lang) {
			return fmt.Errorf("%q is not one of the languages %s", lang, strings.Join(Languages, ", "))
		}
		if name == "" {
			return fmt.Errorf("the %s name is empty", lang)
		}
		for _, ph := range placeholder.FindAllString(name, -1) {
			if ph != "{name}" {
				return fmt.Errorf("the %s name uses %s; only {name} is known", lang, ph)
			}
		}
		if _, err := regexp.Compile(placeholder.ReplaceAllString(name, "x")); err != nil {
			return fmt.Errorf("the %s name %q is not a valid pattern: %v", lang, name, err)
		}
	}
	return nil
}

// Keys lists the element keys in order.
func (p *Pack) Keys() []string {
	keys := make([]string, 0, len(p.Elements))
	for k := range p.Elements {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Element returns an element by key.
func (p *Pack) Element(key string) (Element, bool) {
	el, ok := p.Elements[key]
	return el, ok
}

// Load returns the pack to use: the override file in dir when there is a
// valid one no older than the embedded pack, else the embedded pack, with
// a warning that says why the override was not used.
func Load(dir string) (*Pack, Source, error) {
	def, err := Default()
	if err != nil {
		return nil, Source{}, fmt.Errorf("the embedded selector pack is invalid: %w", err)
	}
	p, src := load(dir, def)
	return p, src, nil
}

func load(dir string, def *Pack) (*Pack, Source) {
	if dir == "" {
		return def, Source{}
	}
	path := dir + string(os.PathSeparator) + FileName
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return def, Source{}
	}
	if err != nil {
		return def, Source{Warning: fmt.Sprintf("%s cannot be read (%v); using the built-in selector pack", path, err)}
	}
	over, err := Parse(b)
	if err != nil {
		return def, Source{Warning: fmt.Sprintf("%s is not used: %v; fix it or delete it to use the built-in selector pack", path, err)}
	}
	if over.Version < def.Version {
		return def, Source{Warning: fmt.Sprintf("%s is version %d, older than the built-in pack (version %d); it is not used: delete it, or copy the built-in pack (parley selectors export) and edit that", path, over.Version, def.Version)}
	}
	return over, Source{Path: path}
}

// Selectors returns the element's strategies as playwright selectors, in
// the order to try them: each role strategy in the account's language
// first, then the others, then CSS. name fills {name} (quoted as a
// literal); an empty name matches any.
func (el Element) Selectors(lang, name string) []string {
	order := append([]string{lang}, Languages...)
	var out []string
	for _, s := range el.Strategies {
		if s.CSS != "" {
			out = append(out, "css="+s.CSS)
			continue
		}
		seen := map[string]bool{}
		for _, l := range order {
			pattern, ok := s.Names[l]
			if !ok || seen[pattern] {
				continue
			}
			seen[pattern] = true
			fill := ".*"
			if name != "" {
				fill = regexp.QuoteMeta(name)
			}
			re := strings.ReplaceAll(pattern, "{name}", fill)
			out = append(out, fmt.Sprintf("role=%s[name=/^(?:%s)$/i]", s.Role, jsRegexBody(re)))
		}
	}
	return out
}

// jsRegexBody escapes the slashes of a pattern for a /…/ literal.
func jsRegexBody(re string) string { return strings.ReplaceAll(re, "/", `\/`) }

// Export returns the embedded pack, for editing into an override.
func Export() []byte { return append([]byte(nil), defaultPack...) }
