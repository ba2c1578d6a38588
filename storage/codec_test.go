package storage

import (
	"strings"
	"testing"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	type rec struct {
		Name string `json:"name"`
		N    int    `json:"n"`
	}
	b, err := encode(3, rec{Name: "a", N: 7})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"v":3,"name":"a","n":7}`; got != want {
		t.Fatalf("encode = %s, want %s", got, want)
	}
	var r rec
	v, err := decode(b, 3, &r)
	if err != nil || v != 3 || r.Name != "a" || r.N != 7 {
		t.Fatalf("decode = %v %d %+v", err, v, r)
	}
	empty, _ := encode(1, struct{}{})
	if string(empty) != `{"v":1}` {
		t.Fatalf("empty object = %s", empty)
	}
}

func TestDecodeRefusesNewerAndMalformed(t *testing.T) {
	var r struct{}
	if _, err := decode([]byte(`{"v":5,"x":1}`), 4, &r); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("newer version: err = %v", err)
	}
	for _, in := range []string{``, `{}`, `{"v":`, `{"v":x}`, `{"v":0}`, `[1]`, `{"v":-1,"a":1}`} {
		if _, err := decode([]byte(in), 4, &r); err == nil {
			t.Errorf("decode(%q) accepted malformed input", in)
		}
	}
	if _, err := encode(1, []int{1}); err == nil {
		t.Fatal("encode accepted a non-object")
	}
}

func FuzzRecordVersion(f *testing.F) {
	f.Add([]byte(`{"v":1,"a":2}`))
	f.Add([]byte(`{"v":12}`))
	f.Add([]byte(`{"v":`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := recordVersion(data)
		if err == nil && v < 1 {
			t.Fatalf("accepted version %d", v)
		}
	})
}

func FuzzParseChecksumLine(f *testing.F) {
	f.Add("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  parley.db\n")
	f.Add("not a line")
	f.Add("")
	f.Fuzz(func(t *testing.T, line string) {
		sum, ok := parseChecksumLine(line)
		if ok && (len(sum) != 64 || strings.ToLower(sum) != sum) {
			t.Fatalf("accepted %q as %q", line, sum)
		}
	})
}

func FuzzDecodeAudit(f *testing.F) {
	f.Add([]byte(`{"v":1,"hash":"ab","rec":{"seq":1}}`))
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		decodeAudit(data) // must not panic on any stored bytes
	})
}
