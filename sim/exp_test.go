package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpMatchesMathExp checks exp against math.Exp across its whole range,
// at the ends of the reduction interval and of the range and at random
// points: within 1e-11 relative, and one unit in the last place more where
// the result is subnormal (it is rounded to fewer bits there); 0, infinity
// and NaN exactly. Above 709 the reference is e x math.Exp(x - 1): math.Exp
// on amd64 overflows from about 709.09, short of ln(MaxFloat64) = 709.78.
func TestExpMatchesMathExp(t *testing.T) {
	xs := []float64{0, 1, -1, math.Ln2 / 2, -math.Ln2 / 2, 1e-300, -1e-300, 700, -700, 708.9, -707.9,
		709, 709.78, 709.79, -708, -708.4, -708.5, 710, -720, -744.4, -745, -745.2, -746, -800,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, -math.MaxFloat64}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		xs = append(xs, (r.Float64()*2-1)*708, (r.Float64()*2-1)*5, (r.Float64()*2-1)*1e-3, -708-r.Float64()*38)
	}
	for _, x := range xs {
		got, want := exp(x), math.Exp(x)
		if x > 709 {
			want = math.E * math.Exp(x-1)
		}
		switch {
		case math.IsNaN(want):
			if !math.IsNaN(got) {
				t.Fatalf("exp(%v) = %v, want NaN", x, got)
			}
		case want == 0 || math.IsInf(want, 0):
			if got != want {
				t.Fatalf("exp(%v) = %v, want %v", x, got, want)
			}
		case want < 0x1p-1022:
			if math.Abs(got-want) > 1e-11*want+0x1p-1074 {
				t.Fatalf("exp(%v) = %v, want %v", x, got, want)
			}
		case math.Abs(got-want) > 1e-11*want:
			t.Fatalf("exp(%v) = %v, want %v (relative error %.2g)", x, got, want, (got-want)/want)
		}
	}
}

var expSink float64

// BenchmarkExp and BenchmarkMathExp compare exp with math.Exp on the
// arguments the hazard sees (goodwill effects of a few units).
func BenchmarkExp(b *testing.B)     { benchExp(b, exp) }
func BenchmarkMathExp(b *testing.B) { benchExp(b, math.Exp) }

func benchExp(b *testing.B, f func(float64) float64) {
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = float64(i)/256 - 2
	}
	s := 0.0
	for i := 0; b.Loop(); i++ {
		s += f(xs[i&1023])
	}
	expSink = s
}
