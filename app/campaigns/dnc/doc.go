// Package dnc holds the do-not-contact rules: how the value of a rule is
// written down, which leads a rule stops, and how rules go in and out of
// CSV files. It keeps nothing itself; storing the rules is the campaigns
// service's job.
//
// # Kinds of rule
//
// A profile rule stops one person. Give their LinkedIn profile URL in any
// form people copy it in (with or without https:// or www., with a country
// subdomain, a trailing slash or tracking parameters). It is stored as
// profile:jane-doe. A Sales Navigator lead URL is stored as
// sales_nav:<lead id> and stops the lead known by that Sales Navigator URL.
//
// A company rule stops everyone whose company has that name. Case, accents,
// punctuation, extra spaces and a legal form at the end of the name (Inc,
// LLC, Ltd, GmbH, S.p.A., Pty Ltd and the like) make no difference:
// "ACME, Inc." and "Acme" are the same company, "Acmeworks" is another. A
// hyphen or & counts as a space ("Coca-Cola" is "coca cola"); dots and
// apostrophes are dropped ("A.C.M.E." is "acme").
//
// A domain rule stops everyone whose e-mail address is at that domain or
// at a subdomain of it. acme.com, @acme.com, jane@acme.com and
// https://www.acme.com/about all give the rule acme.com, which stops
// jane@acme.com and joe@eu.acme.com but not ann@notacme.com. Domains with
// letters outside A to Z are stored as people read them (bücher.de); the
// xn-- form of the same domain is the same rule.
//
// A title rule stops everyone whose job title contains a word or phrase,
// as whole words, ignoring case and accents: "intern" stops "Marketing
// Intern" but not "International Sales", and "head of hr" stops "Head of
// HR, EMEA". A title keyword has at least 2 characters and at least one
// letter or digit.
//
// When a lead matches several rules, the one with the lowest id is the one
// reported, so the same lead always gives the same reason.
//
// # CSV files
//
// A rules file starts with a header row naming the columns kind, value and
// note, in any order and case; type may stand for kind and comment for
// note, and other columns are ignored. The kind is profile, company, domain
// or title. A file may also be a single column of LinkedIn profile URLs,
// e-mail addresses and domains, with no kind: each value's kind is
// recognised from its form, and an e-mail address blocks its whole domain.
// Company names and title keywords cannot be recognised on their own, so
// they need the kind column. The same holds for a row whose kind cell is
// left empty.
//
// Every row that cannot be used is listed with its line number and why.
// A row that repeats an earlier rule is listed as "same rule as line N",
// and the first one is kept. Rules written by WriteCSV read back as they
// were.
package dnc
