package web

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestEveryRouteIsDocumented: docs/API.md names every route of the router
// (path parameters written {id}), so scripts can rely on the document.
func TestEveryRouteIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	param := regexp.MustCompile(`:([a-z]+)`)
	for key := range f.srv.RoutePerms() {
		_, path, _ := strings.Cut(key, " ")
		if path == "/assets/*" || path == "/favicon.ico" {
			continue // static files
		}
		if want := param.ReplaceAllString(path, "{$1}"); !strings.Contains(string(doc), want) {
			t.Errorf("docs/API.md does not mention %s (%s)", want, key)
		}
	}
}
