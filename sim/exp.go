package sim

import "math"

// exp returns e^x to within 2e-13 relative: the churn hazard needs one per
// customer-month, and its inputs (base churn and goodwill, float32) are
// known to 6e-8 only, so math.Exp's last bits buy nothing; exp is plain Go,
// a short chain of multiplications without calls, cheap enough
// for the compiler to inline into the period step, where math.Exp is an
// assembly call (and a call makes the step save and reload its sums).
//
// It is Tang's table-driven method (Tang 1989): x = (512m + j) ln2/256 + r
// with |r| <= ln2/512 (ln 2 split in two so that the reduction is exact),
// so e^x = 2^m x 2^m x 2^(j/256) x e^r, with 2^(j/256) from a table and e^r
// from its Taylor series to r^3 (remainder below 1.5e-13). x is first
// clamped to [-746, 710], beyond which e^x rounds to 0 or overflows, so
// that 2^m is a normal number; multiplying by it twice rounds once, at the
// end, where the result is subnormal or infinite.
func exp(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01 / 256 // the high bits of ln2/256: k x ln2Hi is exact for |k| < 2^21
		ln2Lo = 1.90821492927058770002e-10 / 256 // ln2/256 - ln2Hi
		round = 0x1.8p52                         // adding it rounds a float64 below 2^51 to an integer
	)
	// A comparison takes fewer instructions than max, which must handle
	// NaN and signed zeros; min costs the inliner less: with two
	// comparisons exp would be too costly to inline.
	if x < -746 {
		x = -746
	}
	x = min(x, 710)
	k := x*(256/math.Ln2) + round - round
	r := (x - k*ln2Hi) - k*ln2Lo
	s := math.Float64frombits(uint64(int64(k)>>9+1023) << 52) // 2^m
	return exp2Table[int64(k)&511] * ((1 + r) + (r*r)*(1.0/2+r*(1.0/6))) * s * s
}

// exp2Table[j] is 2^(j/256): math.Exp2's value for j < 256, twice the
// entry j - 256 above.
var exp2Table = func() (t [512]float64) {
	for j := range 256 {
		t[j] = math.Exp2(float64(j) / 256)
		t[j+256] = 2 * t[j]
	}
	return t
}()
