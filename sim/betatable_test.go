package sim

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// tableRegimes are betaRegimes and larger parameters, where the law is
// narrow.
var tableRegimes = append(betaRegimes[:len(betaRegimes):len(betaRegimes)], struct{ alpha, beta float64 }{200, 5000}, struct{ alpha, beta float64 }{1e-3, 1e9})

// tableNode is a node of a table's piecewise-linear inverse distribution
// function: a value (of x or of the hazard) and its level.
type tableNode struct{ v, level float64 }

// tableNodes returns the nodes of tb's tabulated cells, of x or of the
// hazard, in increasing order: the bottom cell's sub-cells, the interior
// cells and the top cell's sub-cells. Below the first node and above the
// last the table draws exactly.
func tableNodes(tb *betaTable, hazard bool) []tableNode {
	const sub = 1.0 / (endCells * betaCells)
	var nodes []tableNode
	pick := func(x, h *[betaCells]betaCell, i int) betaCell {
		if hazard {
			return h[i]
		}
		return x[i]
	}
	bottom := func(j int) betaCell {
		if hazard {
			return tb.bottom.hazard[j]
		}
		return tb.bottom.y[j]
	}
	for j := 1; j < endCells; j++ {
		nodes = append(nodes, tableNode{bottom(j).at, float64(j) * sub})
	}
	for i := 1; i < betaCells-1; i++ {
		nodes = append(nodes, tableNode{pick(&tb.x, &tb.hazard, i).at, float64(i) / betaCells})
	}
	last := pick(&tb.x, &tb.hazard, betaCells-2)
	nodes = append(nodes, tableNode{last.at + last.width, float64(betaCells-1) / betaCells})
	for j := endCells - 1; j >= 1; j-- { // the top cell's nodes, from its inner end
		c := tb.top.y[j]
		v := 1 - c.at
		if hazard {
			v = tb.top.hazard[j].at
		}
		nodes = append(nodes, tableNode{v, 1 - float64(j)*sub})
	}
	return nodes
}

// tableDistance returns the Kolmogorov-Smirnov distances between the
// table's laws and Beta(alpha, beta)'s, of the number x and of the hazard
// -log(1 - x), evaluated on a fine grid: 20001 even points in x and
// points spaced by a factor of 10^(1/20) towards 0 and towards 1, each
// mapped to its hazard for the second distance. The table's distribution
// function is worked out from its nodes alone (tableNodes), by the
// definition of linear interpolation; outside them, where the table draws
// exactly, it is the law's.
func tableDistance(tb *betaTable, alpha, beta float64) (dx, dhz float64) {
	var grid []float64
	for k := 0; k <= 20000; k++ {
		grid = append(grid, float64(k)/20000)
	}
	for k := 20; k <= 6000; k++ {
		grid = append(grid, math.Pow(10, -float64(k)/20), 1-math.Pow(10, -float64(k)/20))
	}
	// cdf is the table's distribution function at v, law outside its nodes.
	cdf := func(nodes []tableNode, v, law float64) float64 {
		if v < nodes[0].v || v >= nodes[len(nodes)-1].v {
			return law
		}
		i := sort.Search(len(nodes), func(j int) bool { return nodes[j].v > v }) - 1
		lo, hi := nodes[i], nodes[i+1]
		return lo.level + (hi.level-lo.level)*(v-lo.v)/(hi.v-lo.v)
	}
	xs, hs := tableNodes(tb, false), tableNodes(tb, true)
	for _, x := range grid {
		if x <= 0 || x >= 1 {
			continue
		}
		law := mathext.RegIncBeta(alpha, beta, x)
		dx = max(dx, math.Abs(cdf(xs, x, law)-law))
		// P(-log(1 - X) <= h) = P(X <= 1 - e^-h) = P(1 - X >= e^-h),
		// 1 - X ~ Beta(beta, alpha): the second keeps its precision near 1.
		h := -math.Log1p(-x)
		law = mathext.RegIncBeta(alpha, beta, -math.Expm1(-h))
		if h > math.Ln2 {
			law = 1 - mathext.RegIncBeta(beta, alpha, math.Exp(-h))
		}
		dhz = max(dhz, math.Abs(cdf(hs, h, law)-law))
	}
	return dx, dhz
}

// TestBetaTableWithinBound checks that the table's laws, of the Beta
// number and of its hazard, are within 1/betaCells of the Beta law in
// Kolmogorov-Smirnov distance (see betaTable), and its mean within the sum
// over tabulated cells of mass x width of alpha/(alpha+beta): the mean of
// a tabulated cell is its nodes' midpoint, that of an exact end the law's,
// E[X; X < y] = alpha/(alpha+beta) I(alpha+1, beta; y).
func TestBetaTableWithinBound(t *testing.T) {
	for _, p := range tableRegimes {
		t.Run(fmt.Sprint(p.alpha, ",", p.beta), func(t *testing.T) {
			a, b := p.alpha, p.beta
			tb := newBetaTable(a, b)
			if tb == nil {
				t.Fatal("no table")
			}
			const bound = 1.0 / betaCells
			dx, dhz := tableDistance(tb, a, b)
			if dx > bound || dhz > bound {
				t.Errorf("Kolmogorov-Smirnov distance %.3g (number), %.3g (hazard), above %.3g", dx, dhz, bound)
			}
			nodes := tableNodes(tb, false)
			first, last := nodes[0].v, nodes[len(nodes)-1].v
			mean := a / (a + b)
			m := mean * (mathext.RegIncBeta(a+1, b, first) + 1 - mathext.RegIncBeta(a+1, b, last))
			within := 0.0
			for i := 1; i < len(nodes); i++ {
				mass := nodes[i].level - nodes[i-1].level
				m += mass * (nodes[i].v + nodes[i-1].v) / 2
				within += mass * (nodes[i].v - nodes[i-1].v)
			}
			if d := math.Abs(m - mean); d > within+1e-12 || within > bound {
				t.Errorf("mean %.8g, want %.8g within %.3g (at most %.3g)", m, mean, within, bound)
			}
		})
	}
}

// TestTableDistanceFindsAShift checks that tableDistance finds a table
// outside the bound: three interior nodes moved up to the next, so that a
// mass of 3/betaCells moves past them, in x and in the hazard.
func TestTableDistanceFindsAShift(t *testing.T) {
	const a, b = 0.704, 1.182
	tb := *newBetaTable(a, b)
	const j = betaCells / 3
	for _, cells := range []*[betaCells]betaCell{&tb.x, &tb.hazard} {
		next := cells[j+2].at + cells[j+2].width
		cells[j-1].width = next - cells[j-1].at
		for i := j; i < j+3; i++ {
			cells[i] = betaCell{next, 0}
		}
	}
	if dx, dhz := tableDistance(&tb, a, b); dx <= 1.0/betaCells || dhz <= 1.0/betaCells {
		t.Errorf("Kolmogorov-Smirnov distance %.3g (number), %.3g (hazard), within the bound %.3g", dx, dhz, 1.0/betaCells)
	}
}

// TestBaseChurnTabulatesFixedParameters checks the rule of baseChurn: the
// configured churn parameters are drawn from a table, the same one for
// every replication, and parameters drawn per replication exactly.
func TestBaseChurnTabulatesFixedParameters(t *testing.T) {
	for _, tc := range []struct {
		name  string
		set   func(*Config)
		table bool
	}{
		{"configured", func(*Config) {}, true},
		{"alpha_sd", func(c *Config) { c.Churn.AlphaSD = 0.1 }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Default()
			tc.set(&cfg)
			var tables []*betaTable
			for rep := range 2 {
				w, err := newWorld(&cfg, rep, newStreams(), nil, 0)
				if err != nil {
					t.Fatal(err)
				}
				if got := w.bases[0].table != nil; got != tc.table {
					t.Fatalf("replication %d tabulated: %v, want %v", rep, got, tc.table)
				}
				tables = append(tables, w.bases[0].table)
			}
			if tables[0] != tables[1] {
				t.Error("the replications built a table each")
			}
		})
	}
}

// TestBetaTableDrawsAtTheirLevel checks draw and rate against the inverse
// distribution function computed here, independently of the table, from
// gonum's mathext.InvRegIncBeta and RegIncBeta: a 64-bit draw u stands
// for the level L = (i + f)/N of its cell i (top bits) and place f; in an
// interior cell the draw is the linear interpolation between Q(i/N) and
// Q((i+1)/N); in an end cell, the same on endCells sub-cells of the law
// whose lower end it is (Beta(alpha, beta) of x at the bottom,
// Beta(beta, alpha) of 1 - x at the top), but for its outermost sub-cell,
// where the draw is exactly Q(L): its distribution function is L. The
// hazard is -log(1 - x), interpolated between the nodes' hazards.
func TestBetaTableDrawsAtTheirLevel(t *testing.T) {
	const n, sub = betaCells, endCells * betaCells
	type place struct {
		cell uint64
		f    float64 // place in the cell, [0, 1)
	}
	places := []place{
		{1, 0.25}, {7, 0.5}, {n / 2, 0.125}, {n - 2, 0.75}, // interior
		{0, 0.3 / endCells}, {0, 0.9 / endCells}, // the bottom's exact sub-cell
		{0, 1.5 / endCells}, {0, 40.25 / endCells}, // tabulated sub-cells of the bottom
		{n - 1, 1 - 0.3/endCells}, {n - 1, 1 - 0.9/endCells}, // the top's exact sub-cell
		{n - 1, 1 - 1.5/endCells}, {n - 1, 1 - 40.25/endCells}, {n - 1, 0}, // tabulated sub-cells of the top, its inner node last
	}
	for _, p := range []struct{ alpha, beta float64 }{{0.704, 1.182}, {0.5, 0.5}, {3, 20}, {20, 3}} {
		tb := newBetaTable(p.alpha, p.beta)
		if tb == nil {
			t.Fatalf("Beta(%g, %g): no table", p.alpha, p.beta)
		}
		q := func(a, b, level float64) float64 { return mathext.InvRegIncBeta(a, b, level) }
		for _, pl := range places {
			u := pl.cell<<(64-betaBits) | uint64(pl.f*(1<<53))<<(betaBits-11)
			f := float64(uint64(pl.f*(1<<53))) * 0x1p-53 // the place u holds
			var want, wantHazard float64
			exact := false
			switch pl.cell {
			case 0, n - 1:
				a, b, v := p.alpha, p.beta, f*endCells // the end's law and the level in sub-cells
				if pl.cell == n-1 {
					a, b, v = p.beta, p.alpha, (1-f)*endCells
				}
				j := math.Floor(v)
				var y float64
				hazard := func(y float64) float64 {
					if pl.cell == n-1 {
						return -math.Log(y) // y = 1 - x
					}
					return -math.Log1p(-y)
				}
				if j == 0 {
					exact = true
					y = q(a, b, v/sub)
					if got := mathext.RegIncBeta(a, b, y); math.Abs(got-v/sub) > 1e-9*v/sub {
						t.Fatalf("Beta(%g, %g): reference quantile off: F = %g at level %g", a, b, got, v/sub)
					}
					wantHazard = hazard(y)
				} else {
					lo, hi := q(a, b, j/sub), q(a, b, (j+1)/sub)
					y = lo + (v-j)*(hi-lo)
					wantHazard = hazard(lo) + (v-j)*(hazard(hi)-hazard(lo))
				}
				want = y
				if pl.cell == n-1 {
					want = 1 - y
				}
			default:
				lo, hi := q(p.alpha, p.beta, float64(pl.cell)/n), q(p.alpha, p.beta, float64(pl.cell+1)/n)
				want = lo + f*(hi-lo)
				wantHazard = -math.Log1p(-lo) + f*(-math.Log1p(-hi)+math.Log1p(-lo))
			}
			got, gotHazard := tb.draw(u), tb.rate(u)
			tol := 1e-9 * math.Abs(want)
			if !exact {
				tol += 1e-12
			}
			if math.Abs(got-want) > tol || math.Abs(gotHazard-wantHazard) > 1e-9*math.Abs(wantHazard)+1e-12 {
				t.Errorf("Beta(%g, %g) cell %d place %g: draw %.15g, hazard %.15g; want %.15g, %.15g",
					p.alpha, p.beta, pl.cell, f, got, gotHazard, want, wantHazard)
			}
		}
	}
}

// TestBetaTableRefusesAMissedMean checks that parameters whose table's
// mean misses the law's by more than meanTolerance standard deviations get
// no table, and are drawn exactly: Beta(1e8, 9e8), constant retention 0.9
// in the tests (see constantRetention), whose quantiles from mathext's
// distribution function put the table's mean 0.14 standard deviations
// low; and that the tables of tableRegimes keep their mean within it.
func TestBetaTableRefusesAMissedMean(t *testing.T) {
	if tb := newBetaTable(1e8, 9e8); tb != nil {
		a, b := 1e8, 9e8
		sd := math.Sqrt(a*b/(a+b+1)) / (a + b)
		t.Errorf("Beta(1e8, 9e8) tabulated, its mean %.4f standard deviations off", (tb.mean()-a/(a+b))/sd)
	}
	for _, p := range tableRegimes {
		a, b := p.alpha, p.beta
		sd := math.Sqrt(a*b/(a+b+1)) / (a + b)
		if tb := newBetaTable(a, b); tb == nil {
			t.Errorf("Beta(%g, %g) not tabulated", a, b)
		} else if d := math.Abs(tb.mean()-a/(a+b)) / sd; d > meanTolerance {
			t.Errorf("Beta(%g, %g): table's mean %.3g standard deviations off", a, b, d)
		}
	}
}
