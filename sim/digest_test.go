package sim

import (
	"math"
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
