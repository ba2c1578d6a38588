package desktop

func openCommand(u string) (string, []string) { return "open", []string{u} }
