//go:build !linux

package main

// The benchmarks read Linux's /proc and use Linux system calls.

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "bench: the benchmarks run on Linux only")
	os.Exit(1)
}
