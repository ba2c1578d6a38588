//go:build !linux

package storage

func lowIOPriority() func() { return func() {} }
