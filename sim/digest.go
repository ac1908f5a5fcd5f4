package sim

import (
	"math"
	"slices"
)

// digest is a merging t-digest (Dunning and Ertl 2019, "Computing extremely
// accurate quantiles using t-digests"): a sorted list of centroids (mean,
// weight) whose sizes the k1 scale function k(q) = compression/(2 pi) x
// asin(2q - 1) bounds, so centroids are small in the tails, where the 5% and
// 95% quantiles are read, and large in the middle. New values wait in a
// small buffer and are merged in one sorted pass when it fills.
//
// It is written here rather than taken from a library because an
// Accumulator beyond ExactQuantiles values holds one for every metric,
// period and cohort cell of a scenario (thousands): the libraries at hand
// keep buffers of about 10 x compression centroids each (over 20 kB), this
// one about 2.5 kB. Fed the same values in the same order, it gives the same
// quantiles, bit for bit.
type digest struct {
	means, weights []float64 // centroids, sorted by mean
	buffer         []float64 // values not yet merged
	total          float64   // weight of the centroids
	min, max       float64
}

// digestBuffer is how many values wait before a merge.
const digestBuffer = 64

func newDigest() *digest {
	return &digest{min: math.Inf(1), max: math.Inf(-1), buffer: make([]float64, 0, digestBuffer)}
}

// add takes one value (not NaN).
func (d *digest) add(x float64) {
	d.min, d.max = math.Min(d.min, x), math.Max(d.max, x)
	d.buffer = append(d.buffer, x)
	if len(d.buffer) == digestBuffer {
		d.merge()
	}
}

// scale is the k1 scale function: a centroid spanning quantiles q0 to q1
// may hold its weight only while scale(q1) - scale(q0) <= 1.
func scale(q float64) float64 {
	return DigestCompression / (2 * math.Pi) * math.Asin(2*min(1, max(0, q))-1)
}

// merge folds the buffered values into the centroids in one pass over both,
// in order of mean.
func (d *digest) merge() {
	if len(d.buffer) == 0 {
		return
	}
	slices.Sort(d.buffer)
	total := d.total + float64(len(d.buffer))
	means := make([]float64, 0, len(d.means)+1)
	weights := make([]float64, 0, len(d.means)+1)
	var left float64 // weight of the centroids before the current one
	i, j := 0, 0
	for i < len(d.means) || j < len(d.buffer) {
		var m, w float64
		if j == len(d.buffer) || (i < len(d.means) && d.means[i] <= d.buffer[j]) {
			m, w = d.means[i], d.weights[i]
			i++
		} else {
			m, w = d.buffer[j], 1
			j++
		}
		last := len(means) - 1
		if last >= 0 && scale((left+weights[last]+w)/total)-scale(left/total) <= 1 {
			weights[last] += w
			means[last] += (m - means[last]) * w / weights[last]
			continue
		}
		if last >= 0 {
			left += weights[last]
		}
		means, weights = append(means, m), append(weights, w)
	}
	d.means, d.weights, d.total = means, weights, total
	d.buffer = d.buffer[:0]
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
	rank := q * d.total
	// From the smallest value to the first centroid's centre.
	if half := d.weights[0] / 2; rank < half {
		return d.min + (d.means[0]-d.min)*rank/half
	}
	left := 0.0
	for i := 0; i < n-1; i++ {
		c0, c1 := left+d.weights[i]/2, left+d.weights[i]+d.weights[i+1]/2
		if rank <= c1 {
			return d.means[i] + (d.means[i+1]-d.means[i])*(rank-c0)/(c1-c0)
		}
		left += d.weights[i]
	}
	// From the last centroid's centre to the largest value.
	c := left + d.weights[n-1]/2
	if rest := d.total - c; rest > 0 {
		return d.means[n-1] + (d.max-d.means[n-1])*(rank-c)/rest
	}
	return d.max
}
