// Package assets embeds the dashboard's static files and serves them under
// content-hashed URLs (/assets/<hash>/<name>) with immutable caching, so a
// new build never meets a stale cached file.
package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed app.css app.js icon.svg vendor/*.js
var embedded embed.FS

// Prefix is where assets are served.
const Prefix = "/assets/"

type file struct {
	name  string
	hash  string
	data  []byte
	ctype string
}

// Set is the immutable table of embedded assets.
type Set struct {
	files map[string]*file
}

// Load reads and hashes every embedded file.
func Load() (*Set, error) {
	s := &Set{files: map[string]*file{}}
	err := fs.WalkDir(embedded, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := embedded.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ctype := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".js":
			ctype = "text/javascript; charset=utf-8"
		case ".css":
			ctype = "text/css; charset=utf-8"
		case ".svg":
			ctype = "image/svg+xml"
		}
		s.files[p] = &file{name: p, hash: hex.EncodeToString(sum[:6]), data: data, ctype: ctype}
		return nil
	})
	return s, err
}

// URL returns the content-hashed URL of an asset, e.g.
// /assets/3f2a9c01d4e5/app.css. It panics on an unknown name: a template
// naming a missing file is a programming error caught by every test.
func (s *Set) URL(name string) string {
	f, ok := s.files[name]
	if !ok {
		panic("assets: unknown file " + name)
	}
	return Prefix + f.hash + "/" + name
}

// ServeHTTP serves /assets/<hash>/<name>. A current hash gets a year of
// immutable caching; an outdated hash gets the current file uncached.
func (s *Set) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, Prefix)
	hash, name, ok := strings.Cut(rest, "/")
	f, found := s.files[name]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Content-Length", strconv.Itoa(len(f.data)))
	h.Set("ETag", `"`+f.hash+`"`)
	if hash == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == `"`+f.hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if r.Method == http.MethodHead {
		return
	}
	w.Write(f.data)
}
