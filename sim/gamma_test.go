package sim

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestGammaFollowsItsLaw checks gammaDist against the Gamma(a, 1)
// distribution function with a one-sample Kolmogorov-Smirnov test at the
// 0.1% level (D <= 1.95/sqrt(n)), on either side of the boost's range and
// at the default churn.beta.
func TestGammaFollowsItsLaw(t *testing.T) {
	const n = 20000
	s := newStreams()
	for _, a := range []float64{0.1, 0.2, 0.5, 0.704, 0.99, 1, 1.182, 5, 28} {
		t.Run(fmt.Sprint(a), func(t *testing.T) {
			r, g := s.at(key(uint64(a*1000)), procTraits, 0), newGammaDist(a)
			xs := make([]float64, n)
			for i := range xs {
				xs[i] = g.draw(r)
			}
			sort.Float64s(xs)
			law := distuv.Gamma{Alpha: a, Beta: 1}
			d := 0.0
			for i, x := range xs {
				f := law.CDF(x)
				d = max(d, math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n))
			}
			if limit := 1.95 / math.Sqrt(n); d > limit {
				t.Errorf("Kolmogorov-Smirnov D = %.4f, above %.4f", d, limit)
			}
		})
	}
}
