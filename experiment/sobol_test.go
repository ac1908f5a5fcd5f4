package experiment

import (
	"math"
	"testing"
)

// ishigami is the Ishigami and Homma (1990) function with a = 7, b = 0.1
// on [-pi, pi]^3, given a point of the unit cube.
func ishigami(u []float64) float64 {
	x := make([]float64, 3)
	for i := range x {
		x[i] = -math.Pi + 2*math.Pi*u[i]
	}
	s := math.Sin(x[1])
	return math.Sin(x[0]) + 7*s*s + 0.1*math.Pow(x[2], 4)*math.Sin(x[0])
}

// TestSobolIndicesIshigami checks the estimators against the Ishigami
// function's known indices (Saltelli et al. 2008, ch. 4): each lies in its
// 95% bootstrap interval, and the intervals are narrow enough that a
// wrong estimator would miss.
func TestSobolIndicesIshigami(t *testing.T) {
	const n = 4096
	u, err := SaltelliSample(n, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(u))
	for p := range u {
		y[p] = ishigami(u[p])
	}
	idx, err := SobolIndices(y, 3, 1000, 7)
	if err != nil {
		t.Fatal(err)
	}
	s1 := []float64{0.3139, 0.4424, 0}
	st := []float64{0.5576, 0.4424, 0.2437}
	for i, x := range idx {
		t.Logf("x%d: S1 %.4f %v  ST %.4f %v", i+1, x.S1, x.S1CI95, x.ST, x.STCI95)
		if !x.S1CI95.Contains(s1[i]) || !x.STCI95.Contains(st[i]) {
			t.Errorf("x%d: S1 %v in %v? ST %v in %v?", i+1, s1[i], x.S1CI95, st[i], x.STCI95)
		}
		for _, iv := range []struct{ lo, hi float64 }{{x.S1CI95.Low, x.S1CI95.High}, {x.STCI95.Low, x.STCI95.High}} {
			if iv.hi-iv.lo > 0.1 {
				t.Errorf("x%d: interval [%v, %v] wider than 0.1: too wide to test anything", i+1, iv.lo, iv.hi)
			}
		}
	}
}
