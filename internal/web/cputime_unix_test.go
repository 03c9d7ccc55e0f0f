//go:build unix

package web

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system; -1 if
// it cannot be known.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
