package sim

import "math"

// exp returns e^x to within 1e-11 relative: the churn hazard needs one per
// customer-month, and its inputs (base churn and goodwill, float32) are
// known to 6e-8 only, so math.Exp's last bits buy nothing. exp is plain Go,
// without calls, cheap enough for the compiler to inline into the period
// step (where math.Exp is an assembly call, and a call makes the step save
// and reload its sums), and its chain of dependent operations is short: the
// period step is limited by how long each customer's chain of operations
// takes, as much as by their number.
//
// It is a table-driven method (Tang 1989) with a larger table and a shorter
// polynomial: x = (1024m + j) ln2/1024 + r with |r| <= ln2/2048, so
// e^x = 2^m x 2^m x 2^(j/1024) x e^r, with 2^(j/1024) from a table and
// e^r = 1 + r + r^2/2 (remainder below r^3/6 < 7e-12; the reduction's
// rounding adds below 1e-13 at |x| = 746). x is first clamped to
// [-746, 710], beyond which e^x rounds to 0 or overflows, so that 2^m is a
// normal number; multiplying by it twice rounds once, at the end, where
// the result is subnormal or infinite.
func exp(x float64) float64 {
	const round = 0x1.8p52 // adding it rounds a float64 below 2^51 to an integer
	if x < -746 {
		x = -746
	}
	if x > 710 {
		x = 710
	}
	k := x*(1024/math.Ln2) + round - round
	r := x - k*(math.Ln2/1024)
	s := math.Float64frombits(uint64(int64(k)>>11+1023) << 52) // 2^m
	return exp2Table[int64(k)&2047] * ((1 + r) + (r*r)*0.5) * s * s
}

// exp2Table[j] is 2^(j/1024): math.Exp2's value for j < 1024, twice the
// entry j - 1024 above.
var exp2Table = func() (t [2048]float64) {
	for j := range 1024 {
		t[j] = math.Exp2(float64(j) / 1024)
		t[j+1024] = 2 * t[j]
	}
	return t
}()
