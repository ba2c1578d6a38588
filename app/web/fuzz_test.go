package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"parley/app/model"
)

// FuzzLoginJSON: any body gives either a login request or a client error
// (never a panic, never an internal error).
func FuzzLoginJSON(f *testing.F) {
	for _, s := range []string{`{"username":"a","password":"b"}`, `{"username":`, `[]`, `{"x":1}`, `{"username":"a"}{}`, "\x00", `{"password":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req loginRequest
		err := decodeJSONBody(bytes.NewReader(body), &req)
		if err == nil {
			return
		}
		var he *echo.HTTPError
		if model.ErrorCode(err) != model.CodeInvalid && !errorsAs(err, &he) {
			t.Fatalf("body %q: uncoded error %v", body, err)
		}
	})
}

// FuzzSafeNext: a post-login redirect always stays on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/backups", "//evil", "https://evil", "/\\evil", "/a?b=c", "", "javascript:x", "/login"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\\r\n") {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
	})
}

func errorsAs(err error, he **echo.HTTPError) bool {
	e, ok := err.(*echo.HTTPError)
	*he = e
	return ok
}
