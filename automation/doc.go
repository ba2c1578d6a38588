// Package automation will drive real Chromium sessions through
// playwright-go: driver and browser provisioning, one isolated browser
// context per LinkedIn account, the Site interface and its LinkedIn driver,
// selector packs, the canary and challenge detection. Parley stops an
// account and calls the human when LinkedIn pushes back; it never evades.
//
// The package is empty until the browser automation work lands; its place
// in the dependency graph is fixed now: it imports app/model only and
// reports through interfaces the runtime hands it.
package automation
