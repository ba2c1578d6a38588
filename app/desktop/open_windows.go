package desktop

// rundll32 hands the URL to the registered protocol handler without a
// console window and without cmd.exe interpreting & in the URL.
func openCommand(u string) (string, []string) {
	return "rundll32", []string{"url.dll,FileProtocolHandler", u}
}
