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

// betaSamplers are baseChurn's two samplers of Beta(alpha, beta): the
// exact one (betaDist, two Gamma draws) and the table (betaTable).
var betaSamplers = []struct {
	name     string
	tabulate bool
}{{"exact", false}, {"table", true}}

// drawBeta returns n draws x of Beta(alpha, beta) from the exact sampler
// or the table, and the hazards -log(1 - x) that traits gives them: the
// table's own (betaTable.rate, of the same 64-bit draw) for the table.
func drawBeta(t *testing.T, alpha, beta float64, n int, tabulate bool) (xs, hazards []float64) {
	t.Helper()
	s, b := newStreams(), newBaseChurn(alpha, beta, tabulate)
	if tabulate && b.table == nil {
		t.Fatalf("Beta(%g, %g) has no table", alpha, beta)
	}
	r := s.at(key(uint64(alpha*1000), uint64(beta*1000)), procTraits, 0)
	xs, hazards = make([]float64, n), make([]float64, n)
	for i := range xs {
		if tabulate {
			u := r.pcg.Uint64()
			xs[i], hazards[i] = b.table.draw(u), b.table.rate(u)
		} else {
			xs[i] = b.exact.draw(r)
			hazards[i] = -math.Log1p(-xs[i])
		}
	}
	return xs, hazards
}

// TestBetaFollowsItsLaw checks both samplers of betaSamplers against the
// Beta(alpha, beta) distribution function with a one-sample
// Kolmogorov-Smirnov test at the 0.1% level (D <= 1.95/sqrt(n) = 0.0138,
// far above the table's own bound, 1/betaCells = 4.9e-4), in every regime
// of betaRegimes.
func TestBetaFollowsItsLaw(t *testing.T) {
	const n = 20000
	for _, p := range betaRegimes {
		for _, sampler := range betaSamplers {
			t.Run(fmt.Sprint(sampler.name, ",", p.alpha, ",", p.beta), func(t *testing.T) {
				xs, _ := drawBeta(t, p.alpha, p.beta, n, sampler.tabulate)
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
}

// TestBetaMoments checks, in every regime of betaRegimes, the mean
// alpha/(alpha+beta) and second moment alpha(alpha+1)/((alpha+beta)(alpha+beta+1))
// of the draws, and the mean hazard E[-log(1-X)] = psi(alpha+beta) -
// psi(beta) (a customer's base churn rate, as traits computes it: the
// table's own hazard for the table), each within 4 standard errors of the
// sample, for both samplers of betaSamplers. (The table's bias, at most
// 1/betaCells in the mean, is below a tenth of the standard error here.)
func TestBetaMoments(t *testing.T) {
	const n = 100000
	for _, p := range betaRegimes {
		for _, sampler := range betaSamplers {
			t.Run(fmt.Sprint(sampler.name, ",", p.alpha, ",", p.beta), func(t *testing.T) {
				a, b := p.alpha, p.beta
				var x1, x2, hz Moments
				xs, hazards := drawBeta(t, a, b, n, sampler.tabulate)
				for i, x := range xs {
					x1.Add(x)
					x2.Add(x * x)
					hz.Add(hazards[i])
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
}
