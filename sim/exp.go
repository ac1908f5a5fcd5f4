package sim

import "math"

// exp returns e^x, as math.Exp does, to within 1e-15 relative (a few units in the last
// place), but inlined into the period step: the churn hazard needs one per
// customer-month and math.Exp is an assembly call on amd64.
//
// x = k ln2 + r with |r| <= ln2/2 (Cody & Waite 1980 reduction, ln 2 split
// in two so that k ln2 is exact), e^r by its Taylor series to r^12 (the
// remainder is below 2e-16 relative), and 2^k put into the exponent bits.
// Outside [-708, 709], where 2^k would leave the normal range, it defers to
// math.Exp.
func exp(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01 // the high bits of ln 2: k x ln2Hi is exact for |k| < 2^11
		ln2Lo = 1.90821492927058770002e-10 // ln 2 - ln2Hi
		round = 0x1.8p52                   // adding it rounds a float64 below 2^51 to an integer
	)
	if !(x > -708 && x < 709) {
		return math.Exp(x)
	}
	kr := x*math.Log2E + round
	k := kr - round
	r := (x - k*ln2Hi) - k*ln2Lo
	// e^r, Estrin's scheme: pairs of terms first, for a shorter chain.
	r2 := r * r
	r4 := r2 * r2
	r8 := r4 * r4
	p01 := 1 + r
	p23 := 1.0/2 + r*(1.0/6)
	p45 := 1.0/24 + r*(1.0/120)
	p67 := 1.0/720 + r*(1.0/5040)
	p89 := 1.0/40320 + r*(1.0/362880)
	p1011 := 1.0/3628800 + r*(1.0/39916800)
	p12 := 1.0 / 479001600
	p03 := p01 + r2*p23
	p47 := p45 + r2*p67
	p811 := p89 + r2*p1011
	p := (p03 + r4*p47) + r8*(p811+r4*p12)
	return p * math.Float64frombits(uint64(int64(k)+1023)<<52)
}
