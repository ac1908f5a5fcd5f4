// Package numfmt writes numbers for people: fixed-point, with thousands
// separators, never in e-notation, and with one number of decimals for
// every number of a table cell.
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// maxDecimals bounds Decimals for tiny magnitudes.
const maxDecimals = 6

// Decimals is the number of decimals that shows a number of magnitude |x|
// with at least three significant digits: 0 from 100 up, 1 from 10, 2
// from 1, 3 from 0.1, ..., at most 6; 0 for 0, NaN and infinities.
func Decimals(x float64) int {
	a := math.Abs(x)
	if a == 0 || math.IsNaN(a) || math.IsInf(a, 0) {
		return 0
	}
	return min(maxDecimals, max(0, 2-int(math.Floor(math.Log10(a)))))
}

// CellDecimals is the Decimals of the largest magnitude among xs, so that
// the numbers of one cell (a mean and its interval) share one style.
func CellDecimals(xs ...float64) int {
	m := 0.0
	for _, x := range xs {
		if a := math.Abs(x); !math.IsNaN(a) && !math.IsInf(a, 0) {
			m = max(m, a)
		}
	}
	return Decimals(m)
}

// Fixed writes x with dec decimals and a comma between thousands of its
// whole part: 1234567.891 with 2 decimals is "1,234,567.89". signed puts
// "+" before a positive number. NaN is "n/a", infinities "+inf" and "-inf";
// a number that rounds to zero has no sign.
func Fixed(x float64, dec int, signed bool) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case math.IsInf(x, 1):
		return "+inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(math.Abs(x), 'f', dec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if strings.Trim(s, "0.") != "" { // not zero once rounded
		if x < 0 {
			b.WriteByte('-')
		} else if signed {
			b.WriteByte('+')
		}
	}
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Number writes x fixed-point with its own Decimals.
func Number(x float64, signed bool) string { return Fixed(x, Decimals(x), signed) }

// Spread writes a mean and a range around it, "mean [low, high]", all three
// with the decimals of the largest (CellDecimals): 3646123 [3541000,
// 3721000] is "3,646,123 [3,541,000, 3,721,000]".
func Spread(mean, low, high float64) string {
	dec := CellDecimals(mean, low, high)
	return Fixed(mean, dec, false) + " [" + Fixed(low, dec, false) + ", " + Fixed(high, dec, false) + "]"
}
