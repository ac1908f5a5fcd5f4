//go:build !unix

package main

// addressSpaceLimit reports no address space limit where the system has
// none to ask.
func addressSpaceLimit() (float64, bool) { return 0, false }
