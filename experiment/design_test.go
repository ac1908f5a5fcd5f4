package experiment

import (
	"math"
	"slices"
	"testing"

	"github.com/retsim/retsim/sim"
)

// TestSobolSequenceFirstPoints checks the first points in three
// dimensions against those Joe and Kuo's generator gives.
func TestSobolSequenceFirstPoints(t *testing.T) {
	want := [][]float64{
		{0, 0, 0}, {0.5, 0.5, 0.5}, {0.75, 0.25, 0.25}, {0.25, 0.75, 0.75}, {0.375, 0.375, 0.625},
		{0.875, 0.875, 0.125}, {0.625, 0.125, 0.875}, {0.125, 0.625, 0.375}, {0.1875, 0.3125, 0.9375}, {0.6875, 0.8125, 0.4375},
	}
	q := must(NewSobolSequence(3))
	x := make([]float64, 3)
	for i, w := range want {
		q.Point(uint32(i), x)
		for j := range x {
			if got := math.Floor(x[j]*0x1p32) * 0x1p-32; got != w[j] {
				t.Errorf("point %d, dimension %d: %v, want %v", i, j+1, got, w[j])
			}
		}
	}
}

// TestSobolSequenceStratified checks the net property that direction
// numbers must give: in every dimension, scrambled or not, the first 2^m
// points put exactly one point in each interval [k/2^m, (k+1)/2^m); and
// dimensions 1 and 2 form a (0, m, 2)-net: one point in each elementary
// box of area 2^-m.
func TestSobolSequenceStratified(t *testing.T) {
	const m = 10
	for _, seed := range []uint64{0, 1, 99} {
		q := must(NewSobolSequence(MaxSobolDims))
		if seed > 0 {
			q.Scramble(seed)
		}
		pts := make([][]float64, 1<<m)
		for i := range pts {
			pts[i] = make([]float64, MaxSobolDims)
			q.Point(uint32(i), pts[i])
		}
		for j := range MaxSobolDims {
			seen := make([]bool, 1<<m)
			for _, p := range pts {
				k := int(p[j] * (1 << m))
				if seen[k] {
					t.Fatalf("seed %d, dimension %d: two points in interval %d of %d", seed, j+1, k, 1<<m)
				}
				seen[k] = true
			}
		}
		for a := 0; a <= m; a++ { // boxes 2^-a wide, 2^-(m-a) high
			seen := map[[2]int]bool{}
			for _, p := range pts {
				box := [2]int{int(p[0] * float64(int(1)<<a)), int(p[1] * float64(int(1)<<(m-a)))}
				if seen[box] {
					t.Fatalf("seed %d: two points in box %v of %d x %d", seed, box, 1<<a, 1<<(m-a))
				}
				seen[box] = true
			}
		}
	}
}

// TestLatinHypercubeStratified checks that each dimension has one point
// in each of the n strata, inside (0, 1), and that the seed decides the
// sample.
func TestLatinHypercubeStratified(t *testing.T) {
	for _, c := range []struct {
		n, dims int
		seed    uint64
	}{{1, 1, 1}, {7, 3, 1}, {50, 5, 2}, {200, 2, 3}} {
		pts := LatinHypercubeSample(c.n, c.dims, c.seed)
		if len(pts) != c.n {
			t.Fatalf("%+v: %d points", c, len(pts))
		}
		for j := range c.dims {
			seen := make([]bool, c.n)
			for _, p := range pts {
				if !(p[j] > 0 && p[j] < 1) {
					t.Fatalf("%+v: coordinate %v outside (0, 1)", c, p[j])
				}
				k := int(p[j] * float64(c.n))
				if seen[k] {
					t.Fatalf("%+v: dimension %d has two points in stratum %d", c, j, k)
				}
				seen[k] = true
			}
		}
		if c.n > 1 && slices.Equal(pts[0], LatinHypercubeSample(c.n, c.dims, c.seed+1)[0]) {
			t.Errorf("%+v: another seed gives the same first point", c)
		}
	}
}

// TestSaltelliLayout checks the blocks of a Saltelli sample: A_j, A_j with
// coordinate i from B_j, B_j.
func TestSaltelliLayout(t *testing.T) {
	const n, d = 8, 3
	pts := must(SaltelliSample(n, d, 5))
	if len(pts) != n*(d+2) {
		t.Fatalf("%d points, want %d", len(pts), n*(d+2))
	}
	for j := range n {
		a, b := pts[j*(d+2)], pts[j*(d+2)+d+1]
		for i := range d {
			ab := pts[j*(d+2)+1+i]
			for k := range d {
				want := a[k]
				if k == i {
					want = b[k]
				}
				if ab[k] != want {
					t.Fatalf("block %d, AB^%d: coordinate %d is %v, want %v", j, i, k, ab[k], want)
				}
			}
		}
	}
}

// TestFactorialValues checks the grids a design file's params give:
// linear and log steps, explicit values, the default range, and the
// grid's order, first factor slowest.
func TestFactorialValues(t *testing.T) {
	base := sim.Default()
	for _, c := range []struct {
		ps   ParamSpec
		want []float64
	}{
		{ParamSpec{Key: "policy.giving", Steps: 5}, []float64{0, 0.25, 0.5, 0.75, 1}},
		{ParamSpec{Key: "churn.alpha_beta_corr", Steps: 3}, []float64{-1, 0, 1}},
		{ParamSpec{Key: "pricing.list_price", Steps: 3, Min: new(1.0), Max: new(100.0), Log: true}, []float64{1, 10, 100}},
		{ParamSpec{Key: "service.self_cost", Steps: 4, Min: new(0.001), Max: new(1.0), Log: true}, []float64{0.001, 0.01, 0.1, 1}},
		{ParamSpec{Key: "switching.cost", Values: []float64{0.5, 0, 0.2}}, []float64{0.5, 0, 0.2}},
		{ParamSpec{Key: "horizon.periods", Steps: 3, Min: new(12.0), Max: new(36.0)}, []float64{12, 24, 36}},
	} {
		f, err := c.ps.factor(Factorial, base)
		if err != nil {
			t.Errorf("%s: %v", c.ps.Key, err)
			continue
		}
		for i := range c.want {
			if math.Abs(f.Values[i]-c.want[i]) > 1e-12*math.Abs(c.want[i]) {
				t.Errorf("%s: values %v, want %v", c.ps.Key, f.Values, c.want)
				break
			}
		}
	}
	d := Design{Kind: Factorial, Factors: []Factor{{Key: "a", Values: []float64{1, 2}}, {Key: "b", Values: []float64{10, 20, 30}}}}
	got := must(d.Points(1))
	want := [][]float64{{1, 10}, {1, 20}, {1, 30}, {2, 10}, {2, 20}, {2, 30}}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("grid %v, want %v", got, want)
		}
	}
}

// TestSampledRanges checks the maps of sampled designs: linear, log, and
// the scenario's distribution of an uncertain parameter.
func TestSampledRanges(t *testing.T) {
	base := sim.Default()
	base.Uncertain = []sim.Uncertain{{Key: "churn.walkaway", Dist: sim.Dist{Kind: sim.DistUniform, Min: 0.02, Max: 0.1}}}
	for _, c := range []struct {
		ps   ParamSpec
		u    float64
		want float64
	}{
		{ParamSpec{Key: "policy.giving"}, 0.3, 0.3},
		{ParamSpec{Key: "churn.walkaway"}, 0.5, 0.06},
		{ParamSpec{Key: "pricing.list_price", Min: new(10.0), Max: new(1000.0), Log: true}, 0.5, 100},
	} {
		f, err := c.ps.factor(LatinHypercube, base)
		if err != nil {
			t.Fatalf("%s: %v", c.ps.Key, err)
		}
		if got := f.At(c.u); math.Abs(got-c.want) > 1e-12*c.want {
			t.Errorf("%s at %v: %v, want %v", c.ps.Key, c.u, got, c.want)
		}
	}
}
