package experiment

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"

	"github.com/retsim/retsim/sim"
)

// Kind is a design's kind, as written in a design file.
type Kind string

// The kinds of design.
const (
	// Factorial is every combination of each factor's values.
	Factorial Kind = "factorial"
	// LatinHypercube is Samples points, each factor's range cut into
	// Samples strata of equal probability with one point in each.
	LatinHypercube Kind = "lhs"
	// Saltelli is the sample of Saltelli (2002) for Sobol indices: Samples
	// base points of two matrices A and B from a scrambled Sobol sequence,
	// and for each factor the points of A with that factor taken from B;
	// Samples x (factors + 2) points.
	Saltelli Kind = "saltelli"
)

// Kinds lists the kinds of design, for messages.
var Kinds = []Kind{Factorial, LatinHypercube, Saltelli}

// Factor is one parameter a design varies and the values it may take: a
// list (Values) in a factorial design; otherwise a map from a probability
// u in (0, 1) to a value (see At).
type Factor struct {
	Key    string    // a key of sim.Params
	Values []float64 // factorial designs: the values, in order
	// Min and Max are the range of a sampled design's factor: u maps to
	// Min + u(Max - Min), or with Log to Min (Max/Min)^u. Unused when Dist
	// is set.
	Min, Max float64
	Log      bool
	// Dist is, in a sampled design, the scenario's distribution of an
	// uncertain parameter: u maps to its quantile at u; nil otherwise.
	Dist *sim.Dist
}

// At is the factor's value at probability u in (0, 1): the quantile of
// its distribution, or the point at u of its range (linear or log).
func (f Factor) At(u float64) float64 {
	switch {
	case f.Dist != nil:
		p, _ := sim.Lookup(f.Key)
		return f.Dist.Quantile(u, p)
	case f.Log:
		return f.Min * math.Pow(f.Max/f.Min, u)
	}
	return f.Min + u*(f.Max-f.Min)
}

// Design is a set of points in the space of its factors.
type Design struct {
	Kind    Kind
	Factors []Factor
	// Samples is, for LatinHypercube, the number of points; for Saltelli,
	// the number of base points N (the design has N x (factors + 2)).
	Samples int
}

// MaxPoints is the most points a design may have: a guard against typos,
// since an experiment runs every point (a Saltelli design over 20
// parameters with 4096 base samples has 90112).
const MaxPoints = 100000

// Size is the number of points of the design; MaxPoints + 1 for any
// factorial design with more than MaxPoints.
func (d Design) Size() int {
	switch d.Kind {
	case Factorial:
		n := 1
		for _, f := range d.Factors {
			n *= len(f.Values)
			if n > MaxPoints {
				return MaxPoints + 1
			}
		}
		return n
	case Saltelli:
		return d.Samples * (len(d.Factors) + 2)
	}
	return d.Samples
}

// sizeWords is n as a number of points, "more than MaxPoints" beyond it.
func sizeWords(n int) string {
	if n > MaxPoints {
		return fmt.Sprintf("more than %d", MaxPoints)
	}
	return fmt.Sprint(n)
}

// Points are the design's points, each the factors' values in the order
// of Factors: the factorial grid with the first factor varying slowest;
// a Latin hypercube drawn from seed; or the Saltelli sample scrambled by
// seed, in blocks of len(Factors)+2 points per base point j: A_j, then
// A_j with factor i from B_j for each factor i, then B_j (see
// SaltelliSample).
func (d Design) Points(seed uint64) ([][]float64, error) {
	if n := d.Size(); n < 1 || n > MaxPoints {
		return nil, fmt.Errorf("design: must have 1 to %d points, has %s", MaxPoints, sizeWords(n))
	}
	switch d.Kind {
	case Factorial:
		return d.factorial(), nil
	case LatinHypercube:
		return d.values(LatinHypercubeSample(d.Samples, len(d.Factors), seed)), nil
	case Saltelli:
		u, err := SaltelliSample(d.Samples, len(d.Factors), seed)
		if err != nil {
			return nil, err
		}
		return d.values(u), nil
	}
	return nil, fmt.Errorf("design: unknown kind %q; use one of %v", d.Kind, Kinds)
}

// factorial is every combination of the factors' values, the first
// factor varying slowest.
func (d Design) factorial() [][]float64 {
	pts := make([][]float64, d.Size())
	for p := range pts {
		v, rest := make([]float64, len(d.Factors)), p
		for i := len(d.Factors) - 1; i >= 0; i-- {
			vals := d.Factors[i].Values
			v[i], rest = vals[rest%len(vals)], rest/len(vals)
		}
		pts[p] = v
	}
	return pts
}

// values maps points of the unit hypercube to the factors' values.
func (d Design) values(u [][]float64) [][]float64 {
	pts := make([][]float64, len(u))
	for p, row := range u {
		pts[p] = make([]float64, len(row))
		for i, x := range row {
			pts[p][i] = d.Factors[i].At(x)
		}
	}
	return pts
}

// LatinHypercubeSample is n points of the unit hypercube in dims
// dimensions, drawn from seed, such that in every dimension each of the n
// intervals [k/n, (k+1)/n) holds exactly one point; every coordinate is
// in (0, 1).
func LatinHypercubeSample(n, dims int, seed uint64) [][]float64 {
	batch := mat.NewDense(n, dims, nil)
	src := rand.NewPCG(seed, 0x6c6873) // "lhs"
	samplemv.LatinHypercube{Q: distmv.NewUnitUniform(dims, src), Src: src}.Sample(batch)
	pts := make([][]float64, n)
	for p := range pts {
		pts[p] = batch.RawRowView(p)
		for i, x := range pts[p] {
			pts[p][i] = math.Max(x, 0x1p-53) // a draw of exactly 0 stays in its stratum
		}
	}
	return pts
}

// SaltelliSample is the Saltelli (2002, 2010) sample of the unit
// hypercube in dims dimensions (1 to MaxSobolDims/2) for n base points:
// the rows A_j and B_j, j < n, are the first and last dims coordinates of
// point j of a 2 x dims dimensional Sobol sequence scrambled by seed; the
// sample lists, for each j in turn, A_j, then A_j with coordinate i taken
// from B_j for i = 1..dims, then B_j: n x (dims + 2) points, the layout
// SobolIndices reads.
func SaltelliSample(n, dims int, seed uint64) ([][]float64, error) {
	if dims < 1 || 2*dims > MaxSobolDims {
		return nil, fmt.Errorf("saltelli sample: factors must be in [1, %d], got %d", MaxSobolDims/2, dims)
	}
	if n < 2 || n > MaxPoints {
		return nil, fmt.Errorf("saltelli sample: base samples must be in [2, %d], got %d", MaxPoints, n)
	}
	q, err := NewSobolSequence(2 * dims)
	if err != nil {
		return nil, err
	}
	q.Scramble(seed)
	pts := make([][]float64, 0, n*(dims+2))
	x := make([]float64, 2*dims)
	for j := range n {
		q.Point(uint32(j), x)
		a, b := x[:dims], x[dims:]
		pts = append(pts, append([]float64(nil), a...))
		for i := range dims {
			ab := append([]float64(nil), a...)
			ab[i] = b[i]
			pts = append(pts, ab)
		}
		pts = append(pts, append([]float64(nil), b...))
	}
	return pts, nil
}
