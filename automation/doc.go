// Package automation drives real Chromium sessions through playwright-go.
// Today it provisions the driver and finds a browser (Provision); the
// LinkedIn driver, per-account contexts, selector packs, the canary and
// challenge detection build on it. Parley stops an account and calls the
// human when LinkedIn pushes back; it never evades.
package automation
