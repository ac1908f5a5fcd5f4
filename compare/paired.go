package compare

import (
	"encoding/json"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/retsim/retsim/sim"
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

// MeanInterval is the Student t confidence interval at the given level (for
// example 0.95) for the mean of xs, NaN values left out:
// mean +- t(1-(1-level)/2, n-1) * sd/sqrt(n).
func MeanInterval(xs []float64, level float64) Interval {
	var m sim.Moments
	for _, x := range xs {
		m.Add(x)
	}
	return momentsInterval(&m, level)
}

// momentsInterval is MeanInterval of the values m has taken; NaN bounds
// with fewer than two.
func momentsInterval(m *sim.Moments, level float64) Interval {
	n := float64(m.N())
	if n < 2 {
		return Interval{math.NaN(), math.NaN()}
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(1 - (1-level)/2)
	h := t * m.SD() / math.Sqrt(n)
	return Interval{m.Mean() - h, m.Mean() + h}
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
	var p Pairing
	for i := range ref {
		p.Add(ref[i], alt[i])
	}
	return p.Paired()
}

// Pairing accumulates the pairs of one outcome of two scenarios one
// replication at a time, keeping moments and counts only, for Paired.
// The zero value has no pair.
type Pairing struct {
	ref, alt, diff sim.Moments
	beats, ties    int
}

// Add takes the pair of one replication; a pair with a NaN is left out.
func (p *Pairing) Add(ref, alt float64) {
	if math.IsNaN(ref) || math.IsNaN(alt) {
		return
	}
	d := alt - ref
	p.ref.Add(ref)
	p.alt.Add(alt)
	p.diff.Add(d)
	switch {
	case d > 0:
		p.beats++
	case d == 0:
		p.ties++
	}
}

// Paired summarises the pairs taken so far.
func (p *Pairing) Paired() Paired {
	nan := math.NaN()
	out := Paired{N: p.diff.N(), RefMean: nan, AltMean: nan, Mean: nan, SD: nan,
		CI90: Interval{nan, nan}, CI95: Interval{nan, nan}, PBeats: nan, PTies: nan, VarianceReduction: nan}
	if out.N == 0 {
		return out
	}
	n := float64(out.N)
	out.RefMean, out.AltMean, out.Mean = p.ref.Mean(), p.alt.Mean(), p.diff.Mean()
	out.PBeats, out.PTies = float64(p.beats)/n, float64(p.ties)/n
	if out.N < 2 {
		return out
	}
	out.SD = p.diff.SD()
	out.CI90, out.CI95 = momentsInterval(&p.diff, 0.90), momentsInterval(&p.diff, 0.95)
	independent, paired := p.ref.Var()+p.alt.Var(), p.diff.Var()
	switch {
	case paired > 0:
		out.VarianceReduction = independent / paired
	case independent > 0:
		out.VarianceReduction = math.Inf(1)
	}
	return out
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
