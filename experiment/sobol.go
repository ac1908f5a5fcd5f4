package experiment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/retsim/retsim/compare"
)

// Index is a factor's Sobol indices for one outcome, each with a 95%
// bootstrap percentile interval.
type Index struct {
	// S1 is the first-order index: the share of the outcome's variance
	// that the factor explains alone (Saltelli et al. 2010's estimator).
	S1 float64
	// ST is the total index: the share the factor explains alone or in
	// interaction with others (Jansen 1999's estimator). ST - S1 is the
	// factor's share in interactions.
	ST       float64
	S1CI95   compare.Interval
	STCI95   compare.Interval
	Variance float64 // the outcome's variance over the design, which the indices divide
}

// MinResamples and MaxResamples bound the bootstrap resamples of
// SobolIndices.
const (
	MinResamples = 100
	MaxResamples = 100000
)

// SobolIndices estimates every factor's Sobol indices from y, the model's
// outputs at the points of SaltelliSample(n, dims, ...) in its order (so
// len(y) = n x (dims + 2)), with 95% intervals from resamples bootstrap
// resamples of the n base points, drawn from seed (percentile intervals,
// Efron 1979). The variance is that of the outputs at A and B together.
// Every index and bound is NaN when the variance is 0 or undefined, or any
// output is NaN.
func SobolIndices(y []float64, dims, resamples int, seed uint64) ([]Index, error) {
	if dims < 1 || len(y)%(dims+2) != 0 || len(y)/(dims+2) < 2 {
		return nil, fmt.Errorf("sobol indices: want n x (%d + 2) outputs, n >= 2, got %d", dims, len(y))
	}
	if resamples < MinResamples || resamples > MaxResamples {
		return nil, fmt.Errorf("sobol indices: resamples must be in [%d, %d], got %d", MinResamples, MaxResamples, resamples)
	}
	n := len(y) / (dims + 2)
	all := make([]int, n)
	for j := range all {
		all[j] = j
	}
	est := newSobolSums(dims)
	out := make([]Index, dims)
	for i, s := range est.indices(y, all) {
		out[i].S1, out[i].ST = s[0], s[1]
	}
	v := est.variance
	if !(v > 0) || slices.ContainsFunc(y, math.IsNaN) {
		nan := compare.Interval{Low: math.NaN(), High: math.NaN()}
		for i := range out {
			out[i] = Index{S1: math.NaN(), ST: math.NaN(), S1CI95: nan, STCI95: nan, Variance: v}
		}
		return out, nil
	}
	boot := make([][2][]float64, dims)
	for i := range boot {
		boot[i] = [2][]float64{make([]float64, resamples), make([]float64, resamples)}
	}
	r := rand.New(rand.NewPCG(seed, 0x626f6f74)) // "boot"
	pick := make([]int, n)
	for b := range resamples {
		for j := range pick {
			pick[j] = r.IntN(n)
		}
		for i, s := range est.indices(y, pick) {
			boot[i][0][b], boot[i][1][b] = s[0], s[1]
		}
	}
	for i := range out {
		out[i].Variance = v
		out[i].S1CI95 = percentile95(boot[i][0])
		out[i].STCI95 = percentile95(boot[i][1])
	}
	return out, nil
}

// percentile95 is the 2.5% to 97.5% range of xs, which it sorts.
func percentile95(xs []float64) compare.Interval {
	slices.Sort(xs)
	return compare.Interval{Low: stat.Quantile(0.025, stat.LinInterp, xs, nil), High: stat.Quantile(0.975, stat.LinInterp, xs, nil)}
}

// sobolSums computes the estimators over a selection of base points.
type sobolSums struct {
	dims     int
	ab       []float64 // the outputs at A and B of the selection
	variance float64   // of the last call's selection
}

func newSobolSums(dims int) *sobolSums { return &sobolSums{dims: dims} }

// indices are (S1, ST) of every factor over the base points pick (with
// repeats, for a bootstrap resample) of the outputs y:
//
//	m, V = mean and variance of f(A_j) and f(B_j) together
//	S1   = mean_j (f(B_j) - m) (f(AB_j^i) - f(A_j)) / V   (Saltelli et al. 2010)
//	ST   = mean_j (f(A_j) - f(AB_j^i))^2 / 2 / V          (Jansen 1999)
//
// S1 is Saltelli's estimator with the outputs centred on m, which leaves
// its expectation as it is (f(AB^i) - f(A) has mean 0) and keeps its
// variance from growing with the square of the outputs' mean.
func (s *sobolSums) indices(y []float64, pick []int) [][2]float64 {
	d := s.dims
	s.ab = s.ab[:0]
	for _, j := range pick {
		row := y[j*(d+2) : (j+1)*(d+2)]
		s.ab = append(s.ab, row[0], row[d+1])
	}
	mean, variance := stat.MeanVariance(s.ab, nil)
	s.variance = variance
	out := make([][2]float64, d)
	for i := range d {
		var first, total float64
		for _, j := range pick {
			row := y[j*(d+2) : (j+1)*(d+2)]
			fa, fab, fb := row[0], row[1+i], row[d+1]
			first += (fb - mean) * (fab - fa)
			total += (fa - fab) * (fa - fab)
		}
		m := float64(len(pick))
		out[i] = [2]float64{first / m / s.variance, total / m / 2 / s.variance}
	}
	return out
}
