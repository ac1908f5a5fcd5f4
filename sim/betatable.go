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
// 8.7e-4), and a table takes about 2 ms to build.
const betaCells = 1 << betaBits

// endCells is the number of sub-cells of each of a betaTable's end cells.
const endCells = 64

// betaTable draws Beta(alpha, beta) numbers, and the hazards -log(1 - x)
// of them, by the inverse of the distribution function F: one 64-bit draw
// gives a cell i of N = betaCells equal cells of [0, 1] in probability
// (its top betaBits bits) and a place f in it (the next 53). In the
// interior cells the inverse is tabulated: the exact quantiles q_i =
// Q(i/N) at the nodes and linear interpolation between them. The two end
// cells, where a Beta's density may be unbounded, are tabulated the same
// way on endCells sub-cells each (see betaEnd), but for their outermost
// sub-cells, where linear interpolation could put mass far from the law's
// (up to 1 for a law concentrated near 0): those are drawn exactly, by
// mathext.InvRegIncBeta, which costs a few microseconds, in 1 draw out of
// endCells x N / 2.
//
// Error bound. Within a tabulated cell both the table's law and the Beta
// law put the cell's mass (1/N, or 1/(endCells N) for a sub-cell) on the
// interval between its nodes, so their distribution functions agree at
// every node and differ between two nodes by less than the mass between
// them: the Kolmogorov-Smirnov distance sup_x |F_table(x) - F(x)| is below
// 1/N. The same holds for the hazard, interpolated between the nodes'
// hazards, since a monotone function of x maps cells to cells. The mean of
// x is off by at most the sum over tabulated cells of mass x width, below
// 1/N.
type betaTable struct {
	x, hazard   [betaCells]betaCell // by cell: the end cells' are unused
	bottom, top betaEnd
}

// betaCell is one cell of a table: its lower node and its width.
type betaCell struct{ at, width float64 }

// betaEnd is an end cell of a betaTable in the terms of the law whose
// lower end it is: Beta(alpha, beta) for the bottom cell, of y = x, and
// Beta(beta, alpha) for the top cell, of y = 1 - x, so that the top cell
// keeps its precision near 1. Its sub-cell j spans the levels [j, j+1) /
// (endCells N) of that law: tabulated, but for sub-cell 0, which is exact.
type betaEnd struct {
	p, r      float64 // the law, Beta(p, r)
	top       bool
	y, hazard [endCells]betaCell // by sub-cell: the first's unused
}

// place returns y, and the hazard -log(1 - x), at level v / (endCells N)
// of the end cell's law, 0 <= v <= endCells.
func (e *betaEnd) place(v float64) (y, hazard float64) {
	j := min(int(v), endCells-1)
	g := v - float64(j)
	if j == 0 {
		y = mathext.InvRegIncBeta(e.p, e.r, v/(endCells*betaCells))
		if e.top {
			return y, -math.Log(y)
		}
		return y, -math.Log1p(-y)
	}
	c, h := &e.y[j], &e.hazard[j]
	return c.at + c.width*g, h.at + h.width*g
}

// newBetaEnd tabulates the end cell of the law Beta(p, r) whose outer node
// is y1 (at level 1/N).
func newBetaEnd(p, r float64, top bool, y1 float64) (betaEnd, bool) {
	e := betaEnd{p: p, r: r, top: top}
	ys := append(quantiles(p, r, endCells-1, endCells*betaCells), y1)
	hazard := func(y float64) float64 {
		if top {
			return -math.Log(y)
		}
		return -math.Log1p(-y)
	}
	for j := 1; j < endCells; j++ {
		lo, hi := ys[j-1], ys[j]
		if !(lo <= hi) || math.IsInf(hazard(lo), 0) || math.IsInf(hazard(hi), 0) {
			return e, false
		}
		e.y[j] = betaCell{lo, hi - lo}
		e.hazard[j] = betaCell{hazard(lo), hazard(hi) - hazard(lo)}
	}
	return e, true
}

// newBetaTable tabulates Beta(alpha, beta), alpha, beta > 0. It returns
// nil when the parameters put so much mass near 1 that a tabulated node
// rounds to 1 (an infinite hazard), when the quantiles are not finite and
// increasing, or when the table's mean misses the law's (see
// meanTolerance): such parameters are drawn by the exact sampler. The nodes
// at or below 1/2 are quantiles of Beta(alpha, beta); those above are 1 -
// the quantiles of the mirrored law Beta(beta, alpha) at 1 - i/N, so that
// 1 - q_i, and the hazard -log(1 - q_i), keep their precision near 1.
func newBetaTable(alpha, beta float64) *betaTable {
	low := min(int(mathext.RegIncBeta(alpha, beta, 0.5)*betaCells), betaCells-1) // nodes 1..low are at most 1/2
	lower, upper := quantiles(alpha, beta, low, betaCells), quantiles(beta, alpha, betaCells-1-low, betaCells)
	var x, m, hz [betaCells]float64 // m = 1 - x
	for i := 1; i < betaCells; i++ {
		if i <= low {
			x[i], m[i], hz[i] = lower[i-1], 1-lower[i-1], -math.Log1p(-lower[i-1])
		} else {
			m[i] = upper[betaCells-i-1]
			x[i], hz[i] = 1-m[i], -math.Log(m[i])
		}
	}
	t := &betaTable{}
	for i := 1; i < betaCells-1; i++ {
		if !(x[i] <= x[i+1]) || !(hz[i] <= hz[i+1]) || math.IsInf(hz[i+1], 1) {
			return nil
		}
		t.x[i] = betaCell{x[i], x[i+1] - x[i]}
		t.hazard[i] = betaCell{hz[i], hz[i+1] - hz[i]}
	}
	var ok, okTop bool
	t.bottom, ok = newBetaEnd(alpha, beta, false, x[1])
	t.top, okTop = newBetaEnd(beta, alpha, true, m[betaCells-1])
	if !ok || !okTop {
		return nil
	}
	if sd := math.Sqrt(alpha*beta/(alpha+beta+1)) / (alpha + beta); !(math.Abs(t.mean()-alpha/(alpha+beta)) <= meanTolerance*sd) {
		return nil
	}
	return t
}

// meanTolerance is the largest error, in standard deviations of the law,
// of a table's mean (see betaTable.mean): beyond it the quantiles are not
// to be trusted (mathext's distribution function loses precision for
// parameters in the hundreds of millions) and the exact sampler draws.
// Tables of parameters up to 1e7 err by at most 3e-5 standard deviations.
const meanTolerance = 1e-3

// mean returns the mean of the table's law: each cell's, or end
// sub-cell's, midpoint weighted by its probability (the first end
// sub-cells' by their inner node).
func (t *betaTable) mean() float64 {
	var mid, ends float64
	for i := 1; i < betaCells-1; i++ {
		mid += t.x[i].at + t.x[i].width/2
	}
	for j := 1; j < endCells; j++ {
		b, u := &t.bottom.y[j], &t.top.y[j]
		ends += b.at + b.width/2 + 1 - (u.at + u.width/2)
	}
	ends += t.bottom.y[1].at + 1 - t.top.y[1].at
	return (mid + ends/endCells) / betaCells
}

// split turns a 64-bit draw into a cell and a place in it, in [0, 1).
func split(u uint64) (cell uint64, f float64) {
	return u >> (64 - betaBits), float64(u<<betaBits>>11) * 0x1p-53
}

// draw returns the Beta number of the 64-bit draw u.
func (t *betaTable) draw(u uint64) float64 { return t.lookup(u, false) }

// rate returns the hazard -log(1 - x) of the Beta number x of the 64-bit
// draw u.
func (t *betaTable) rate(u uint64) float64 { return t.lookup(u, true) }

// lookup returns the Beta number x of the 64-bit draw u or, with hazard,
// its hazard -log(1 - x), from the cell u falls in.
func (t *betaTable) lookup(u uint64, hazard bool) float64 {
	i, f := split(u)
	switch i {
	case 0:
		y, h := t.bottom.place(f * endCells)
		if hazard {
			return h
		}
		return y
	case betaCells - 1:
		y, h := t.top.place((1 - f) * endCells)
		if hazard {
			return h
		}
		return 1 - y
	}
	cells := &t.x
	if hazard {
		cells = &t.hazard
	}
	c := &cells[i]
	return c.at + c.width*f
}

// quantiles returns the quantiles of Beta(a, b) at the levels k/cells,
// k = 1..n. Each is found by Newton's method on the distribution function
// (mathext.RegIncBeta) from the one before (see newton), a tenth of the
// cost of mathext.InvRegIncBeta, which starts each quantile afresh; the
// first, those after a quantile that underflows to 0 and those Newton does
// not settle are InvRegIncBeta's.
func quantiles(a, b float64, n, cells int) []float64 {
	q := make([]float64, n)
	lbeta := lgamma(a) + lgamma(b) - lgamma(a+b)
	for k := range q {
		u := float64(k+1) / float64(cells)
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
