//go:build !race

package experiment

// raceEnabled reports whether the tests run under the race detector, which
// slows the engine some twentyfold.
const raceEnabled = false
