package sim

import (
	"math"
	"slices"
)

// digest is a merging t-digest (Dunning and Ertl 2019, "Computing extremely
// accurate quantiles using t-digests"): a sorted list of centroids (mean,
// count of values) whose sizes a scale function bounds (see targetScale).
// New values are appended after the centroids, into the spare capacity of
// its arrays, and merged into them, in place, when the arrays are full (or
// digestWaiting values wait): a digest allocates only when its arrays
// grow, which they do only when a merge leaves fewer than digestSpare
// entries free.
//
// It is written here rather than taken from a library because an
// Accumulator beyond ExactQuantiles values holds one for every metric,
// period and cohort cell of a scenario (tens of thousands): the libraries
// at hand keep buffers of about 10 x compression centroids each (over 20
// kB) and a scale function fine at every quantile, where a Stat reads
// three; this one holds about 1 kB (see accumulatorBytes). Fed the same
// values in the same order, it gives the same quantiles, bit for bit.
//
// A centroid counts its values in a uint32: a digest takes at most about
// 4 x 10^9 values, far beyond the replications a run allows.
type digest struct {
	means   []float64 // centroids' means, sorted, then the values not yet merged
	weights []uint32  // centroids' counts of values, then 1 for each value not yet merged
	merged  int       // how many of the entries are centroids
	min     float64
	max     float64
	scale   *targetScale
}

const (
	// digestCapacity is the entries a digest's arrays start with: 80
	// float64 (640 bytes) and 80 uint32 (320 bytes) fill two size classes
	// of Go's allocator exactly, and hold the centroids the scale leaves
	// (55 to 60 for smooth laws, see TestDigestRankError) with room for
	// values to wait.
	digestCapacity = 80
	// digestSpare is the fewest entries a merge must leave free for new
	// values; with fewer, the arrays grow (as append does).
	digestSpare = 8
	// digestWaiting is the most values that wait before a merge.
	digestWaiting = 64
)

// newDigest is an empty digest of the scale digestScale.
func newDigest() *digest { return newDigestOf(digestScale) }

// newDigestOf is an empty digest of the given scale.
func newDigestOf(s *targetScale) *digest {
	return &digest{
		means: make([]float64, 0, digestCapacity), weights: make([]uint32, 0, digestCapacity),
		min: math.Inf(1), max: math.Inf(-1), scale: s,
	}
}

// count is the number of values in the first n entries.
func (d *digest) count(n int) float64 {
	total := 0.0
	for _, w := range d.weights[:n] {
		total += float64(w)
	}
	return total
}

// add takes one value (not NaN).
func (d *digest) add(x float64) {
	d.min, d.max = math.Min(d.min, x), math.Max(d.max, x)
	if n := len(d.means); n == min(cap(d.means), cap(d.weights)) || n-d.merged == digestWaiting {
		d.merge()
		d.means, d.weights = slices.Grow(d.means, digestSpare), slices.Grow(d.weights, digestSpare)
	}
	d.means, d.weights = append(d.means, x), append(d.weights, 1)
}

// merge folds the waiting values into the centroids: it sorts them, merges
// them with the centroids from the back, in place, and then joins
// neighbouring entries in one pass in order of mean while the scale allows.
func (d *digest) merge() {
	n, c := len(d.means), d.merged
	if n == c {
		return
	}
	var fresh [digestWaiting]float64
	b := copy(fresh[:], d.means[c:])
	slices.Sort(fresh[:b])
	// From the back: a centroid whose mean equals a new value's stays
	// before it.
	for i, j, k := c-1, b-1, n-1; j >= 0; k-- {
		if i >= 0 && d.means[i] > fresh[j] {
			d.means[k], d.weights[k] = d.means[i], d.weights[i]
			i--
		} else {
			d.means[k], d.weights[k] = fresh[j], 1
			j--
		}
	}
	total := d.count(n)
	last, left := 0, 0.0 // the centroid being built and the count of values before it
	limit := d.scale.limit(0) * total
	for k := 1; k < n; k++ {
		w := float64(d.weights[k])
		if left+float64(d.weights[last])+w <= limit {
			d.weights[last] += d.weights[k]
			d.means[last] += (d.means[k] - d.means[last]) * w / float64(d.weights[last])
			continue
		}
		left += float64(d.weights[last])
		last++
		d.means[last], d.weights[last] = d.means[k], d.weights[k]
		limit = d.scale.limit(left/total) * total
	}
	d.means, d.weights, d.merged = d.means[:last+1], d.weights[:last+1], last+1
}

// quantile is the q quantile (0 <= q <= 1), interpolating linearly between
// the centres of neighbouring centroids, and between the extreme centroids
// and the smallest and largest values seen.
func (d *digest) quantile(q float64) float64 {
	d.merge()
	n := len(d.means)
	if n == 0 {
		return math.NaN()
	}
	total := d.count(n)
	rank := q * total
	// From the smallest value to the first centroid's centre.
	if half := float64(d.weights[0]) / 2; rank < half {
		return d.min + (d.means[0]-d.min)*rank/half
	}
	left := 0.0
	for i := 0; i < n-1; i++ {
		w0, w1 := float64(d.weights[i]), float64(d.weights[i+1])
		c0, c1 := left+w0/2, left+w0+w1/2
		if rank <= c1 {
			return d.means[i] + (d.means[i+1]-d.means[i])*(rank-c0)/(c1-c0)
		}
		left += w0
	}
	// From the last centroid's centre to the largest value.
	c := left + float64(d.weights[n-1])/2
	if rest := total - c; rest > 0 {
		return d.means[n-1] + (d.max-d.means[n-1])*(rank-c)/rest
	}
	return d.max
}

// targetScale is a t-digest scale function k(q) sharp at a few points and
// coarse between them: a centroid spanning the quantiles q0 to q1 may hold
// its values only while k(q1) - k(q0) <= 1. Its derivative is
// 1/(width_i + growth x |q - p_i|) about the nearest point p_i, so a
// centroid spans at most about width_i of the values at p_i and widens in
// proportion to its distance from it; the number of centroids grows with
// the log of 1/width, not with 1/width as for a scale fine everywhere.
//
// The points are the target quantiles, where a quantile interpolated
// between the centres of the centroids about it has a rank error of a
// fraction of width_i, and both ends, 0 and 1: values arriving in order,
// or trending, land at an end, and there form centroids small enough for
// the targets they later pass.
type targetScale struct {
	points  []float64 // p_i, increasing, from 0 to 1
	widths  []float64 // width_i: share of the values a centroid spans at p_i
	growth  float64   // how fast the widths grow away from a point
	at      []float64 // k(p_i)
	bounds  []float64 // q where the nearest point changes: their midpoints
	kBounds []float64 // k at bounds
	// Where k rises by 1 within a point's region, the distance d from the
	// point becomes away x d + awayBy_i moving away from it, toward x d +
	// towardBy_i moving toward it (see limit).
	away, toward     float64
	awayBy, towardBy []float64
}

// newTargetScale is the scale sharp at the targets (increasing, within
// (0, 1)), with width resolution x sqrt(t(1-t)) at target t, the same
// multiple of the quantile's Monte Carlo standard error sqrt(t(1-t)/n) at
// every target, and at each end the width of the target nearest to it.
func newTargetScale(targets []float64, resolution, growth float64) *targetScale {
	s := &targetScale{growth: growth, away: math.Exp(growth), toward: math.Exp(-growth)}
	for _, t := range targets {
		s.widths = append(s.widths, resolution*math.Sqrt(t*(1-t)))
	}
	s.points = append(append([]float64{0}, targets...), 1)
	s.widths = append(append([]float64{s.widths[0]}, s.widths...), s.widths[len(s.widths)-1])
	k := 0.0
	for i, p := range s.points {
		s.awayBy = append(s.awayBy, (s.away-1)*s.widths[i]/growth)
		s.towardBy = append(s.towardBy, (s.toward-1)*s.widths[i]/growth)
		if i > 0 {
			mid := (s.points[i-1] + p) / 2
			k += s.rise(i-1, mid-s.points[i-1])
			s.bounds, s.kBounds = append(s.bounds, mid), append(s.kBounds, k)
			k += s.rise(i, p-mid)
		}
		s.at = append(s.at, k)
	}
	return s
}

// rise is how much k rises over a distance d >= 0 from point i.
func (s *targetScale) rise(i int, d float64) float64 {
	return math.Log1p(s.growth*d/s.widths[i]) / s.growth
}

// k is the scale at q (0 <= q <= 1).
func (s *targetScale) k(q float64) float64 {
	i, _ := slices.BinarySearch(s.bounds, q)
	if d := q - s.points[i]; d < 0 {
		return s.at[i] - s.rise(i, -d)
	}
	return s.at[i] + s.rise(i, q-s.points[i])
}

// q is the inverse of k: the quantile where the scale is k (k(0) <= k <=
// k(1)).
func (s *targetScale) q(k float64) float64 {
	i, _ := slices.BinarySearch(s.kBounds, k)
	d := s.widths[i] * math.Expm1(s.growth*math.Abs(k-s.at[i])) / s.growth
	if k < s.at[i] {
		return s.points[i] - d
	}
	return s.points[i] + d
}

// limit is the largest share of the values a centroid starting at q0 (the
// share of the values before it) may reach: the q1 with k(q1) = k(q0) + 1,
// or 1 when k(1) is nearer. Within q0's region, where k is
// at_i +- log(1 + growth x d/width_i)/growth at a distance d from p_i,
// that step is linear in d and takes no logarithm; only a step past the
// region's point or bound does.
func (s *targetScale) limit(q0 float64) float64 {
	i, _ := slices.BinarySearch(s.bounds, q0)
	p := s.points[i]
	if d := q0 - p; d >= 0 {
		if q1 := p + s.away*d + s.awayBy[i]; i == len(s.bounds) || q1 <= s.bounds[i] {
			return min(1, q1)
		}
	} else if d := s.toward*-d + s.towardBy[i]; d >= 0 {
		return p - d
	}
	if k := s.k(q0) + 1; k < s.at[len(s.at)-1] {
		return s.q(k)
	}
	return 1
}

// digestScale is the digests' scale, sharp at the quantiles a Stat reads.
// Its resolution makes a centroid at a target span at most one Monte Carlo
// standard error of the quantile at 10,000 values, sqrt(t(1-t)/10,000),
// less at fewer; the rank error is a fraction of that (see
// TestDigestRankError). Its growth doubles a centroid's width within a
// distance of about 2 x width of a target.
var digestScale = newTargetScale([]float64{0.05, 0.5, 0.95}, 0.01, 0.5)
