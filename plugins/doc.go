// Package plugins will run sandboxed JavaScript plugins (goja) with only
// the host API their manifest's permissions grant: no file system, network
// or process access of their own. Nothing is loaded until that work lands.
package plugins
