package sim

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/mathext"
)

// betaBits is log2 of betaCells.
const betaBits = 11

// betaCells is the number of cells of a betaTable: 2048, so that a draw's
// law is within 1/2048 (4.9e-4) of the Beta law in Kolmogorov-Smirnov
// distance, below the sampling noise of a million customers (0.87/sqrt(n),
// 8.7e-4), and a table takes about 10 ms to build.
const betaCells = 1 << betaBits

// betaTable draws Beta(alpha, beta) numbers, and the hazards -log(1 - x)
// of them, by the inverse of the distribution function F: one 64-bit draw
// gives a cell i of N = betaCells equal cells of [0, 1] in probability
// (its top betaBits bits) and a place f in it (the next 53). In the
// interior cells the inverse is tabulated: the exact quantiles q_i =
// Q(i/N) at the nodes and linear interpolation between them. In the two
// end cells, where a Beta's density may be unbounded and linear
// interpolation could put mass far from the law's (up to 1 for a law
// concentrated near 0), it is exact: mathext.InvRegIncBeta, of the
// mirrored law Beta(beta, alpha) in the top cell, so that 1 - x, and the
// hazard, keep their precision near 1; that costs a few microseconds, in
// 1 draw out of N/2.
//
// Error bound. Within an interior cell both the table's law and the Beta
// law put mass 1/N on [q_i, q_(i+1)], so their distribution functions
// agree at every node and differ between two nodes by less than the mass
// between them: the Kolmogorov-Smirnov distance sup_x |F_table(x) - F(x)|
// is below 1/N. The same holds for the hazard, interpolated between the
// nodes' hazards -log(1 - q_i), since a monotone function of x maps cells
// to cells. The mean of x is off by at most 1/N times (q_(N-1) - q_1).
type betaTable struct {
	alpha, beta float64
	x, hazard   [betaCells]betaCell // by cell: the end cells' are unused
}

// betaCell is one cell of a betaTable: its lower node and its width.
type betaCell struct{ at, width float64 }

// newBetaTable tabulates Beta(alpha, beta), alpha, beta > 0. It returns
// nil when the parameters put so much mass near 1 that an interior node
// rounds to 1 (an infinite hazard), or the quantiles are not finite and
// increasing: such parameters are drawn by the exact sampler. The nodes
// at or below 1/2 are quantiles of Beta(alpha, beta); those above are 1 -
// the quantiles of the mirrored law Beta(beta, alpha) at 1 - i/N, so that
// 1 - q_i, and the hazard -log(1 - q_i), keep their precision near 1.
func newBetaTable(alpha, beta float64) *betaTable {
	low := min(int(mathext.RegIncBeta(alpha, beta, 0.5)*betaCells), betaCells-1) // nodes 1..low are at most 1/2
	lower, upper := quantiles(alpha, beta, low), quantiles(beta, alpha, betaCells-1-low)
	var x, hz [betaCells]float64
	for i := 1; i < betaCells; i++ {
		if i <= low {
			x[i], hz[i] = lower[i-1], -math.Log1p(-lower[i-1])
		} else {
			m := upper[betaCells-i-1]
			x[i], hz[i] = 1-m, -math.Log(m)
		}
	}
	t := &betaTable{alpha: alpha, beta: beta}
	for i := 1; i < betaCells-1; i++ {
		if !(x[i] <= x[i+1]) || !(hz[i] <= hz[i+1]) || math.IsInf(hz[i+1], 1) {
			return nil
		}
		t.x[i] = betaCell{x[i], x[i+1] - x[i]}
		t.hazard[i] = betaCell{hz[i], hz[i+1] - hz[i]}
	}
	return t
}

// quantiles returns the quantiles of Beta(a, b) at the levels k/betaCells,
// k = 1..n. Each is found by Newton's method on the distribution function
// (mathext.RegIncBeta) from the one before (see newton), a tenth of the
// cost of mathext.InvRegIncBeta, which starts each quantile afresh; the
// first, those after a quantile that underflows to 0 and those Newton does
// not settle are InvRegIncBeta's.
func quantiles(a, b float64, n int) []float64 {
	q := make([]float64, n)
	lbeta := lgamma(a) + lgamma(b) - lgamma(a+b)
	for k := range q {
		u := float64(k+1) / betaCells
		ok := false
		if k > 0 && q[k-1] > 0 {
			q[k], ok = newton(a, b, lbeta, u, q[k-1])
		}
		if !ok {
			q[k] = mathext.InvRegIncBeta(a, b, u)
		}
	}
	return q
}

// newton returns the quantile of Beta(a, b) at level u from a quantile
// below it, x > 0, lbeta being log B(a, b): Newton's method kept in the
// bracket [x, 1] by bisection, until a step moves it by at most 4 units in
// the last place or the distribution function meets the level; ok is
// false if 100 steps do not settle it.
func newton(a, b, lbeta, u, x float64) (q float64, ok bool) {
	lo, hi := x, 1.0
	for range 100 {
		f := mathext.RegIncBeta(a, b, x) - u
		switch {
		case f == 0:
			return x, true
		case f < 0:
			lo = x
		default:
			hi = x
		}
		density := math.Exp((a-1)*math.Log(x) + (b-1)*math.Log1p(-x) - lbeta)
		next := x - f/density
		if !(next > lo && next < hi) {
			next = lo + (hi-lo)/2
		}
		if math.Abs(next-x) <= 4*0x1p-52*x {
			return next, true
		}
		x = next
	}
	return 0, false
}

// lgamma is log |Gamma(x)|.
func lgamma(x float64) float64 {
	l, _ := math.Lgamma(x)
	return l
}

// split turns a 64-bit draw into a cell and a place in it, in [0, 1).
func split(u uint64) (cell uint64, f float64) {
	return u >> (64 - betaBits), float64(u<<betaBits>>11) * 0x1p-53
}

// end returns the exact number x of the place f in end cell i, as x or,
// for the top cell, 1 - x.
func (t *betaTable) end(i uint64, f float64) float64 {
	if i == 0 {
		return mathext.InvRegIncBeta(t.alpha, t.beta, f/betaCells)
	}
	return mathext.InvRegIncBeta(t.beta, t.alpha, (1-f)/betaCells)
}

// draw returns the Beta number of the 64-bit draw u.
func (t *betaTable) draw(u uint64) float64 {
	i, f := split(u)
	switch i {
	case 0:
		return t.end(i, f)
	case betaCells - 1:
		return 1 - t.end(i, f)
	}
	c := &t.x[i]
	return c.at + c.width*f
}

// rate returns the hazard -log(1 - x) of the Beta number x of the 64-bit
// draw u.
func (t *betaTable) rate(u uint64) float64 {
	i, f := split(u)
	switch i {
	case 0:
		return -math.Log1p(-t.end(i, f))
	case betaCells - 1:
		return -math.Log(t.end(i, f))
	}
	c := &t.hazard[i]
	return c.at + c.width*f
}

// betaTables holds the tables built so far, process-wide, by the bits of
// (alpha, beta). A table is a pure function of its parameters, so which
// run or worker built it cannot change a draw. It holds at most
// maxBetaTables (a sweep or the explorer may ask for many); past that it
// starts afresh.
var betaTables struct {
	sync.Mutex
	m map[[2]uint64]*betaTable
}

const maxBetaTables = 64

// tabulated returns the table of Beta(alpha, beta), built on first use;
// nil where newBetaTable gives none.
func tabulated(alpha, beta float64) *betaTable {
	k := [2]uint64{math.Float64bits(alpha), math.Float64bits(beta)}
	betaTables.Lock()
	defer betaTables.Unlock()
	if t, ok := betaTables.m[k]; ok {
		return t
	}
	if len(betaTables.m) >= maxBetaTables || betaTables.m == nil {
		betaTables.m = make(map[[2]uint64]*betaTable)
	}
	t := newBetaTable(alpha, beta)
	betaTables.m[k] = t
	return t
}

// baseChurn draws a new customer's base churn (M1): theta ~ Beta(alpha,
// beta), from a betaTable for parameters fixed across replications (the
// configured churn.alpha and churn.beta, or a segment's), and from the
// exact sampler (betaDist, two Gamma draws) for parameters drawn per
// replication (churn.alpha_sd, churn.beta_sd, or uncertain churn.alpha or
// churn.beta), where a table would be built for each replication's few
// customers, and where no table exists (see newBetaTable).
type baseChurn struct {
	table *betaTable // nil: exact
	exact betaDist
}

// newBaseChurn returns the base churn of Beta(alpha, beta), tabulated if
// tabulate is set and the parameters have a table.
func newBaseChurn(alpha, beta float64, tabulate bool) baseChurn {
	b := baseChurn{exact: newBetaDist(alpha, beta)}
	if tabulate {
		b.table = tabulated(alpha, beta)
	}
	return b
}

// rate returns the base churn hazard -log(1 - min(1, mult x theta)) per
// period of a customer whose base churn probability theta is multiplied
// by mult >= 1 (a deal-seeker's discounts.dealseeker_churn, else 1),
// drawing from s.
func (b *baseChurn) rate(s stream, mult float64) float64 {
	if b.table != nil && mult == 1 {
		return b.table.rate(s.pcg.Uint64())
	}
	var theta float64
	if b.table != nil {
		theta = b.table.draw(s.pcg.Uint64())
	} else {
		theta = b.exact.draw(s)
	}
	return -math.Log1p(-math.Min(1, theta*mult))
}
