package sim

import "math"

// exp returns e^x, as math.Exp does, to within 1e-15 relative (a few units
// in the last place). It is plain Go, about half the cost of math.Exp
// here: the churn hazard needs one per customer-month.
//
// It is Tang's table-driven method (Tang 1989): x = (64m + j) ln2/64 + r
// with |r| <= ln2/128 (ln 2 split in two so that the reduction is exact),
// so e^x = 2^m x 2^(j/64) x e^r, with 2^(j/64) from a table and e^r from
// its Taylor series to r^5 (remainder below 1e-16 relative). Outside
// (-708, 709), where 2^m would leave the normal range, it defers to
// math.Exp.
func exp(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01 / 64 // the high bits of ln2/64: k x ln2Hi is exact for |k| < 2^21
		ln2Lo = 1.90821492927058770002e-10 / 64 // ln2/64 - ln2Hi
		round = 0x1.8p52                        // adding it rounds a float64 below 2^51 to an integer
	)
	if !(x > -708 && x < 709) {
		return math.Exp(x)
	}
	k := x*(64/math.Ln2) + round - round
	r := (x - k*ln2Hi) - k*ln2Lo
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120)))))
	n := int64(k)
	return exp2Sixtyfourths[n&63] * p * math.Float64frombits(uint64(n>>6+1023)<<52)
}

// exp2Sixtyfourths[j] is 2^(j/64).
var exp2Sixtyfourths = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()
