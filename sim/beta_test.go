package sim

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// betaRegimes cover both parameters below 1, one on either side of 1, a
// parameter below gammaDist's boost range (0.2), both above 1, Fader and
// Hardie's (2007) fitted churn.alpha and churn.beta, and parameters at 1.
// (A small beta with a larger alpha puts its mass so near 1 that the
// draws round to 1; betaDist draws it as the mirror of (0.05, 2).)
var betaRegimes = []struct{ alpha, beta float64 }{
	{0.3, 0.5}, {0.5, 0.3}, {0.704, 1.182}, {1.182, 0.704}, {0.05, 2},
	{1, 1}, {1, 3}, {1.5, 1.5}, {2, 8}, {8, 2}, {30, 45},
}

// drawBeta returns n draws of betaDist(alpha, beta).
func drawBeta(alpha, beta float64, n int) []float64 {
	s, d := newStreams(), newBetaDist(alpha, beta)
	r := s.at(key(uint64(alpha*1000), uint64(beta*1000)), procTraits, 0)
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = d.draw(r)
	}
	return xs
}

// TestBetaFollowsItsLaw checks betaDist against the Beta(alpha, beta)
// distribution function with a one-sample Kolmogorov-Smirnov test at the
// 0.1% level (D <= 1.95/sqrt(n)), in every regime of betaRegimes.
func TestBetaFollowsItsLaw(t *testing.T) {
	const n = 20000
	for _, p := range betaRegimes {
		t.Run(fmt.Sprint(p.alpha, ",", p.beta), func(t *testing.T) {
			xs := drawBeta(p.alpha, p.beta, n)
			sort.Float64s(xs)
			law := distuv.Beta{Alpha: p.alpha, Beta: p.beta}
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

// TestBetaMoments checks, in every regime of betaRegimes, the mean
// alpha/(alpha+beta) and second moment alpha(alpha+1)/((alpha+beta)(alpha+beta+1))
// of the draws, and the mean hazard E[-log(1-X)] = psi(alpha+beta) -
// psi(beta) (a customer's base churn rate, as traits computes it), each
// within 4 standard errors of the sample.
func TestBetaMoments(t *testing.T) {
	const n = 100000
	for _, p := range betaRegimes {
		t.Run(fmt.Sprint(p.alpha, ",", p.beta), func(t *testing.T) {
			a, b := p.alpha, p.beta
			var x1, x2, hz Moments
			for _, x := range drawBeta(a, b, n) {
				x1.Add(x)
				x2.Add(x * x)
				hz.Add(-math.Log1p(-x))
			}
			for _, c := range []struct {
				name string
				m    *Moments
				want float64
			}{
				{"mean", &x1, a / (a + b)},
				{"second moment", &x2, a * (a + 1) / ((a + b) * (a + b + 1))},
				{"mean hazard", &hz, mathext.Digamma(a+b) - mathext.Digamma(b)},
			} {
				if se := c.m.SD() / math.Sqrt(n); math.Abs(c.m.Mean()-c.want) > 4*se {
					t.Errorf("%s %.6f, want %.6f within 4 SE (%.6f)", c.name, c.m.Mean(), c.want, 4*se)
				}
			}
		})
	}
}
