//go:build race

package main

// raceEnabled reports whether the tests run under the race detector. The
// tests that run the whole command line many times over (byte-for-byte
// comparisons of outputs, the browser, memory limits) skip under it and
// run in make test's second pass, without it (see skipUnderRace).
const raceEnabled = true
