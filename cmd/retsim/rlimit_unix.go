//go:build unix

package main

import "syscall"

// addressSpaceLimit is the process's address space limit (ulimit -v) in
// bytes, if it has one.
func addressSpaceLimit() (float64, bool) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &rl); err != nil || rl.Cur == ^uint64(0) { // ^0 is RLIM_INFINITY
		return 0, false
	}
	return float64(rl.Cur), true
}
