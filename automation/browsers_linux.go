package automation

var lookPathNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge"}

func systemBrowsers(func(string) string) []string {
	return []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium", "/usr/bin/google-chrome", "/opt/google/chrome/chrome"}
}
