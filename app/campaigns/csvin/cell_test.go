package csvin

import (
	"slices"
	"testing"
)

func TestCleanCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "",
		"  Ann  ":                "Ann",
		"\u00a0Acme\u00a0":       "Acme",
		"\uFEFFEd":               "Ed",
		"Ed\uFEFF":               "Ed",
		"A\x00c\x00me":           "Acme",
		"a\r\nb\rc\nd":           "a\nb\nc\nd",
		"line\vbreak":            "line\nbreak",
		"bell\a and\x1b esc\x7f": "bell and esc",
		"tab\tinside":            "tab\tinside",
		"C1\u0085\u0090":         "C1",
		"José":                   "José",
		"Jos\xe9":                "José",     // a Windows-1252 byte in a UTF-8 file
		"\x80 5 Caf\xe9":         "€ 5 Café", // ditto
		"Zoë \xe9":               "Zoë é",    // valid UTF-8 kept, stray byte decoded
		"🚀 launch":               "🚀 launch",
	} {
		if got := cleanCell(in); got != want {
			t.Errorf("cleanCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]bool{
		"":                               true,
		"Ann":                            true,
		"ann@example.com":                true,
		"Head of Sales - EMEA":           true,
		"=HYPERLINK(\"http://x\",\"a\")": false,
		"=1+1":                           false,
		"+cmd|' /C calc'!A0":             false,
		"-2+3":                           false,
		"@SUM(1+1)":                      false,
		"\t=1":                           false,
		"\r=1":                           false,
		"\tplain":                        false, // a leading tab alone is enough
		"  =1+1":                         false,
		"\n@x":                           false,
		"+44 20 7946 0000":               false, // a phone number is read as arithmetic
		"-":                              false,
		"-12.5":                          true,
		"+3":                             true,
		"-.5":                            true,
		"1-2":                            true,
		"a=b":                            true,
		"   ":                            true,
	} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestNeutraliseCell(t *testing.T) {
	for in, want := range map[string]string{
		"Ann":       "Ann",
		"=1+1":      "'=1+1",
		"@SUM(A1)":  "'@SUM(A1)",
		"\t=cmd":    "'\t=cmd",
		"-12.5":     "-12.5",
		"'=already": "'=already",
	} {
		got := NeutraliseCell(in)
		if got != want {
			t.Errorf("NeutraliseCell(%q) = %q, want %q", in, got, want)
		}
		if !SafeCell(got) {
			t.Errorf("NeutraliseCell(%q) = %q is still unsafe", in, got)
		}
	}
}

func TestSplitTags(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{" , ;| ", nil},
		{"vip", []string{"vip"}},
		{"vip, warm;Enterprise|  cold  ", []string{"vip", "warm", "Enterprise", "cold"}},
		{"VIP,vip,Vip ,warm,,WARM", []string{"VIP", "warm"}},
		{"Q3 webinar; Q3 Webinar", []string{"Q3 webinar"}},
		{"Öl;öl", []string{"Öl"}},
	} {
		if got := SplitTags(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SplitTags(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
