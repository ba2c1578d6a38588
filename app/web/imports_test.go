package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parley/app/model"
	"parley/app/security"
)

func multipartBody(t *testing.T, file string, content []byte, fields map[string]string) (string, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if file != "" {
		fw, _ := w.CreateFormFile("file", file)
		fw.Write(content)
	}
	w.Close()
	return buf.String(), w.FormDataContentType()
}

var tokenRe = regexp.MustCompile(`name="upload" value="([0-9a-f]{32})"`)

func TestImportFlowThroughTheUI(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	csv := "Person,Full Name,Company,Notes\n" +
		"linkedin.com/in/ada,Ada Lovelace,Engines,=HYPERLINK(A1)\n" +
		"linkedin.com/in/grace,Grace Hopper,Navy,compilers\n" +
		"linkedin.com/company/acme,Acme,Acme,\n"
	body, ctype := multipartBody(t, "people.csv", []byte(csv), map[string]string{"list": "Pioneers", "duplicates": "skip"})
	rec := f.do(req{method: http.MethodPost, path: "/leads/import", session: true, body: body, header: map[string]string{"Content-Type": ctype}})
	page := rec.Body.String()
	m := tokenRe.FindStringSubmatch(page)
	if rec.Code != 200 || m == nil || !strings.Contains(page, "comma-separated") || !strings.Contains(page, "Ada Lovelace") {
		t.Fatalf("mapping step = %d\n%s", rec.Code, page)
	}
	token := m[1]
	// "Person" is not a known header: the mapping has no URL column until
	// the person picks one.
	form := url.Values{"upload": {token}, "file": {"people.csv"}, "list": {"Pioneers"}, "duplicates": {"skip"},
		"map_0": {"custom:person"}, "map_1": {"full_name"}, "map_2": {"company"}, "map_3": {"custom:notes"}}
	rec = f.do(req{method: http.MethodPost, path: "/leads/import/start", session: true, body: form.Encode()})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "no column holds LinkedIn profile URLs") {
		t.Fatalf("no URL column = %d", rec.Code)
	}
	form.Set("map_0", "password")
	if rec := f.do(req{method: http.MethodPost, path: "/leads/import/start", session: true, body: form.Encode()}); rec.Code != 400 {
		t.Fatalf("unknown field = %d", rec.Code)
	}
	form.Set("map_0", "profile_url")
	rec = f.do(req{method: http.MethodPost, path: "/leads/import/start", session: true, body: form.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/imports/1" {
		t.Fatalf("start = %d %s", rec.Code, rec.Body)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		run, _ := f.srv.o.Campaigns.ImportRun(1)
		if run.Status != model.ImportRunning {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("import did not finish")
		}
		time.Sleep(10 * time.Millisecond)
	}
	page = f.do(req{path: "/imports/1", session: true}).Body.String()
	for _, want := range []string{"Import #1", "people.csv", "Pioneers", "formula", "company page", "Download them as CSV", "/leads?list=1"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	rec = f.do(req{path: "/imports/1/rejects.csv", session: true})
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") || !strings.Contains(rec.Body.String(), "line,outcome,reason,profile") {
		t.Fatalf("rejects.csv = %d %s", rec.Code, rec.Body)
	}
	if body := f.do(req{path: "/leads?list=1", session: true}).Body.String(); !strings.Contains(body, "Grace Hopper") || strings.Contains(body, "Ada Lovelace") {
		t.Fatal("imported leads not listed")
	}
	if body := f.do(req{path: "/leads/import", session: true}).Body.String(); !strings.Contains(body, "Recent imports") {
		t.Fatal("recent imports not listed")
	}
	// The upload was consumed.
	if rec := f.do(req{method: http.MethodPost, path: "/leads/import/start", session: true, body: form.Encode()}); rec.Code != 404 || !strings.Contains(rec.Body.String(), "upload the file again") {
		t.Fatalf("reused upload = %d", rec.Code)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/imports/1/cancel", session: true}); rec.Code != http.StatusSeeOther {
		t.Fatalf("cancel finished import = %d", rec.Code)
	}
	// The progress stream of a finished import sends the result and ends.
	if rec := f.do(req{path: "/imports/1/events", session: true}); !strings.Contains(rec.Body.String(), "event: done") {
		t.Fatalf("events = %s", rec.Body)
	}
}

func TestImportUploadRefusals(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	body, ctype := multipartBody(t, "", nil, map[string]string{"list": "x"})
	if rec := f.do(req{method: http.MethodPost, path: "/leads/import", session: true, body: body, header: map[string]string{"Content-Type": ctype}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "Choose a CSV file") {
		t.Fatalf("no file = %d", rec.Code)
	}
	for name, content := range map[string][]byte{"image.png": {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0}, "empty.csv": nil} {
		body, ctype := multipartBody(t, name, content, map[string]string{"list": "x"})
		rec := f.do(req{method: http.MethodPost, path: "/leads/import", session: true, body: body, header: map[string]string{"Content-Type": ctype}})
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "Import leads from CSV") {
			t.Errorf("%s = %d", name, rec.Code)
		}
	}
	// Without the CSRF token a cross-site upload is refused before parsing.
	body, ctype = multipartBody(t, "a.csv", []byte("url\nlinkedin.com/in/x\n"), nil)
	rec := f.do(req{method: http.MethodPost, path: "/leads/import", session: true, body: body, header: map[string]string{"Content-Type": ctype, "X-CSRF-Token": "", "Sec-Fetch-Site": "cross-site"}})
	if rec.Code != 403 {
		t.Fatalf("cross-site upload = %d", rec.Code)
	}
	if rec := f.do(req{path: "/imports/42", session: true}); rec.Code != 404 {
		t.Fatalf("missing import = %d", rec.Code)
	}
}

func TestImportAPI(t *testing.T) {
	f := newFixture(t)
	ctl, _, _ := f.sec.CreateAPIKey("c", model.ScopeControl, "cli", security.Meta{})
	auth := map[string]string{"Authorization": "Bearer " + ctl, "Content-Type": "text/csv"}
	csv := "LinkedIn,Name\nlinkedin.com/in/a,A\nlinkedin.com/in/b,B\nnot a url,C\n"
	rec := f.do(req{method: http.MethodPost, path: "/api/v1/imports?list=API&wait=1", body: csv, header: auth})
	var run model.ImportRun
	json.Unmarshal(rec.Body.Bytes(), &run)
	if rec.Code != 200 || run.Status != model.ImportDone || run.Imported != 2 || run.Rejected != 1 || run.ListName != "API" {
		t.Fatalf("import = %d %s", rec.Code, rec.Body)
	}
	rec = f.do(req{method: http.MethodPost, path: "/api/v1/imports?mapping=profile_url,full_name", body: "x,y\nlinkedin.com/in/c,C\n", header: auth})
	if rec.Code != 202 || rec.Header().Get("Location") == "" {
		t.Fatalf("async import = %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/imports", body: "Name\nA\n", header: auth}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "profile") {
		t.Fatalf("no URL column = %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(req{path: "/api/v1/imports/1/rejects.csv", header: map[string]string{"Authorization": "Bearer " + ctl}}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "not a url") {
		t.Fatalf("rejects = %s", rec.Body)
	}
	if rec := f.do(req{path: "/api/v1/imports", header: map[string]string{"Authorization": "Bearer " + ctl}}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"list":"API"`) {
		t.Fatalf("list = %s", rec.Body)
	}
}
