package compare

import (
	"encoding/json"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a confidence interval [Low, High]; both are NaN when it is
// undefined (fewer than two values).
type Interval struct {
	Low, High float64
}

// HalfWidth is half the interval's width; NaN when it is undefined.
func (iv Interval) HalfWidth() float64 { return (iv.High - iv.Low) / 2 }

// Contains reports whether x lies in the closed interval.
func (iv Interval) Contains(x float64) bool { return iv.Low <= x && x <= iv.High }

// MarshalJSON writes {"low": ..., "high": ...}, null for undefined bounds.
func (iv Interval) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Low  *float64 `json:"low"`
		High *float64 `json:"high"`
	}{finite(iv.Low), finite(iv.High)})
}

// finite is x, or nil (JSON null) when x is NaN or infinite.
func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

// definedValues returns xs without its NaN values.
func definedValues(xs []float64) []float64 {
	v := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	return v
}

// MeanInterval is the Student t confidence interval at the given level (for
// example 0.95) for the mean of xs, NaN values left out:
// mean +- t(1-(1-level)/2, n-1) * sd/sqrt(n).
func MeanInterval(xs []float64, level float64) Interval {
	v := definedValues(xs)
	if len(v) < 2 {
		return Interval{math.NaN(), math.NaN()}
	}
	return tInterval(v, level)
}

// tInterval is MeanInterval for at least two defined values.
func tInterval(v []float64, level float64) Interval {
	n := float64(len(v))
	m, sd := stat.MeanStdDev(v, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(1 - (1-level)/2)
	h := t * sd / math.Sqrt(n)
	return Interval{m - h, m + h}
}

// Paired summarises per-replication differences alt - ref of one outcome
// between two scenarios, over the N replications in which both values are
// defined (NaN values are excluded pairwise). Statistics that need two pairs
// are NaN with fewer; all are NaN with none.
type Paired struct {
	N       int
	RefMean float64 // mean of ref over the pairs
	AltMean float64 // mean of alt over the pairs
	Mean    float64 // mean difference alt - ref
	SD      float64 // sample standard deviation of the differences
	CI90    Interval
	CI95    Interval
	// PBeats is the share of pairs in which alt is strictly greater than
	// ref: the probability that the scenario beats the reference in one
	// world. PTies is the share in which they are equal, which counts as not
	// beating; 1 - PBeats - PTies is the share in which ref is greater.
	PBeats, PTies float64
	// VarianceReduction is (var(ref) + var(alt)) / var(alt - ref): the
	// variance of the difference had the two runs been independent over its
	// variance as paired, the factor by which common random numbers cut the
	// replications needed for the same precision. +Inf when the differences
	// do not vary but the outcomes do; NaN when nothing varies.
	VarianceReduction float64
}

// SE is the standard error of Mean, SD/sqrt(N).
func (p Paired) SE() float64 { return p.SD / math.Sqrt(float64(p.N)) }

// Pair compares alt with ref replication by replication: ref[i] and alt[i]
// come from replication i of two scenarios. ref and alt have the same length.
func Pair(ref, alt []float64) Paired {
	if len(ref) != len(alt) {
		panic("compare.Pair: ref and alt differ in length")
	}
	var a, b, d []float64
	beats, ties := 0, 0
	for i := range ref {
		if math.IsNaN(ref[i]) || math.IsNaN(alt[i]) {
			continue
		}
		a, b = append(a, ref[i]), append(b, alt[i])
		diff := alt[i] - ref[i]
		d = append(d, diff)
		switch {
		case diff > 0:
			beats++
		case diff == 0:
			ties++
		}
	}
	nan := math.NaN()
	p := Paired{N: len(d), RefMean: nan, AltMean: nan, Mean: nan, SD: nan,
		CI90: Interval{nan, nan}, CI95: Interval{nan, nan}, PBeats: nan, PTies: nan, VarianceReduction: nan}
	if p.N == 0 {
		return p
	}
	n := float64(p.N)
	p.RefMean, p.AltMean, p.Mean = stat.Mean(a, nil), stat.Mean(b, nil), stat.Mean(d, nil)
	p.PBeats, p.PTies = float64(beats)/n, float64(ties)/n
	if p.N < 2 {
		return p
	}
	p.SD = stat.StdDev(d, nil)
	p.CI90, p.CI95 = tInterval(d, 0.90), tInterval(d, 0.95)
	independent, paired := stat.Variance(a, nil)+stat.Variance(b, nil), stat.Variance(d, nil)
	switch {
	case paired > 0:
		p.VarianceReduction = independent / paired
	case independent > 0:
		p.VarianceReduction = math.Inf(1)
	}
	return p
}

// MarshalJSON writes the fields in snake case, null where undefined or
// infinite.
func (p Paired) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		N                 int      `json:"n"`
		RefMean           *float64 `json:"reference_mean"`
		AltMean           *float64 `json:"scenario_mean"`
		Mean              *float64 `json:"mean_diff"`
		SD                *float64 `json:"sd_diff"`
		CI90              Interval `json:"ci90"`
		CI95              Interval `json:"ci95"`
		PBeats            *float64 `json:"p_beats"`
		PTies             *float64 `json:"p_ties"`
		VarianceReduction *float64 `json:"variance_reduction"`
	}{p.N, finite(p.RefMean), finite(p.AltMean), finite(p.Mean), finite(p.SD), p.CI90, p.CI95,
		finite(p.PBeats), finite(p.PTies), finite(p.VarianceReduction)})
}
