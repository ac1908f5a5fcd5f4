package sim

import "math"

// exp returns e^x to within 2e-13 relative: the churn hazard needs one per
// customer-month, and its inputs (base churn and goodwill, float32) are
// known to 6e-8 only, so math.Exp's last bits buy nothing; exp is plain Go,
// a short chain of multiplications that the period step can overlap with
// other customers' work, where math.Exp is an assembly call.
//
// It is Tang's table-driven method (Tang 1989): x = (256m + j) ln2/256 + r
// with |r| <= ln2/512 (ln 2 split in two so that the reduction is exact),
// so e^x = 2^m x 2^(j/256) x e^r, with 2^(j/256) from a table and e^r from
// its Taylor series to r^3 (remainder below 1.5e-13). Outside (-708, 709),
// where 2^m would leave the normal range, it defers to math.Exp.
func exp(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01 / 256 // the high bits of ln2/256: k x ln2Hi is exact for |k| < 2^21
		ln2Lo = 1.90821492927058770002e-10 / 256 // ln2/256 - ln2Hi
		round = 0x1.8p52                         // adding it rounds a float64 below 2^51 to an integer
	)
	if !(x > -708 && x < 709) {
		return math.Exp(x)
	}
	k := x*(256/math.Ln2) + round - round
	r := (x - k*ln2Hi) - k*ln2Lo
	p := (1 + r) + (r*r)*(1.0/2+r*(1.0/6))
	n := int64(k)
	return exp2Table[n&255] * p * math.Float64frombits(uint64(n>>8+1023)<<52)
}

// exp2Table[j] is 2^(j/256).
var exp2Table = func() (t [256]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 256)
	}
	return t
}()
