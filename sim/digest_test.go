package sim

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// The scale's limit, computed within a region without a logarithm, is the
// q1 where k(q1) = k(q0) + 1 (or 1 beyond k(1)), to rounding, for q0
// across [0, 1], points and bounds included; and k and q are inverses.
func TestTargetScaleLimitIsTheInverseStep(t *testing.T) {
	s := digestScale
	qs := append([]float64{}, s.points...)
	qs = append(qs, s.bounds...)
	for i := 0; i <= 10000; i++ {
		qs = append(qs, float64(i)/10000)
	}
	for _, q0 := range qs {
		want := 1.0
		if k := s.k(q0) + 1; k < s.at[len(s.at)-1] {
			want = s.q(k)
		}
		if got := s.limit(q0); math.Abs(got-want) > 1e-12 {
			t.Errorf("limit(%v) = %v, want %v", q0, got, want)
		}
		if back := s.q(s.k(q0)); math.Abs(back-q0) > 1e-12 {
			t.Errorf("q(k(%v)) = %v", q0, back)
		}
	}
}

// A digest's quantiles at and near the ends: 0 and 1 are the smallest and
// largest values seen, and between them and the extreme centroids' centres
// the estimate is interpolated, so that its rank in the sorted values stays
// within the extreme centroid's weight of the quantile's own rank. With
// 20,000 values the extreme centroids hold several each, so these
// interpolations are the ones read.
func TestDigestEnds(t *testing.T) {
	const n = 20000
	r := rand.New(rand.NewPCG(3, 4))
	d := newDigest()
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = r.NormFloat64()
		d.add(xs[i])
	}
	sort.Float64s(xs)
	if got := d.quantile(0); got != xs[0] {
		t.Errorf("quantile(0) = %v, want the smallest value %v", got, xs[0])
	}
	if got := d.quantile(1); got != xs[n-1] {
		t.Errorf("quantile(1) = %v, want the largest value %v", got, xs[n-1])
	}
	d.merge()
	first, last := float64(d.weights[0]), float64(d.weights[len(d.weights)-1])
	if first < 3 || last < 3 {
		t.Fatalf("extreme centroids hold %v and %v values; the test needs several", first, last)
	}
	for _, q := range []float64{first / 4 / n, first / 2.5 / n, 1 - last/2.5/n, 1 - last/4/n} {
		v := d.quantile(q)
		lo := float64(sort.SearchFloat64s(xs, v)) / n
		hi := float64(sort.Search(n, func(i int) bool { return xs[i] > v })) / n
		w := max(first, last) / n
		if v < xs[0] || v > xs[n-1] || lo-q > w || q-hi > w {
			t.Errorf("quantile(%v) = %v, of rank [%v, %v]: want the rank within %v", q, v, lo, hi, w)
		}
	}
	// The documented interpolation: linear in the rank, from the smallest
	// value at rank 0 to the first centroid's mean at half its weight, and
	// from the last centroid's mean at half its weight from the top to the
	// largest value; a quarter of the weight is half-way.
	m0, m1 := d.means[0], d.means[len(d.means)-1]
	for _, c := range []struct{ q, want float64 }{
		{first / 4 / n, xs[0] + (m0-xs[0])/2},
		{1 - last/4/n, m1 + (xs[n-1]-m1)/2},
	} {
		if got := d.quantile(c.q); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	// Strictly inside the ends' interpolation, the estimate moves with q.
	if a, b := d.quantile(first/4/n), d.quantile(first/2.5/n); !(a < b) {
		t.Errorf("quantile does not rise between the smallest value and the first centroid: %v, %v", a, b)
	}
	if a, b := d.quantile(1-last/2.5/n), d.quantile(1-last/4/n); !(a < b) {
		t.Errorf("quantile does not rise between the last centroid and the largest value: %v, %v", a, b)
	}
}
