package sim

import (
	"math"
	"slices"
	"unsafe"

	"gonum.org/v1/gonum/stat"
)

// ExactQuantiles is how many values an Accumulator keeps to compute exact
// quantiles. Beyond it, quantiles come from a t-digest (Dunning and Ertl
// 2019) sharp at the 5%, 50% and 95% quantiles (see targetScale), so that
// an accumulator holds about a kilobyte however many replications it
// summarises. Its rank error at those quantiles (see TestDigestRankError)
// is below the Monte Carlo standard error of the quantiles,
// sqrt(q(1-q)/n), from 1,000 to 50,000 values.
const ExactQuantiles = 200

// exactBytes is the array of an Accumulator's exact values: ExactQuantiles
// float64, rounded up to the size class of Go's allocator that holds them.
const exactBytes = 1792

// accumulatorBytes is about the most memory an Accumulator holds after n
// values: its exact values, in an array of ExactQuantiles from the second
// value on, or its digest, whose arrays keep digestCapacity entries of a
// float64 and a uint32 (the scale's centroids fit in them with room to
// spare: see TestDigestRankError).
func accumulatorBytes(n int) float64 {
	size := float64(unsafe.Sizeof(Accumulator{}))
	switch {
	case n <= 1:
		return size
	case n <= ExactQuantiles:
		return size + exactBytes
	}
	return size + float64(unsafe.Sizeof(digest{})) + digestCapacity*(8+4)
}

// Moments are the count, mean and variance of a stream of values, updated
// one value at a time (Welford 1962) without keeping the values. NaN values
// are left out. The zero value has seen no value. Fed the same values in
// the same order, it gives the same numbers, bit for bit.
type Moments struct {
	n        int
	mean, m2 float64
}

// Add takes one value; NaN is left out.
func (m *Moments) Add(x float64) {
	if math.IsNaN(x) {
		return
	}
	m.n++
	d := x - m.mean
	m.mean += d / float64(m.n)
	m.m2 += d * (x - m.mean)
}

// N is the number of values taken, NaN ones left out.
func (m *Moments) N() int { return m.n }

// Mean is the mean of the values; NaN with none.
func (m *Moments) Mean() float64 {
	if m.n == 0 {
		return math.NaN()
	}
	return m.mean
}

// Var is the sample variance of the values (divisor n-1): 0 with one,
// NaN with none.
func (m *Moments) Var() float64 {
	switch m.n {
	case 0:
		return math.NaN()
	case 1:
		return 0
	}
	return m.m2 / float64(m.n-1)
}

// SD is the sample standard deviation, the square root of Var.
func (m *Moments) SD() float64 { return math.Sqrt(m.Var()) }

// Stat is the values' mean and sd, with NaN quantiles; every field is NaN
// with no value.
func (m *Moments) Stat() Stat {
	return Stat{Mean: m.Mean(), SD: m.SD(), P05: math.NaN(), P50: math.NaN(), P95: math.NaN()}
}

// Accumulator summarises a stream of values one at a time, in the order
// they arrive, without keeping them all: its Moments exactly, and the 5%,
// 50% and 95% quantiles exactly (gonum's LinInterp) while it has seen at
// most ExactQuantiles values and from a t-digest after that. NaN values
// are left out. The zero value is an empty accumulator. Fed the same values
// in the same order, it gives the same Stat, bit for bit.
//
// While every value so far is the same finite number (not -0), as many
// metrics are in every replication (a cost the policy never incurs, a
// survival of 1 at age 0), it keeps only its Moments, whose mean is then
// that number exactly, and no values: it unfolds them into its values or
// digest when another number comes, as if it had kept them all along.
type Accumulator struct {
	Moments
	values []float64 // every value while N() <= ExactQuantiles, unless constant
	digest *digest
}

// constant reports whether every value so far is the mean (see
// Accumulator), with at least one value.
func (a *Accumulator) constant() bool { return a.n > 0 && a.values == nil && a.digest == nil }

// plain reports whether x may be held as a constant run: finite and not
// -0, so that x - x + x is x, bit for bit, in the digest's arithmetic.
func plain(x float64) bool {
	return math.Abs(x) <= math.MaxFloat64 && (x != 0 || !math.Signbit(x))
}

// unfold turns a constant run into the values or digest the accumulator
// would hold had it kept them, keeping values while at most exact of them
// have come (see add).
func (a *Accumulator) unfold(exact int) {
	if a.n <= exact {
		a.values = make([]float64, a.n, ExactQuantiles)
		for i := range a.values {
			a.values[i] = a.mean
		}
		return
	}
	a.digest = newDigest()
	for range a.n {
		a.digest.add(a.mean)
	}
}

// spill turns the values into the digest that would hold them, fed them
// in order.
func (a *Accumulator) spill() {
	a.digest = newDigest()
	for _, v := range a.values {
		a.digest.add(v)
	}
	a.values = nil
}

// Add takes one value; NaN is left out.
func (a *Accumulator) Add(x float64) { a.add(x, ExactQuantiles) }

// add takes one value, NaN left out, keeping the values themselves while
// at most exact of them have come and a digest of them beyond: exact is
// ExactQuantiles, or 0 for an accumulator that will take more than
// ExactQuantiles values (see Collector.Expect), which then keeps a digest
// from its first value on other than a constant run: the same digest, bit
// for bit, as one that had kept the values up to ExactQuantiles.
func (a *Accumulator) add(x float64, exact int) {
	if math.IsNaN(x) {
		return
	}
	if a.values == nil && a.digest == nil && plain(x) && (a.n == 0 || x == a.mean) {
		a.Moments.Add(x) // a constant run: the mean stays x
		return
	}
	if a.constant() {
		a.unfold(exact)
	}
	a.Moments.Add(x)
	if a.digest == nil && a.n > exact {
		a.spill()
	}
	if a.digest != nil {
		a.digest.add(x)
		return
	}
	a.values = append(a.values, x)
}

// Quantile is the q quantile of the values (0 <= q <= 1); NaN with none.
func (a *Accumulator) Quantile(q float64) float64 {
	switch {
	case a.n == 0:
		return math.NaN()
	case a.digest != nil:
		return a.digest.quantile(q)
	case a.constant() && a.n > ExactQuantiles:
		return a.mean // what a digest of a constant run gives (see plain)
	case a.constant():
		values := make([]float64, a.n)
		for i := range values {
			values[i] = a.mean
		}
		return stat.Quantile(q, stat.LinInterp, values, nil)
	}
	if !slices.IsSorted(a.values) {
		slices.Sort(a.values) // the order of the values no longer matters
	}
	return stat.Quantile(q, stat.LinInterp, a.values, nil)
}

// Stat summarises the values taken so far; every field is NaN with none.
func (a *Accumulator) Stat() Stat {
	return Stat{Mean: a.Mean(), SD: a.SD(), P05: a.Quantile(0.05), P50: a.Quantile(0.50), P95: a.Quantile(0.95)}
}
