package storage

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// Linux I/O priority: class in the top 3 bits of a 16-bit value.
const (
	ioprioClassShift = 13
	ioprioClassBE    = 2
	ioprioWhoProcess = 1
)

// lowIOPriority pins the calling goroutine to its thread and gives that
// thread the lowest best-effort I/O priority, so the disk scheduler serves
// the commits' fsyncs before a snapshot's writes. The returned function
// restores the priority and unpins. (mq-deadline and BFQ honour it; other
// schedulers ignore it.)
func lowIOPriority() func() {
	runtime.LockOSThread()
	old, _, err := unix.Syscall(unix.SYS_IOPRIO_GET, ioprioWhoProcess, 0, 0)
	if err != 0 {
		runtime.UnlockOSThread()
		return func() {}
	}
	unix.Syscall(unix.SYS_IOPRIO_SET, ioprioWhoProcess, 0, ioprioClassBE<<ioprioClassShift|7)
	return func() {
		unix.Syscall(unix.SYS_IOPRIO_SET, ioprioWhoProcess, 0, old)
		runtime.UnlockOSThread()
	}
}
