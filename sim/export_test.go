package sim

import "unsafe"

// CustomerBytes is the size of one live customer's state.
const CustomerBytes = unsafe.Sizeof(customer{})

// Exp is the engine's exponential (see exp), for BenchmarkGivingFloor.
func Exp(x float64) float64 { return exp(x) }
