package automation

import "path/filepath"

var lookPathNames = []string{"chrome.exe", "msedge.exe"}

func systemBrowsers(getenv func(string) string) []string {
	var out []string
	for _, root := range []string{getenv("ProgramFiles"), getenv("ProgramFiles(x86)"), getenv("LocalAppData")} {
		if root == "" {
			continue
		}
		out = append(out,
			filepath.Join(root, "Google", "Chrome", "Application", "chrome.exe"),
			filepath.Join(root, "Microsoft", "Edge", "Application", "msedge.exe"),
			filepath.Join(root, "Chromium", "Application", "chrome.exe"))
	}
	return out
}
