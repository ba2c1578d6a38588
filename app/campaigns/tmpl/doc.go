// Package tmpl reads, checks and fills in the texts of invite notes and
// messages.
//
// # Writing a template
//
// A template is plain text with variables in double curly braces. When a
// note or message is sent, each variable is replaced by the lead's value:
//
//	Hi {{first_name}}, I saw your work at {{company}}.
//
// A fallback after a | is used when the lead has no value for the field:
//
//	Hi {{first_name|there}}, how is everyone at {{company|your team}}?
//
// Spaces just inside the braces and around the | are ignored, so
// {{ first_name | there }} is the same as {{first_name|there}}; spaces
// inside the fallback ("your team") are kept. An empty fallback, as in
// {{title|}}, means "insert nothing". A value that is empty or only spaces
// counts as no value; spaces around a value are left out. Everything
// outside the braces is sent exactly as written.
//
// # Variables
//
// These fields every lead has: first_name, last_name, full_name (the full
// name, or first and last name together), company, title, location and
// email. Any other name refers to a custom field imported from a CSV
// column, such as {{industry}} or {{prénom}}. Names are made of letters,
// digits and _ (no spaces or dashes), and upper or lower case does not
// matter: {{First_Name}} is {{first_name}}.
//
// # Braces
//
// There is no way to escape braces. Every {{ starts a variable, so a {{
// without a matching }} is an error, and so is a fallback containing {{.
// A }} on its own, with no {{ before it, is ordinary text.
//
// # Length
//
// LinkedIn counts characters as Unicode code points: "é", "中" and "👋"
// are one character each, a flag such as "🇮🇹" is two and a family emoji
// "👨‍👩‍👧" is five; a Windows line break counts as one. An invite note may
// have at most 300 characters. Messages are limited by the
// messages.max_chars setting, 8000 unless changed.
package tmpl
